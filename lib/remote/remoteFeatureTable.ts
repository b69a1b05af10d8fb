import { SparkifyError } from "../errors";
import { featureTableFromRows } from "../features/computeFeatures";
import { featureColumns } from "../features/dictionary";
import type { FeatureTable } from "../features/types";
import { parseCsv } from "./parseCsv";
import type { RemoteFeatureOptions } from "./types";

/**
 * Reads a remote engine's feature CSV (Spark: minimal quoting, names as rendered; Athena: every
 * value quoted, names in lower case, NULL as an empty unquoted field) into the FeatureTable the
 * DuckDB path builds, through the same row check (lib/features' featureTableFromRows), so that
 * writeFeaturesCsv then writes the very same layout.
 */
export function remoteFeatureTable(csv: string, options: RemoteFeatureOptions, source: string): FeatureTable {
  const rows = parseCsv(csv, source);
  if (rows.length === 0) throw new SparkifyError("E_REMOTE_CSV", `${source} is empty: the remote job wrote no header.`);
  const header = rows[0].map((h) => h ?? "");
  const expected = featureColumns(options.mode);
  const want = new Set(expected.map((c) => c.toLowerCase()));
  const have = new Set(header.map((h) => h.toLowerCase()));
  const missing = expected.filter((c) => !have.has(c.toLowerCase()));
  const extra = header.filter((h) => !want.has(h.toLowerCase()));
  if (missing.length || extra.length || have.size !== header.length) {
    throw new SparkifyError("E_REMOTE_CSV", `${source}: the columns differ from the feature layout (missing: ${missing.join(", ") || "none"}; unexpected or repeated: ${extra.join(", ") || (have.size !== header.length ? "a repeated name" : "none")}).`);
  }
  const records: Array<Record<string, string | null>> = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    if (row.length === 1 && row[0] === null) continue; // a blank line
    if (row.length !== header.length) throw new SparkifyError("E_REMOTE_CSV", `${source}, row ${r + 1}: ${row.length} fields where the header has ${header.length}.`);
    const rec: Record<string, string | null> = {};
    for (let j = 0; j < header.length; j++) rec[header[j]] = row[j];
    records.push(rec);
  }
  try {
    return featureTableFromRows(records, options);
  } catch (err) {
    throw new SparkifyError("E_REMOTE_CSV", `${source}: ${(err as Error).message}`, { cause: err });
  }
}
