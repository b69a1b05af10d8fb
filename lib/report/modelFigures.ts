import { calibrationPlot } from "../plots/calibrationPlot";
import { coefficients } from "../plots/coefficients";
import { confusionMatrix } from "../plots/confusionMatrix";
import { featureImportance } from "../plots/featureImportance";
import { prCurves } from "../plots/prCurves";
import { rocCurves } from "../plots/rocCurves";
import type { Figure } from "../plots/types";
import { calibrationBins, importanceRows, modelName, prArrays, rocArrays } from "./normalizeMetrics";
import type { MetricsInput } from "./types";

/** A figure with the report section it belongs to and a stable id. */
export interface PlacedFigure {
  id: string;
  section: "curves" | "calibration" | "importance";
  figure: Figure;
}

/**
 * The model charts of a report from metrics.json: ROC and PR curves of every model, calibration,
 * the best model's confusion matrix, tree gain and permutation importance, LR coefficients.
 */
export function modelFigures(metrics: MetricsInput, best: string | null): PlacedFigure[] {
  const keys = Object.keys(metrics.models);
  const out: PlacedFigure[] = [];
  const rocs = keys.flatMap((k) => {
    const r = rocArrays(metrics.models[k].roc);
    return r ? [{ name: modelName(k), ...r, auc: metrics.models[k].auc }] : [];
  });
  if (rocs.length) out.push({ id: "roc", section: "curves", figure: rocCurves(rocs) });
  const prs = keys.flatMap((k) => {
    const r = prArrays(metrics.models[k].pr);
    return r ? [{ name: modelName(k), ...r, prAuc: metrics.models[k].pr_auc }] : [];
  });
  const base = metrics.dataset?.positive_rate;
  if (prs.length) out.push({ id: "pr", section: "curves", figure: prCurves(prs, typeof base === "number" ? base : undefined) });
  const cal = keys.map((k) => ({ name: modelName(k), bins: calibrationBins(metrics.models[k].calibration) })).filter((s) => s.bins.length > 0);
  if (cal.length) out.push({ id: "calibration", section: "calibration", figure: calibrationPlot(cal) });
  const conf = best ? metrics.models[best]?.confusion : undefined;
  if (best && conf) {
    const thr = metrics.models[best].threshold;
    out.push({ id: "confusion", section: "calibration", figure: confusionMatrix(conf, `Confusion matrix, ${modelName(best)}${thr !== undefined ? ` at threshold ${thr.toFixed(3)}` : ""}`) });
  }
  for (const k of keys) {
    const { rows, modelKind } = importanceRows(metrics.models[k]);
    if (modelKind === "gain" && rows.some((r) => r.gain !== undefined)) {
      out.push({ id: `importance-gain-${k}`, section: "importance", figure: featureImportance(rows, "gain", 15, `${modelName(k)}: feature importance (gain)`) });
    }
    if (k === best && rows.some((r) => r.permutation !== undefined)) {
      out.push({ id: `importance-permutation-${k}`, section: "importance", figure: featureImportance(rows, "permutation", 15, `${modelName(k)}: permutation importance`) });
    }
    const coefs = metrics.models[k].coefficients;
    if (coefs?.length) {
      // Standardised coefficients compare features of different units; raw ones as a fallback.
      const std = coefs.every((c) => typeof c.coef_std === "number");
      const rowsC = coefs.map((c) => ({ feature: c.column ?? c.feature ?? "?", coef: std ? (c.coef_std as number) : c.coef }));
      out.push({ id: `coefficients-${k}`, section: "importance", figure: coefficients(rowsC, 15, `${modelName(k)}: ${std ? "standardised " : ""}coefficients`, std ? "Log-odds per standard deviation" : "Log-odds per unit") });
    }
  }
  return out;
}
