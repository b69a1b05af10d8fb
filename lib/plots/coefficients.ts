import { barChart } from "./barChart";
import { COLORS, Figure } from "./types";

/** One logistic-regression coefficient. */
export interface Coefficient {
  feature: string;
  coef: number;
}

/**
 * Horizontal bars of the `top` coefficients by absolute size; red raises the churn probability,
 * blue lowers it. Use standardised coefficients to compare features with each other.
 */
export function coefficients(rows: Coefficient[], top = 15, title = "Logistic regression coefficients", valueTitle = "Coefficient (log-odds per unit)"): Figure {
  const kept = rows
    .filter((r) => Number.isFinite(r.coef))
    .sort((a, b) => Math.abs(b.coef) - Math.abs(a.coef) || a.feature.localeCompare(b.feature))
    .slice(0, top);
  return barChart({
    title,
    labels: kept.map((r) => r.feature),
    series: [{ name: "coefficient", values: kept.map((r) => r.coef), color: kept.map((r) => (r.coef >= 0 ? COLORS.churners : COLORS.others)) }],
    valueTitle,
    horizontal: true,
  });
}
