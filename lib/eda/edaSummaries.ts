// The EDA tables from two scans of the events instead of one or two per table: a per-user summary
// (churned, last attributes) and per-user counts by session, by UTC day and by page, kept in
// temporary tables that every chart query then reads (they are a few hundred thousand rows where
// the events are tens of millions). The per-chart functions (churnRateBy, …) stay the reference:
// each derived query gives their rows exactly (counts summed from counts, same types, same order).
import type { ChurnRateRow } from "../plots/churnRateBar";
import type { SqlRunner } from "../store";
import { EVENTS_TABLE } from "../events/schema";
import { ident, literal } from "../sql/quote";
import { CHURN_BREAKDOWNS, ChurnBreakdown, churnRateRows, churnRatesSql, userAttributesSql } from "./churnRateBy";
import { dailyActivityRows, utcDaySql } from "./eventsPerDayRows";
import { PAGE_SHARES, pageMixRowsOf } from "./pageMixRows";
import type { EdaData } from "./runEda";
import { sessionGapRows, sessionGapsFromSql, sessionLengthRows, sessionLengthsFromSql } from "./sessionStats";
import { GROUPS } from "./userGroupsSql";

/** Which grouping of the per-user counts a row of the counts table belongs to (DuckDB's GROUPING() bits of sessionId, day, page). */
const PART = { session: 0b011, day: 0b101, page: 0b110 } as const;

/** Names of one call's temporary tables: unique, so calls on one connection cannot meet. */
let calls = 0;
function tableNames(): { users: string; counts: string } {
  const tag = `${process.pid}_${++calls}`;
  return { users: `temp.${ident(`sparkify_eda_users_${tag}`)}`, counts: `temp.${ident(`sparkify_eda_counts_${tag}`)}` };
}

/** The per-user counts in one scan: by session (with first and last time), by UTC day and by page. */
function countsSql(table: string): string {
  return `SELECT "userId", "sessionId", ${utcDaySql("ts")} AS day, page,
       GROUPING("sessionId", day, page) AS part,
       CAST(count(*) AS BIGINT) AS events, min(ts) AS start_ts, max(ts) AS end_ts
FROM ${table}
GROUP BY GROUPING SETS (("userId", "sessionId"), ("userId", day), ("userId", page))`;
}

/**
 * Every EDA table over `table` (default the cleaned `events`) from two scans of it, through two
 * temporary tables (dropped before returning). `maxPerGroup` is the session queries' sample size,
 * already checked (sessionSampleLimit).
 */
export async function edaFromSummaries(db: SqlRunner, maxPerGroup: number, table: string = EVENTS_TABLE): Promise<EdaData> {
  const t = tableNames();
  try {
    await db.rows(`CREATE TEMP TABLE ${t.users} AS ${userAttributesSql(table)}`);
    await db.rows(`CREATE TEMP TABLE ${t.counts} AS ${countsSql(table)}`);
    const userGroup = `user_group AS (
  SELECT "userId", CASE WHEN churned = 1 THEN ${literal(GROUPS.churners)} ELSE ${literal(GROUPS.others)} END AS grp
  FROM ${t.users}
)`;
    const sessions = `sessions AS (
  SELECT "userId", "sessionId", start_ts, end_ts, events FROM ${t.counts} WHERE part = ${PART.session}
)`;
    const churnBy = {} as Record<ChurnBreakdown, ChurnRateRow[]>;
    for (const by of CHURN_BREAKDOWNS) churnBy[by] = churnRateRows(await db.rows(churnRatesSql(by, t.users)));
    return {
      churnBy,
      eventsPerDay: dailyActivityRows(
        await db.rows(`WITH ${userGroup}
SELECT c.day AS day, g.grp AS grp, CAST(sum(c.events) AS BIGINT) AS events, CAST(count(*) AS BIGINT) AS users
FROM ${t.counts} c JOIN user_group g USING ("userId")
WHERE c.part = ${PART.day}
GROUP BY 1, 2
ORDER BY 1, 2`),
      ),
      pageMix: pageMixRowsOf(
        await db.rows(`WITH ${userGroup}, counts AS (
  SELECT g.grp AS grp, c.page AS page, CAST(sum(c.events) AS BIGINT) AS events
  FROM ${t.counts} c JOIN user_group g USING ("userId")
  WHERE c.part = ${PART.page}
  GROUP BY 1, 2
)
${PAGE_SHARES}`),
      ),
      sessionLengths: sessionLengthRows(await db.rows(`WITH ${userGroup}, ${sessions}\n${sessionLengthsFromSql(maxPerGroup)}`)),
      sessionGaps: sessionGapRows(await db.rows(`WITH ${userGroup}, ${sessions}\n${sessionGapsFromSql(maxPerGroup)}`)),
    };
  } finally {
    await db.rows(`DROP TABLE IF EXISTS ${t.counts}`);
    await db.rows(`DROP TABLE IF EXISTS ${t.users}`);
  }
}
