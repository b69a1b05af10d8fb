import { SparkifyError } from "../errors";
import type { ChurnRateRow } from "../plots/churnRateBar";
import type { SqlRunner } from "../store";
import { CHURN_PAGE, EVENTS_TABLE } from "../events/schema";
import { literal } from "../sql/quote";
import { num } from "./userGroupsSql";

/** User attributes churn rates are broken down by. */
export const CHURN_BREAKDOWNS = ["gender", "level", "device", "state"] as const;

/** One of {@link CHURN_BREAKDOWNS}. */
export type ChurnBreakdown = (typeof CHURN_BREAKDOWNS)[number];

/** Device family from a user agent; order matters (iPhone agents mention Mac OS, Android ones Linux). */
export const DEVICE_SQL = `CASE
    WHEN ua IS NULL THEN 'unknown'
    WHEN ua LIKE '%iPhone%' THEN 'iPhone'
    WHEN ua LIKE '%iPad%' THEN 'iPad'
    WHEN ua LIKE '%Android%' THEN 'Android'
    WHEN ua LIKE '%Windows%' THEN 'Windows'
    WHEN ua LIKE '%Macintosh%' THEN 'Mac'
    WHEN ua LIKE '%Linux%' THEN 'Linux'
    ELSE 'other' END`;

const CATEGORY: Record<ChurnBreakdown, string> = {
  gender: "coalesce(gender, 'unknown')",
  level: "coalesce(level, 'unknown')",
  device: DEVICE_SQL,
  // "New York-Newark-Jersey City, NY-NJ-PA": the first state after the comma.
  state: "coalesce(nullif(regexp_extract(location, ',\\s*([A-Z]{2})', 1), ''), 'unknown')",
};

/**
 * SQL of one row per user of `table`: `churned` (1 or 0) and the user's last known gender, level,
 * user agent (`ua`) and location, the attributes {@link churnRatesSql} breaks churn down by.
 */
export function userAttributesSql(table: string = EVENTS_TABLE): string {
  return `SELECT "userId",
         CASE WHEN bool_or(page = ${literal(CHURN_PAGE)}) THEN 1 ELSE 0 END AS churned,
         arg_max(gender, ts) FILTER (WHERE gender IS NOT NULL) AS gender,
         arg_max(level, ts) FILTER (WHERE level IS NOT NULL) AS level,
         arg_max("userAgent", ts) FILTER (WHERE "userAgent" IS NOT NULL) AS ua,
         arg_max(location, ts) FILTER (WHERE location IS NOT NULL) AS location
  FROM ${table}
  GROUP BY "userId"`;
}

/** SQL of the churn rates by `by` over `users`, a relation of {@link userAttributesSql}'s rows: largest categories first. */
export function churnRatesSql(by: ChurnBreakdown, users: string): string {
  return `SELECT ${CATEGORY[by]} AS category,
       CAST(count(*) AS BIGINT) AS users,
       CAST(sum(churned) AS BIGINT) AS churners
FROM ${users}
GROUP BY 1
ORDER BY users DESC, category`;
}

/** SQL of {@link churnRateBy}: one row per user (last known attribute values), then rates per category. */
export function churnRateSql(by: ChurnBreakdown, table: string = EVENTS_TABLE): string {
  return `WITH users AS (
  ${userAttributesSql(table)}
)
${churnRatesSql(by, "users")}`;
}

/** Checks `by` names a breakdown (callers in plain JavaScript or notebooks can pass anything). */
function checkBreakdown(by: ChurnBreakdown): void {
  if (!CHURN_BREAKDOWNS.includes(by)) throw new SparkifyError("E_BAD_OPTION", `churnRateBy: "${String(by)}" is not one of ${CHURN_BREAKDOWNS.join(", ")}.`);
}

/** Reads the rows of {@link churnRatesSql} as chart rows. */
export function churnRateRows(rows: Record<string, unknown>[]): ChurnRateRow[] {
  return rows.map((r) => {
    const users = num(r.users);
    const churners = num(r.churners);
    return { category: String(r.category), users, churners, churnRate: users > 0 ? churners / users : 0 };
  });
}

/**
 * Churn rate per gender, level (at the user's last event), device (from the user agent) or state
 * (first state of the location), over the cleaned `events` table. Largest categories first.
 */
export async function churnRateBy(db: SqlRunner, by: ChurnBreakdown): Promise<ChurnRateRow[]> {
  checkBreakdown(by);
  return churnRateRows(await db.rows(churnRateSql(by)));
}
