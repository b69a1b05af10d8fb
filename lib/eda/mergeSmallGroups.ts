import { SparkifyError } from "../errors";
import type { ChurnRateRow } from "../plots/churnRateBar";

/** Categories below this many users are merged by default: a rate of 2 out of 5 users says little. */
export const MIN_GROUP_USERS = 10;

/**
 * Merges the categories with fewer than `minUsers` users into one row, `other (k <noun>)`, so a
 * chart does not present the churn rate of 3 users as a finding. Returns the rows (largest first,
 * the merged row last) and how many categories were merged. A lone small category keeps its name,
 * and so do all when every category is small (merging would only hide them; their intervals show
 * how little they say).
 */
export function mergeSmallGroups(rows: ChurnRateRow[], minUsers: number = MIN_GROUP_USERS, noun = "categories"): { rows: ChurnRateRow[]; merged: number } {
  if (!(minUsers >= 1)) throw new SparkifyError("E_BAD_OPTION", `mergeSmallGroups: minUsers must be at least 1, got ${minUsers}.`);
  const big = rows.filter((r) => r.users >= minUsers).sort((a, b) => b.users - a.users || a.category.localeCompare(b.category));
  const small = rows.filter((r) => r.users < minUsers);
  if (small.length < 2 || big.length === 0) return { rows: [...big, ...small], merged: 0 };
  const users = small.reduce((s, r) => s + r.users, 0);
  const churners = small.reduce((s, r) => s + r.churners, 0);
  return {
    rows: [...big, { category: `other (${small.length} ${noun})`, users, churners, churnRate: users > 0 ? churners / users : 0 }],
    merged: small.length,
  };
}
