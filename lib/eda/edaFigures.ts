import { churnRateBar } from "../plots/churnRateBar";
import { distributionByGroup } from "../plots/distributionByGroup";
import { eventsPerDay } from "../plots/eventsPerDay";
import { pageMix } from "../plots/pageMix";
import type { Figure } from "../plots/types";
import type { EdaData } from "./runEda";

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

function byGroup<T extends { group: string }>(rows: T[], value: (r: T) => number): Array<{ name: string; values: number[] }> {
  const groups = [...new Set(rows.map((r) => r.group))].sort();
  return groups.map((g) => ({ name: g, values: rows.filter((r) => r.group === g).map(value) }));
}

/** Builds every EDA chart from {@link EdaData} (partial data gives the charts it can). */
export function edaFigures(eda: Partial<EdaData>): Partial<EdaFigures> {
  const out: Partial<EdaFigures> = {};
  const c = eda.churnBy;
  if (c?.gender) out.churnByGender = churnRateBar(c.gender, "gender");
  if (c?.level) out.churnByLevel = churnRateBar(c.level, "level (at last event)");
  if (c?.device) out.churnByDevice = churnRateBar(c.device, "device");
  if (c?.state) out.churnByState = churnRateBar(c.state, "state", 20);
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
