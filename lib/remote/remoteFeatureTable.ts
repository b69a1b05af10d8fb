import { SparkifyError } from "../errors";
import { featureTableFromRows } from "../features/computeFeatures";
import { featureColumns } from "../features/dictionary";
import type { FeatureTable, FeatureValue } from "../features/types";
import { forEachCsvRecord } from "../io/csv";
import type { RemoteFeatureOptions } from "./types";

/** Rows checked per call of featureTableFromRows: bounds the intermediate copies of a large table. */
const CHUNK = 8192;

/**
 * Reads a remote engine's feature CSV (Spark: minimal quoting, names as rendered; Athena: every
 * value quoted, names in lower case, NULL as an empty unquoted field) into the FeatureTable the
 * DuckDB path builds, through the same row check (lib/features' featureTableFromRows), so that
 * writeFeaturesCsv then writes the very same layout.
 */
export function remoteFeatureTable(csv: string, options: RemoteFeatureOptions, source: string): FeatureTable {
  const expected = featureColumns(options.mode);
  let header: string[] | null = null;
  const rows: Array<Record<string, FeatureValue>> = [];
  let chunk: Array<Record<string, string | null>> = [];
  let chunkLine = 0;
  const flush = (): void => {
    if (chunk.length === 0) return;
    try {
      for (const r of featureTableFromRows(chunk, options).rows) rows.push(r);
    } catch (err) {
      throw new SparkifyError("E_REMOTE_OUTPUT", `${source} (rows from line ${chunkLine}): ${(err as Error).message}`, { cause: err });
    }
    chunk = [];
  };
  forEachCsvRecord(csv, source, (cells, line) => {
    if (header === null) {
      header = checkHeader(cells.map((h) => h ?? ""), expected, source);
      return;
    }
    if (cells.length !== header.length) throw new SparkifyError("E_REMOTE_OUTPUT", `${source}:${line}: ${cells.length} fields where the header has ${header.length}.`);
    if (chunk.length === 0) chunkLine = line;
    const rec: Record<string, string | null> = {};
    for (let j = 0; j < header.length; j++) rec[header[j]] = cells[j];
    chunk.push(rec);
    if (chunk.length >= CHUNK) flush();
  }, { code: "E_REMOTE_OUTPUT" });
  if (header === null) throw new SparkifyError("E_REMOTE_OUTPUT", `${source} is empty: the remote job wrote no header.`);
  flush();
  const table = featureTableFromRows([], options);
  table.rows = rows;
  return table;
}

/** Checks that the remote header holds exactly the expected columns (in any case, any order). */
function checkHeader(header: string[], expected: string[], source: string): string[] {
  const want = new Set(expected.map((c) => c.toLowerCase()));
  const have = new Set(header.map((h) => h.toLowerCase()));
  const missing = expected.filter((c) => !have.has(c.toLowerCase()));
  const extra = header.filter((h) => !want.has(h.toLowerCase()));
  if (missing.length || extra.length || have.size !== header.length) {
    throw new SparkifyError("E_REMOTE_OUTPUT", `${source}: the columns differ from the feature layout (missing: ${missing.join(", ") || "none"}; unexpected or repeated: ${extra.join(", ") || (have.size !== header.length ? "a repeated name" : "none")}).`);
  }
  return header;
}
