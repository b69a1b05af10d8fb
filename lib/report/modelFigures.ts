import { FEATURE_WORDS } from "../features/dictionary";
import { calibrationPlot } from "../plots/calibrationPlot";
import { coefficients } from "../plots/coefficients";
import { confusionMatrix } from "../plots/confusionMatrix";
import { featureImportance } from "../plots/featureImportance";
import { gainsChart } from "../plots/gainsChart";
import { liftChart } from "../plots/liftChart";
import { prCurves } from "../plots/prCurves";
import { rocCurves } from "../plots/rocCurves";
import type { Figure } from "../plots/types";
import { calibrationBins, importanceRows, modelName, prArrays, rocArrays } from "./normalizeMetrics";
import type { MetricsInput } from "./types";

/** A figure with the report section it belongs to and a stable id. */
export interface PlacedFigure {
  id: string;
  section: "gains" | "curves" | "calibration" | "importance";
  figure: Figure;
}

/** A feature or encoded column ("level=paid") in words, from the feature dictionary. */
export function featureLabel(column: string): string {
  const [feature, category] = column.split("=", 2);
  const label = FEATURE_WORDS[feature]?.label ?? feature.replace(/_/g, " ");
  return category === undefined ? label : `${label}: ${category}`;
}

/**
 * The model charts of a report from metrics.json: cumulative gains and lift of every model, ROC
 * and PR curves, calibration (calibrated probabilities of every model, and the best model before
 * and after calibration), the best model's confusion matrix, tree gain and permutation
 * importance, LR coefficients. Feature names are shown in words.
 */
export function modelFigures(metrics: MetricsInput, best: string | null): PlacedFigure[] {
  const keys = Object.keys(metrics.models);
  const out: PlacedFigure[] = [];
  const base = metrics.dataset?.positive_rate;
  const gains = keys.flatMap((k) => {
    const c = metrics.models[k].gains?.curve;
    return c?.length ? [{ name: modelName(k), points: c }] : [];
  });
  if (gains.length) {
    out.push({ id: "gains", section: "gains", figure: gainsChart(gains, typeof base === "number" ? base : undefined) });
    out.push({ id: "lift", section: "gains", figure: liftChart(gains) });
  }
  const rocs = keys.flatMap((k) => {
    const r = rocArrays(metrics.models[k].roc);
    return r ? [{ name: modelName(k), ...r, auc: metrics.models[k].auc }] : [];
  });
  if (rocs.length) out.push({ id: "roc", section: "curves", figure: rocCurves(rocs) });
  const prs = keys.flatMap((k) => {
    const r = prArrays(metrics.models[k].pr);
    return r ? [{ name: modelName(k), ...r, prAuc: metrics.models[k].pr_auc }] : [];
  });
  if (prs.length) out.push({ id: "pr", section: "curves", figure: prCurves(prs, typeof base === "number" ? base : undefined) });
  const calibrated = metrics.models[keys[0]]?.calibration_summary !== undefined;
  // Equal-count bins when metrics.json has them: at a 5 % base rate nearly every calibrated probability
  // falls in the first equal-width bin, which would leave one point per model on the chart.
  const quantile = keys.every((k) => calibrationBins(metrics.models[k].calibration_quantile).length > 0);
  const cal = keys
    .map((k) => ({ name: modelName(k), bins: calibrationBins(quantile ? metrics.models[k].calibration_quantile : metrics.models[k].calibration) }))
    .filter((s) => s.bins.length > 0);
  if (cal.length) {
    const title = !calibrated ? "Calibration" : quantile ? "Calibrated probabilities against observed churn (10 equal-count bins, zoomed)" : "Calibrated probabilities against observed churn (zoomed)";
    out.push({ id: "calibration", section: "calibration", figure: calibrationPlot(cal, title, { countLabel: "rows", range: calibrated ? "auto" : 1 }) });
  }
  const raw = best ? calibrationBins(metrics.models[best]?.calibration_raw) : [];
  const bestCal = best ? calibrationBins(metrics.models[best]?.calibration) : [];
  if (best && raw.length && bestCal.length) {
    const series = [
      { name: `${modelName(best)}, raw scores`, bins: raw, dashed: true },
      { name: `${modelName(best)}, calibrated`, bins: bestCal },
    ];
    out.push({ id: "calibration-raw", section: "calibration", figure: calibrationPlot(series, `${modelName(best)} before and after calibration`, { countLabel: "rows" }) });
  }
  const conf = best ? metrics.models[best]?.confusion : undefined;
  if (best && conf) {
    const thr = metrics.models[best].threshold;
    out.push({ id: "confusion", section: "calibration", figure: confusionMatrix(conf, `Confusion matrix, ${modelName(best)}${thr !== undefined ? `: flagged at ≥ ${(thr * 100).toFixed(1)}%` : ""}`) });
  }
  for (const k of keys) {
    const { rows, modelKind } = importanceRows(metrics.models[k]);
    const worded = rows.map((r) => ({ ...r, feature: featureLabel(r.feature) }));
    if (modelKind === "gain" && worded.some((r) => r.gain !== undefined)) {
      out.push({ id: `importance-gain-${k}`, section: "importance", figure: featureImportance(worded, "gain", 15, `${modelName(k)}: feature importance (gain)`) });
    }
    if (k === best && worded.some((r) => r.permutation !== undefined)) {
      out.push({ id: `importance-permutation-${k}`, section: "importance", figure: featureImportance(worded, "permutation", 15, `${modelName(k)}: permutation importance`) });
    }
    const coefs = metrics.models[k].coefficients;
    if (coefs?.length) {
      // Standardised coefficients compare features of different units; raw ones as a fallback.
      const std = coefs.every((c) => typeof c.coef_std === "number");
      const rowsC = coefs.map((c) => ({ feature: featureLabel(c.column ?? c.feature ?? "?"), coef: std ? (c.coef_std as number) : c.coef }));
      out.push({ id: `coefficients-${k}`, section: "importance", figure: coefficients(rowsC, 15, `${modelName(k)}: ${std ? "standardised " : ""}coefficients`, std ? "Log-odds per standard deviation" : "Log-odds per unit") });
    }
  }
  return out;
}
