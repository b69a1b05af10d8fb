import { SparkifyError } from "../errors";
import { DAY_MS } from "../events/time";
import type { SqlRunner } from "../store";
import type { FeatureMode, FeatureOptions, LabelKind, ResolvedFeatureOptions, TimeRange } from "./types";
import { timeRangeQuery } from "../sql/timeRangeQuery";

const MODES: readonly FeatureMode[] = ["forward", "full-history"];
const LABELS: readonly LabelKind[] = ["cancel", "cancel-or-downgrade"];

/** Default label horizon H, in days. */
export const DEFAULT_HORIZON_DAYS = 14;

/** The time-range query (columns min_ts, max_ts) the store and the remote engines share (lib/sql). */
export { timeRangeQuery };

/** First and last event time of the `events` table behind `runner`. */
export async function eventTimeRange(runner: SqlRunner): Promise<TimeRange> {
  if (runner.timeRange) return runner.timeRange();
  const [row] = await runner.rows(timeRangeQuery());
  const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  return { minTs: num(row?.min_ts), maxTs: num(row?.max_ts) };
}

/**
 * The last cutoff whose label window lies inside the data: the UTC midnight at or before (last event
 * + 1 ms − H days), so the whole window [T, T + H) is observed and no label is cut short. The default
 * cutoff and the newest weekly cutoff, on every engine.
 */
export function lastLabelledCutoff(range: TimeRange, horizonDays: number): number {
  if (range.maxTs === null || range.minTs === null) throw new SparkifyError("E_EMPTY_INPUT", "the events table is empty: there is nothing to compute features from.");
  return Math.floor((range.maxTs + 1 - horizonDays * DAY_MS) / DAY_MS) * DAY_MS;
}

/** The default forward-mode cutoff: lastLabelledCutoff, refused when it leaves no history before it. */
export function defaultCutoff(range: TimeRange, horizonDays: number): number {
  const cutoff = lastLabelledCutoff(range, horizonDays);
  const { minTs, maxTs } = range as { minTs: number; maxTs: number }; // lastLabelledCutoff refused an empty range
  if (cutoff <= minTs) {
    const spanDays = ((maxTs - minTs) / DAY_MS).toFixed(1);
    throw new SparkifyError("E_BAD_OPTION", `the data spans only ${spanDays} days, not more than the ${horizonDays}-day horizon: give a cutoff (--cutoff) or a shorter horizon (--horizon).`);
  }
  return cutoff;
}

/** Checks `options` and fills in every default, given the data's time range (pure). */
export function resolveFeatureOptions(range: TimeRange, options: FeatureOptions = {}): ResolvedFeatureOptions {
  const mode = options.mode ?? "forward";
  if (!MODES.includes(mode)) throw new SparkifyError("E_BAD_OPTION", `mode must be one of ${MODES.join(", ")}, got "${String(mode)}".`);
  const label = options.label ?? "cancel";
  if (!LABELS.includes(label)) throw new SparkifyError("E_BAD_OPTION", `label must be one of ${LABELS.join(", ")}, got "${String(label)}".`);
  const horizonDays = options.horizonDays ?? DEFAULT_HORIZON_DAYS;
  if (typeof horizonDays !== "number" || !Number.isFinite(horizonDays) || horizonDays <= 0) {
    throw new SparkifyError("E_BAD_OPTION", `horizonDays must be a positive number of days, got ${String(horizonDays)}.`);
  }
  const given = [...(options.cutoff === undefined ? [] : [options.cutoff]), ...(options.cutoffs ?? [])];
  for (const c of given) {
    if (typeof c !== "number" || !Number.isSafeInteger(c)) throw new SparkifyError("E_BAD_OPTION", `a cutoff must be a whole number of epoch milliseconds, got ${String(c)}.`);
  }
  if (mode === "full-history") {
    if (given.length > 0) throw new SparkifyError("E_BAD_OPTION", "a cutoff applies to forward mode only; full-history mode uses each user's whole history.");
    return { mode, cutoffs: [], horizonDays, label };
  }
  const cutoffs = given.length > 0 ? [...new Set(given)].sort((a, b) => a - b) : [defaultCutoff(range, horizonDays)];
  return { mode, cutoffs, horizonDays, label };
}

/**
 * Resolves feature options against a data source: a SqlRunner (its events' time range is queried)
 * or a known time range. Forward mode without a cutoff gets `defaultCutoff`.
 */
export async function resolveCutoffs(source: SqlRunner | TimeRange, options: FeatureOptions = {}): Promise<ResolvedFeatureOptions> {
  const range = "rows" in source ? await eventTimeRange(source) : source;
  return resolveFeatureOptions(range, options);
}
