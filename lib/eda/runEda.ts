import type { ChurnRateRow } from "../plots/churnRateBar";
import type { DailyActivityRow } from "../plots/eventsPerDay";
import type { PageMixRow } from "../plots/pageMix";
import type { SqlRunner } from "../store";
import type { ChurnBreakdown } from "./churnRateBy";
import { edaFromSummaries } from "./edaSummaries";
import { SessionGapRow, SessionLengthRow, SessionQueryOptions, sessionSampleLimit } from "./sessionStats";

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
 * Every EDA table over the cleaned `events` table, from two scans of it (see edaSummaries.ts), on
 * one temporary copy when the runner's events re-read their files.
 */
export async function runEda(db: SqlRunner, opts: SessionQueryOptions = {}): Promise<EdaData> {
  const maxPerGroup = sessionSampleLimit(opts); // a bad option fails before any copy is made
  const tables = () => edaFromSummaries(db, maxPerGroup);
  return db.withEventsCopy ? db.withEventsCopy(tables, EDA_SOURCE_COLUMNS) : tables();
}
