import type { DailyActivityRow } from "../plots/eventsPerDay";
import type { SqlRunner } from "../store";
import { EVENTS_TABLE } from "../events/schema";
import { DAY_MS } from "../events/time";
import { num, userGroupCte } from "./userGroupsSql";

/** SQL of {@link eventsPerDayRows}: events and active users per UTC day (day number since epoch) and group. */
export function eventsPerDaySql(table: string = EVENTS_TABLE): string {
  return `WITH ${userGroupCte(table)}
SELECT CAST(floor(e.ts / ${DAY_MS}) AS BIGINT) AS day,
       g.grp AS grp,
       CAST(count(*) AS BIGINT) AS events,
       CAST(count(DISTINCT e."userId") AS BIGINT) AS users
FROM ${table} e JOIN user_group g USING ("userId")
GROUP BY 1, 2
ORDER BY 1, 2`;
}

/** Events and active users per UTC day, churners against others. */
export async function eventsPerDayRows(db: SqlRunner): Promise<DailyActivityRow[]> {
  const rows = await db.rows(eventsPerDaySql());
  // Days are formatted here, not in SQL, so the database's time zone cannot shift them.
  return rows.map((r) => ({
    day: new Date(num(r.day) * DAY_MS).toISOString().slice(0, 10),
    group: String(r.grp),
    events: num(r.events),
    users: num(r.users),
  }));
}
