import { SparkifyError } from "../errors";
import { lastLabelledCutoff, type TimeRange } from "../features";

const DAY_MS = 86_400_000;

/** How the forward-mode cutoffs of a training table are chosen. */
export type CutoffPlan = { kind: "single"; cutoff: number } | { kind: "weekly"; minHistoryDays: number } | { kind: "default" };

/**
 * Weekly cutoffs for a stacked training table: every 7 days back from the last cutoff whose label
 * window still lies inside the data, down to `minHistoryDays` after the first event, so every
 * user-row has some history and every label is fully observed.
 */
export function weeklyCutoffs(range: TimeRange, horizonDays: number, minHistoryDays = 14): number[] {
  const last = lastLabelledCutoff(range, horizonDays);
  const { minTs, maxTs } = range as { minTs: number; maxTs: number }; // lastLabelledCutoff refused an empty range
  const first = minTs + minHistoryDays * DAY_MS;
  const cutoffs: number[] = [];
  for (let t = last; t >= first; t -= 7 * DAY_MS) cutoffs.push(t);
  if (cutoffs.length === 0) {
    const spanDays = ((maxTs - minTs) / DAY_MS).toFixed(1);
    throw new SparkifyError("E_BAD_OPTION", `the data spans ${spanDays} days: too short for weekly cutoffs with ${minHistoryDays} days of history and a ${horizonDays}-day horizon; give --cutoff or a shorter --horizon.`);
  }
  return cutoffs.reverse();
}
