import { barChart } from "./barChart";
import { Figure } from "./types";

/** One feature's importance; which measures are present depends on the model. */
export interface FeatureImportance {
  feature: string;
  gain?: number;
  permutation?: number;
}

/**
 * Horizontal bars of the `top` most important features by `measure` (gain for trees, permutation
 * for any model), largest first. Features without that measure are left out.
 */
export function featureImportance(rows: FeatureImportance[], measure: "gain" | "permutation" = "gain", top = 15, title?: string): Figure {
  const kept = rows
    .filter((r) => typeof r[measure] === "number" && Number.isFinite(r[measure]))
    .sort((a, b) => (b[measure] as number) - (a[measure] as number) || a.feature.localeCompare(b.feature))
    .slice(0, top);
  return barChart({
    title: title ?? `Feature importance (${measure})`,
    labels: kept.map((r) => r.feature),
    series: [{ name: measure, values: kept.map((r) => r[measure] as number), color: "#1f77b4" }],
    valueTitle: measure === "gain" ? "Total gain (share)" : "Drop in AUC when shuffled",
    horizontal: true,
  });
}
