import type { BudgetRow } from "./types";

/**
 * Expected churners reached when the retention team contacts the top of the ranked list: for the top
 * 5, 10 and 20 % of users and the top 25, 50 and 100 users (those the population has), the sum of
 * the contacted users' calibrated probabilities.
 * @param probabilities calibrated probabilities of the scored users, in any order
 */
export function budgetRows(probabilities: ArrayLike<number>): BudgetRow[] {
  const p = Float64Array.from(probabilities).sort().reverse();
  const n = p.length;
  const cum = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) cum[i + 1] = cum[i] + p[i];
  const counts = new Set<number>();
  for (const share of [0.05, 0.1, 0.2]) counts.add(Math.max(1, Math.round(share * n)));
  for (const k of [25, 50, 100]) if (k < n) counts.add(k);
  if (n === 0) return [];
  return [...counts].filter((k) => k <= n).sort((a, b) => a - b).map((k) => ({ contacts: k, share: k / n, expected_churners: cum[k] }));
}
