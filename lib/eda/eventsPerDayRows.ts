import type { DailyActivityRow } from "../plots/eventsPerDay";
import type { SqlRunner } from "../store";
import { EVENTS_TABLE } from "../events/schema";
import { DAY_MS } from "../events/time";
import { num, userGroupCte } from "./userGroupsSql";

/** SQL of the UTC day of an epoch-ms time column as a day number since the epoch. */
export function utcDaySql(ts: string): string {
  return `CAST(floor(${ts} / ${DAY_MS}) AS BIGINT)`;
}

/** SQL of {@link eventsPerDayRows}: events and active users per UTC day (day number since epoch) and group. */
export function eventsPerDaySql(table: string = EVENTS_TABLE): string {
  return `WITH ${userGroupCte(table)}
SELECT ${utcDaySql("e.ts")} AS day,
       g.grp AS grp,
       CAST(count(*) AS BIGINT) AS events,
       CAST(count(DISTINCT e."userId") AS BIGINT) AS users
FROM ${table} e JOIN user_group g USING ("userId")
GROUP BY 1, 2
ORDER BY 1, 2`;
}

/** Events and active users per UTC day, churners against others. */
export async function eventsPerDayRows(db: SqlRunner): Promise<DailyActivityRow[]> {
  return dailyActivityRows(await db.rows(eventsPerDaySql()));
}

/** Reads the rows of {@link eventsPerDaySql} (day number, grp, events, users) as chart rows. */
export function dailyActivityRows(rows: Record<string, unknown>[]): DailyActivityRow[] {
  // Days are formatted here, not in SQL, so the database's time zone cannot shift them.
  return rows.map((r) => ({
    day: new Date(num(r.day) * DAY_MS).toISOString().slice(0, 10),
    group: String(r.grp),
    events: num(r.events),
    users: num(r.users),
  }));
}
