import type { ChurnRateRow } from "../plots/churnRateBar";
import type { DailyActivityRow } from "../plots/eventsPerDay";
import type { PageMixRow } from "../plots/pageMix";
import type { SqlRunner } from "../store";
import { CHURN_BREAKDOWNS, ChurnBreakdown, churnRateBy } from "./churnRateBy";
import { eventsPerDayRows } from "./eventsPerDayRows";
import { pageMixRows } from "./pageMixRows";
import { SessionGapRow, SessionLengthRow, SessionQueryOptions, sessionGaps, sessionLengths } from "./sessionStats";

/** Everything the EDA charts need, as plain rows (what `eda.json` in a run folder holds). */
export interface EdaData {
  churnBy: Record<ChurnBreakdown, ChurnRateRow[]>;
  eventsPerDay: DailyActivityRow[];
  pageMix: PageMixRow[];
  sessionLengths: SessionLengthRow[];
  sessionGaps: SessionGapRow[];
}

/** The event columns the EDA queries read (the copy holds only these: song titles and names are the costly part). */
export const EDA_SOURCE_COLUMNS: readonly string[] = ["userId", "sessionId", "ts", "page", "gender", "level", "userAgent", "location"];

/**
 * Runs every EDA query over the cleaned `events` table (one after another: DuckDB parallelises
 * each), on one temporary copy when the runner's events re-read their files.
 */
export async function runEda(db: SqlRunner, opts: SessionQueryOptions = {}): Promise<EdaData> {
  return db.withEventsCopy ? db.withEventsCopy(() => edaQueries(db, opts), EDA_SOURCE_COLUMNS) : edaQueries(db, opts);
}

async function edaQueries(db: SqlRunner, opts: SessionQueryOptions): Promise<EdaData> {
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
