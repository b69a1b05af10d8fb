import { SparkifyError } from "../errors";
import { DEFAULT_HORIZON_DAYS, defaultCutoff, lastLabelledCutoff, type FeatureMode, type LabelKind, type TimeRange } from "../features";
import { DAY_MS } from "../events/time";

/**
 * How the forward-mode cutoffs of a training table are chosen: one cutoff, several given ones,
 * weekly stacked cutoffs, or the features module's default (the last fully labelled midnight).
 */
export type CutoffPlan =
  | { kind: "single"; cutoff: number }
  | { kind: "list"; cutoffs: readonly number[] }
  | { kind: "weekly"; minHistoryDays: number }
  | { kind: "default" };

/** How the training table of a run is built (the `run` and `features` flags, notebook parameters). */
export interface TrainingTableOptions {
  mode?: FeatureMode;
  /** Forward mode: one cutoff, given cutoffs, weekly stacked cutoffs (default), or the features module's default. */
  cutoffs?: CutoffPlan;
  horizonDays?: number;
  label?: LabelKind;
}

/** The plan when none is given: weekly cutoffs with 14 days of history. */
export const WEEKLY: CutoffPlan = { kind: "weekly", minHistoryDays: 14 };

/**
 * Weekly cutoffs for a stacked training table: every 7 days back from the last cutoff whose label
 * window still lies inside the data (lastLabelledCutoff, the default cutoff), down to
 * `minHistoryDays` after the first event, so every user-row has some history and every label is
 * fully observed.
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

/** Parses the `cutoff` flag or notebook parameter: an ISO date, "weekly", or "" for weekly, "default" for the default. */
export function parseCutoffPlan(value: string | number | null | undefined): CutoffPlan {
  if (value === undefined || value === null || value === "" || value === "weekly") return WEEKLY;
  if (value === "default") return { kind: "default" };
  const iso = typeof value === "number" ? value : /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
  if (!Number.isFinite(iso)) throw new SparkifyError("E_BAD_OPTION", `cutoff must be an ISO date, "weekly" or "default", got "${value}".`);
  return { kind: "single", cutoff: iso };
}

/**
 * The forward-mode cutoffs a plan asks for, on any engine: given cutoffs as they are; weekly and
 * default ones from the data's time range, asked of `timeRange` only then. Undefined in
 * full-history mode; null when the time range is not known (a remote dry run sends nothing).
 */
export async function planCutoffs(options: TrainingTableOptions, timeRange: () => Promise<TimeRange | null>): Promise<number[] | undefined | null> {
  if ((options.mode ?? "forward") !== "forward") return undefined;
  const plan = options.cutoffs ?? WEEKLY;
  if (plan.kind === "single") return [plan.cutoff];
  if (plan.kind === "list") return [...plan.cutoffs];
  const range = await timeRange();
  if (range === null) return null;
  const horizonDays = options.horizonDays ?? DEFAULT_HORIZON_DAYS;
  return plan.kind === "weekly" ? weeklyCutoffs(range, horizonDays, plan.minHistoryDays) : [defaultCutoff(range, horizonDays)];
}

/** In words, how the plan's cutoffs follow from the time range (for a dry run, which cannot know it). */
export function describeCutoffPlan(options: TrainingTableOptions): string {
  const plan = options.cutoffs ?? WEEKLY;
  const h = options.horizonDays ?? DEFAULT_HORIZON_DAYS;
  const last = `the UTC midnight at or before (last event + 1 ms − ${h} days)`;
  if (plan.kind === "weekly") return `weekly cutoffs: every 7 days back from ${last}, down to ${plan.minHistoryDays} days after the first event`;
  return `the default cutoff: ${last}`;
}

/**
 * Whether the label window after `cutoff` closes inside the data: the events reach cutoff + horizon
 * (the last event at or after its last millisecond), so a churn label there is fully observed.
 */
export function labelWindowClosed(cutoff: number, horizonDays: number, range: TimeRange): boolean {
  return range.maxTs !== null && cutoff + horizonDays * DAY_MS <= range.maxTs + 1;
}
