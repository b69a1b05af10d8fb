import type { PageMixRow } from "../plots/pageMix";
import type { SqlRunner } from "../store";
import { EVENTS_TABLE } from "../events/schema";
import { num, userGroupCte } from "./userGroupsSql";

/** SQL of {@link pageMixRows}. */
export function pageMixSql(table: string = EVENTS_TABLE): string {
  return `WITH ${userGroupCte(table)}, counts AS (
  SELECT g.grp AS grp, e.page AS page, CAST(count(*) AS BIGINT) AS events
  FROM ${table} e JOIN user_group g USING ("userId")
  GROUP BY 1, 2
)
SELECT grp, page, events, CAST(events AS DOUBLE) / sum(events) OVER (PARTITION BY grp) AS share
FROM counts
ORDER BY grp, events DESC, page`;
}

/** Each page's count and share among the events of churners and of others. */
export async function pageMixRows(db: SqlRunner): Promise<PageMixRow[]> {
  const rows = await db.rows(pageMixSql());
  return rows.map((r) => ({ page: String(r.page), group: String(r.grp), events: num(r.events), share: num(r.share) }));
}
