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
${PAGE_SHARES}`;
}

/** The page mix from a CTE `counts(grp, page, events)`, events a BIGINT. */
export const PAGE_SHARES = `SELECT grp, page, events, CAST(events AS DOUBLE) / sum(events) OVER (PARTITION BY grp) AS share
FROM counts
ORDER BY grp, events DESC, page`;

/** Each page's count and share among the events of churners and of others. */
export async function pageMixRows(db: SqlRunner): Promise<PageMixRow[]> {
  return pageMixRowsOf(await db.rows(pageMixSql()));
}

/** Reads the rows of {@link pageMixSql} as chart rows. */
export function pageMixRowsOf(rows: Record<string, unknown>[]): PageMixRow[] {
  return rows.map((r) => ({ page: String(r.page), group: String(r.grp), events: num(r.events), share: num(r.share) }));
}
