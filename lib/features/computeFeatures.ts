import { internalError } from "../errors";
import type { SqlRunner } from "../store";
import { renderFeatureQuery } from "./renderFeatureQuery";
import { resultColumnKey } from "../sql/resultColumnKey";
import { featureColumns, featureDictionary } from "./dictionary";
import { eventsReadByFeatureQuery } from "./featureQuery";
import { resolveCutoffs } from "./resolveCutoffs";
import type { FeatureInfo, FeatureOptions, FeatureTable, FeatureValue, ResolvedFeatureOptions } from "./types";

/** The event columns the feature query reads. */
export const FEATURE_SOURCE_COLUMNS: readonly string[] = [
  "userId", "ts", "itemInSession", "page", "auth", "level", "sessionId", "length", "artist", "gender", "location", "userAgent", "registration",
];

/**
 * Computes the feature table (one row per user and cutoff, label column `churn`) with one SQL
 * statement on `runner` (the event store, or anything with the cleaned `events` table).
 */
export async function computeFeatures(runner: SqlRunner, options: FeatureOptions = {}): Promise<FeatureTable> {
  const resolved = await resolveCutoffs(runner, options);
  // The query reads the events three times (labels, per-user and per-session aggregates).
  const run = (): Promise<Array<Record<string, unknown>>> => runner.rows(renderFeatureQuery("duckdb", resolved));
  const raw = runner.withEventsCopy ? await runner.withEventsCopy(run, FEATURE_SOURCE_COLUMNS, eventsReadByFeatureQuery(resolved)) : await run();
  return tableFromRows(raw, resolved, true);
}

/**
 * Builds a FeatureTable from the rows of the feature query, whatever engine ran it: restores the
 * column spelling, turns BIGINT/HUGEINT/numeric strings into numbers, checks every cell and sorts
 * by cutoff and userId.
 */
export function featureTableFromRows(raw: Array<Record<string, unknown>>, resolved: ResolvedFeatureOptions): FeatureTable {
  return tableFromRows(raw, resolved, false);
}

const RELEASED: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/** featureTableFromRows; with `release`, the rows of `raw` are replaced by an empty object once converted. */
function tableFromRows(raw: Array<Record<string, unknown>>, resolved: ResolvedFeatureOptions, release: boolean): FeatureTable {
  const columns = featureColumns(resolved.mode);
  const dictionary = featureDictionary(resolved.mode);
  const kinds = new Map<string, FeatureInfo["type"] | "id" | "label">([["userId", "id"], ["cutoff", "label"], ["churn", "label"]]);
  for (const f of dictionary) kinds.set(f.name, f.type);
  const rows = new Array<Record<string, FeatureValue>>(raw.length);
  // The result's spelling of each column (Trino/Athena lower-case them), found on the first row:
  // every row of a result has the same keys.
  const keys = raw.length > 0 ? columns.map((c) => resultColumnKey(raw[0], c)) : [];
  for (let i = 0; i < raw.length; i++) {
    const src = raw[i];
    const row: Record<string, FeatureValue> = {};
    for (let j = 0; j < columns.length; j++) {
      if (!(keys[j] in src)) keys[j] = resultColumnKey(src, columns[j]);
      if (!(keys[j] in src)) throw internalError(`feature query result row ${i + 1} has no column "${columns[j]}"`);
      row[columns[j]] = cell(src[keys[j]], kinds.get(columns[j])!, columns[j], i);
    }
    rows[i] = row;
    // A result computeFeatures owns is let go row by row, so a big table is not held twice.
    if (release) raw[i] = RELEASED;
  }
  // Engines that write partitions (Spark, Athena) return rows in any order: sort as the query does.
  const key = (r: Record<string, FeatureValue>): number => (typeof r.cutoff === "number" ? r.cutoff : 0);
  rows.sort((a, b) => key(a) - key(b) || (a.userId! < b.userId! ? -1 : a.userId! > b.userId! ? 1 : 0));
  return { columns, rows, dictionary, mode: resolved.mode, cutoffs: resolved.cutoffs.slice(), horizonDays: resolved.horizonDays, label: resolved.label };
}

function cell(v: unknown, kind: FeatureInfo["type"] | "id" | "label", column: string, row: number): FeatureValue {
  if (v === null || v === undefined) {
    if (kind === "id" || kind === "label") throw internalError(`feature query result row ${row + 1}: "${column}" is null`);
    return null;
  }
  if (kind === "id") return String(v);
  if (kind === "categorical") return String(v);
  const n = typeof v === "bigint" ? Number(v) : typeof v === "string" && v.trim() !== "" ? Number(v) : typeof v === "number" ? v : NaN;
  // A NaN or infinity here is a bug in the definition (every ratio is NULLIF-guarded), not data.
  if (!Number.isFinite(n)) throw internalError(`feature query result row ${row + 1}: "${column}" is not a finite number (${String(v)})`);
  return n;
}
