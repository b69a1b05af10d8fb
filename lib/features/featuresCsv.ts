import * as fs from "node:fs/promises";
import { SparkifyError } from "../errors";
import { writeFileAtomic } from "../io/atomicWrite";
import { featureColumns, featureDictionary } from "./dictionary";
import { DEFAULT_HORIZON_DAYS } from "./resolveCutoffs";
import type { FeatureMode, FeatureTable, FeatureValue, LabelKind } from "./types";

/** Path of the small JSON file written beside a features CSV (mode, cutoffs, horizon, label). */
export function featuresMetaPath(csvPath: string): string {
  return `${csvPath}.json`;
}

function csvField(v: FeatureValue): string {
  if (v === null) return "";
  if (typeof v === "number") return String(v);
  return /[",\r\n]|^\s|\s$/.test(v) || v === "" ? `"${v.replace(/"/g, '""')}"` : v;
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

/** Splits CSV text into records of raw fields, with the 1-based line each record starts on. */
function parseCsv(text: string, file: string): Array<{ line: number; fields: Array<{ value: string; quoted: boolean }> }> {
  const records: Array<{ line: number; fields: Array<{ value: string; quoted: boolean }> }> = [];
  let fields: Array<{ value: string; quoted: boolean }> = [];
  let line = 1;
  let start = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    let value = "";
    let quoted = false;
    if (text[i] === '"') {
      quoted = true;
      i++;
      for (;;) {
        if (i >= n) throw new SparkifyError("E_INPUT_FORMAT", `${file}:${start}: unterminated quoted field.`);
        const ch = text[i];
        if (ch === '"') {
          if (text[i + 1] === '"') { value += '"'; i += 2; continue; }
          i++;
          break;
        }
        if (ch === "\n") line++;
        value += ch;
        i++;
      }
    } else {
      const m = /[^,\r\n]*/y;
      m.lastIndex = i;
      value = m.exec(text)![0];
      i += value.length;
    }
    fields.push({ value, quoted });
    if (i >= n || text[i] === "\n" || text[i] === "\r") {
      if (text[i] === "\r") i++;
      if (text[i] === "\n") i++;
      if (!(fields.length === 1 && fields[0].value === "" && !fields[0].quoted)) records.push({ line: start, fields });
      fields = [];
      line++;
      start = line;
    } else if (text[i] === ",") {
      i++;
      if (i >= n) fields.push({ value: "", quoted: false });
    } else {
      throw new SparkifyError("E_INPUT_FORMAT", `${file}:${line}: unexpected character after a quoted field.`);
    }
  }
  if (fields.length > 0) records.push({ line: start, fields });
  return records;
}

/** Reads a features CSV written by writeFeaturesCsv (settings from its .json file when present). */
export async function readFeaturesCsv(path: string): Promise<FeatureTable> {
  let text: string;
  try {
    text = await fs.readFile(path, "utf8");
  } catch (err) {
    throw new SparkifyError("E_INPUT_MISSING", `cannot read features file ${path}: ${(err as Error).message}`, { cause: err });
  }
  const records = parseCsv(text, path);
  if (records.length === 0) throw new SparkifyError("E_INPUT_FORMAT", `${path}: empty file, expected a header line.`);
  const header = records[0].fields.map((f) => f.value);
  const mode: FeatureMode = header[1] === "cutoff" ? "forward" : "full-history";
  const expected = featureColumns(mode);
  if (header.join(",") !== expected.join(",")) {
    const at = expected.findIndex((c, k) => header[k] !== c);
    throw new SparkifyError("E_INPUT_FORMAT", `${path}:1: column ${at + 1} should be "${expected[at] ?? "(none)"}" but is "${header[at] ?? "(missing)"}" (expected: ${expected.join(",")}).`);
  }
  const types = new Map(featureDictionary(mode).map((f) => [f.name, f.type]));
  const rows: Array<Record<string, FeatureValue>> = [];
  const cutoffSet = new Set<number>();
  for (const rec of records.slice(1)) {
    if (rec.fields.length !== expected.length) throw new SparkifyError("E_INPUT_FORMAT", `${path}:${rec.line}: ${rec.fields.length} fields, expected ${expected.length}.`);
    const row: Record<string, FeatureValue> = {};
    expected.forEach((c, k) => {
      const { value, quoted } = rec.fields[k];
      const bad = (what: string): never => { throw new SparkifyError("E_INPUT_FORMAT", `${path}:${rec.line}: field "${c}" ${what}, got "${value}".`); };
      if (c === "userId") { if (value === "") bad("must not be empty"); row[c] = value; return; }
      if (c === "cutoff") {
        const t = Date.parse(value);
        if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(t)) bad("must be an ISO time");
        row[c] = t;
        cutoffSet.add(t);
        return;
      }
      if (c === "churn") { if (value !== "0" && value !== "1") bad("must be 0 or 1"); row[c] = Number(value); return; }
      if (value === "" && !quoted) { row[c] = null; return; }
      if (types.get(c) === "categorical") { row[c] = value; return; }
      const v = Number(value);
      if (value.trim() === "" || !Number.isFinite(v)) bad("must be a number or empty");
      row[c] = v;
    });
    rows.push(row);
  }
  let meta: { horizonDays?: number; label?: LabelKind; cutoffs?: string[] } = {};
  try {
    meta = JSON.parse(await fs.readFile(featuresMetaPath(path), "utf8"));
  } catch {
    // No settings file (a CSV from elsewhere): the horizon and label keep their defaults.
  }
  const cutoffs = mode === "forward" ? (meta.cutoffs ? meta.cutoffs.map((c) => Date.parse(c)) : [...cutoffSet].sort((a, b) => a - b)) : [];
  return { columns: expected, rows, dictionary: featureDictionary(mode), mode, cutoffs, horizonDays: meta.horizonDays ?? DEFAULT_HORIZON_DAYS, label: meta.label ?? "cancel" };
}
