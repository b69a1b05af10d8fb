import { churnRateBar } from "../plots/churnRateBar";
import { distributionByGroup } from "../plots/distributionByGroup";
import { eventsPerDay } from "../plots/eventsPerDay";
import { pageMix } from "../plots/pageMix";
import type { Figure } from "../plots/types";
import { MIN_GROUP_USERS, mergeSmallGroups } from "./mergeSmallGroups";
import type { EdaData } from "./runEda";
import type { ChurnBreakdown } from "./churnRateBy";

/** The EDA charts, keyed by a stable name (used as element ids in the report). */
export interface EdaFigures {
  churnByGender: Figure;
  churnByLevel: Figure;
  churnByDevice: Figure;
  churnByState: Figure;
  eventsPerDay: Figure;
  pageMix: Figure;
  sessionLengths: Figure;
  sessionGaps: Figure;
}

/** Options of {@link edaFigures}. */
export interface EdaFigureOptions {
  /** Categories with fewer users are merged into "other" (default {@link MIN_GROUP_USERS}). */
  minGroupUsers?: number;
}

function byGroup<T extends { group: string }>(rows: T[], value: (r: T) => number): Array<{ name: string; values: number[] }> {
  const groups = [...new Set(rows.map((r) => r.group))].sort();
  return groups.map((g) => ({ name: g, values: rows.filter((r) => r.group === g).map(value) }));
}

/** Axis name, and the categories in words. */
const NOUN: Record<ChurnBreakdown, [string, string]> = {
  gender: ["gender", "genders"],
  level: ["level (at last event)", "levels"],
  device: ["device", "devices"],
  state: ["state", "states"],
};

/**
 * Builds every EDA chart from {@link EdaData} (partial data gives the charts it can). Churn-rate
 * bars carry 95 % Wilson intervals, and categories with fewer than `minGroupUsers` users are
 * merged into one "other" bar; the page mix leaves NextSong out and renormalises the rest.
 */
export function edaFigures(eda: Partial<EdaData>, opts: EdaFigureOptions = {}): Partial<EdaFigures> {
  const out: Partial<EdaFigures> = {};
  const min = opts.minGroupUsers ?? MIN_GROUP_USERS;
  const rate = (by: ChurnBreakdown, top: number): Figure | undefined => {
    const rows = eda.churnBy?.[by];
    if (!rows) return undefined;
    const { rows: merged, merged: k } = mergeSmallGroups(rows, min, NOUN[by][1]);
    const subtitle = k > 0 ? `${k} ${NOUN[by][1]} with fewer than ${min} users merged into "other"` : undefined;
    return churnRateBar(merged, NOUN[by][0], top, { subtitle, keepOrder: true });
  };
  const gender = rate("gender", 20);
  if (gender) out.churnByGender = gender;
  const level = rate("level", 20);
  if (level) out.churnByLevel = level;
  const device = rate("device", 20);
  if (device) out.churnByDevice = device;
  const state = rate("state", 25);
  if (state) out.churnByState = state;
  if (eda.eventsPerDay) out.eventsPerDay = eventsPerDay(eda.eventsPerDay);
  if (eda.pageMix) out.pageMix = pageMix(eda.pageMix);
  if (eda.sessionLengths) {
    out.sessionLengths = distributionByGroup(byGroup(eda.sessionLengths, (r) => r.minutes), { title: "Session length, churners vs others", valueTitle: "Minutes (log scale)", log: true, kind: "box" });
  }
  if (eda.sessionGaps) {
    out.sessionGaps = distributionByGroup(byGroup(eda.sessionGaps, (r) => r.hours), { title: "Time between sessions, churners vs others", valueTitle: "Hours (log scale)", log: true, kind: "box" });
  }
  return out;
}
