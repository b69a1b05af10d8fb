import * as fs from "node:fs/promises";
import { SparkifyError } from "../errors";
import { writeFileAtomic } from "../io/atomicWrite";
import { csvField, forEachCsvRecord } from "../io/csv";
import { featureColumns, featureDictionary } from "./dictionary";
import { DEFAULT_HORIZON_DAYS } from "./resolveCutoffs";
import type { FeatureMode, FeatureTable, FeatureValue, LabelKind } from "./types";

/** Path of the small JSON file written beside a features CSV (mode, cutoffs, horizon, label). */
export function featuresMetaPath(csvPath: string): string {
  return `${csvPath}.json`;
}

/**
 * Writes the table as CSV (columns userId, cutoff as ISO time in forward mode, the features, churn
 * as 0/1; missing values as empty fields) and its settings to `featuresMetaPath(path)`.
 */
export async function writeFeaturesCsv(t: FeatureTable, path: string): Promise<void> {
  const lines = [t.columns.join(",")];
  for (const r of t.rows) {
    lines.push(t.columns.map((c) => (c === "cutoff" && typeof r[c] === "number" ? new Date(r[c] as number).toISOString() : csvField(r[c]))).join(","));
  }
  // Settings first, then the table: each appears whole or not at all (a disk-full error names the
  // file), and settings whose table could not be written are taken back.
  const meta = { mode: t.mode, cutoffs: t.cutoffs.map((c) => new Date(c).toISOString()), horizonDays: t.horizonDays, label: t.label, rows: t.rows.length };
  writeFileAtomic(featuresMetaPath(path), `${JSON.stringify(meta, null, 2)}\n`);
  try {
    writeFileAtomic(path, `${lines.join("\n")}\n`);
  } catch (err) {
    await fs.rm(featuresMetaPath(path), { force: true });
    throw err;
  }
}

/** Reads a features CSV written by writeFeaturesCsv (settings from its .json file when present). */
export async function readFeaturesCsv(path: string): Promise<FeatureTable> {
  let text: string;
  try {
    text = await fs.readFile(path, "utf8");
  } catch (err) {
    throw new SparkifyError("E_INPUT_MISSING", `cannot read features file ${path}: ${(err as Error).message}`, { cause: err });
  }
  let mode = "full-history" as FeatureMode;
  let expected: string[] = [];
  let types = new Map<string, string>();
  let header = null as string[] | null;
  const rows: Array<Record<string, FeatureValue>> = [];
  const cutoffSet = new Set<number>();
  forEachCsvRecord(text, path, (cells, at) => {
    if (header === null) {
      header = cells.map((f) => f ?? "");
      mode = header[1] === "cutoff" ? "forward" : "full-history";
      expected = featureColumns(mode);
      const got = header;
      if (got.join(",") !== expected.join(",")) {
        const k = expected.findIndex((c, j) => got[j] !== c);
        throw new SparkifyError("E_INPUT_FORMAT", `${path}:${at}: column ${k + 1} should be "${expected[k] ?? "(none)"}" but is "${got[k] ?? "(missing)"}" (expected: ${expected.join(",")}).`);
      }
      types = new Map(featureDictionary(mode).map((f) => [f.name, f.type]));
      return;
    }
    if (cells.length !== expected.length) throw new SparkifyError("E_INPUT_FORMAT", `${path}:${at}: ${cells.length} fields, expected ${expected.length}.`);
    const row: Record<string, FeatureValue> = {};
    expected.forEach((c, k) => {
      const cell = cells[k];
      const value = cell ?? "";
      const bad = (what: string): never => { throw new SparkifyError("E_INPUT_FORMAT", `${path}:${at}: field "${c}" ${what}, got "${value}".`); };
      if (c === "userId") { if (value === "") bad("must not be empty"); row[c] = value; return; }
      if (c === "cutoff") {
        const t = Date.parse(value);
        if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(t)) bad("must be an ISO time");
        row[c] = t;
        cutoffSet.add(t);
        return;
      }
      if (c === "churn") { if (value !== "0" && value !== "1") bad("must be 0 or 1"); row[c] = Number(value); return; }
      if (cell === null) { row[c] = null; return; } // an unquoted empty field is a missing value
      if (types.get(c) === "categorical") { row[c] = value; return; }
      const v = Number(value);
      if (value.trim() === "" || !Number.isFinite(v)) bad("must be a number or empty");
      row[c] = v;
    });
    rows.push(row);
  });
  if (header === null) throw new SparkifyError("E_INPUT_FORMAT", `${path}: empty file, expected a header line.`);
  let meta: { horizonDays?: number; label?: LabelKind; cutoffs?: string[] } = {};
  try {
    meta = JSON.parse(await fs.readFile(featuresMetaPath(path), "utf8"));
  } catch {
    // No settings file (a CSV from elsewhere): the horizon and label keep their defaults.
  }
  const cutoffs = mode === "forward" ? (meta.cutoffs ? meta.cutoffs.map((c) => Date.parse(c)) : [...cutoffSet].sort((a, b) => a - b)) : [];
  return { columns: expected, rows, dictionary: featureDictionary(mode), mode, cutoffs, horizonDays: meta.horizonDays ?? DEFAULT_HORIZON_DAYS, label: meta.label ?? "cancel" };
}
