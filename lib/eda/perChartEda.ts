import type { ChurnRateRow } from "../plots/churnRateBar";
import type { SqlRunner } from "../store";
import { CHURN_BREAKDOWNS, ChurnBreakdown, churnRateBy } from "./churnRateBy";
import { eventsPerDayRows } from "./eventsPerDayRows";
import { pageMixRows } from "./pageMixRows";
import type { EdaData } from "./runEda";
import { SessionQueryOptions, sessionGaps, sessionLengths } from "./sessionStats";

/**
 * The EDA tables from the per-chart functions, each reading the events on its own (ten scans and
 * more): what runEda did before edaSummaries.ts, kept as the reference its tests and bench compare against.
 */
export async function perChartEda(db: SqlRunner, opts: SessionQueryOptions = {}): Promise<EdaData> {
  const churnBy = {} as Record<ChurnBreakdown, ChurnRateRow[]>;
  for (const by of CHURN_BREAKDOWNS) churnBy[by] = await churnRateBy(db, by);
  return {
    churnBy,
    eventsPerDay: await eventsPerDayRows(db),
    pageMix: await pageMixRows(db),
    sessionLengths: await sessionLengths(db, opts),
    sessionGaps: await sessionGaps(db, opts),
  };
}
