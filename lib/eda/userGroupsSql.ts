import { CHURN_PAGE, EVENTS_TABLE } from "../events/schema";
import { literal } from "../sql/quote";

/** Label of churners and of everyone else in EDA rows. */
export const GROUPS = { churners: "churners", others: "others" } as const;

/** A churn group name. */
export type Group = (typeof GROUPS)[keyof typeof GROUPS];

/**
 * A CTE `user_group("userId", grp)`: "churners" are users with a Cancellation Confirmation event in
 * the cleaned table, the rest "others". EDA describes the whole observed period, so it looks at all
 * of a user's events (the leakage rules apply to features, not to description).
 */
export function userGroupCte(table: string = EVENTS_TABLE): string {
  return `user_group AS (
  SELECT "userId",
         CASE WHEN bool_or(page = ${literal(CHURN_PAGE)}) THEN ${literal(GROUPS.churners)} ELSE ${literal(GROUPS.others)} END AS grp
  FROM ${table}
  GROUP BY "userId"
)`;
}

/** Reads a count or measure the SqlRunner returned (number, bigint or numeric string) as a number. */
export function num(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string" && v.trim() !== "") return Number(v);
  if (v === null || v === undefined) return NaN;
  return Number(v);
}
