import type { CalibrationBin } from "../plots/calibrationPlot";
import type { FeatureImportance } from "../plots/featureImportance";
import type { CalibrationInput, ModelMetricsInput, PrInput, RocInput } from "./types";

/** Display names of the project's model keys. */
export const MODEL_NAMES: Record<string, string> = { lr: "Logistic regression", rf: "Random forest", gbt: "Gradient-boosted trees" };

/** The display name of a model key (the key itself when unknown). */
export function modelName(key: string): string {
  return MODEL_NAMES[key] ?? key;
}

/** ROC points as parallel arrays, whichever form metrics.json used; null when absent or malformed. */
export function rocArrays(roc: RocInput | undefined): { fpr: number[]; tpr: number[] } | null {
  if (!roc) return null;
  if (Array.isArray(roc)) return roc.length ? { fpr: roc.map((p) => p.fpr), tpr: roc.map((p) => p.tpr) } : null;
  if (roc.fpr && roc.tpr && roc.fpr.length === roc.tpr.length && roc.fpr.length > 0) return { fpr: Array.from(roc.fpr), tpr: Array.from(roc.tpr) };
  return null;
}

/** PR points as parallel arrays, whichever form metrics.json used; null when absent or malformed. */
export function prArrays(pr: PrInput | undefined): { recall: number[]; precision: number[] } | null {
  if (!pr) return null;
  if (Array.isArray(pr)) return pr.length ? { recall: pr.map((p) => p.recall), precision: pr.map((p) => p.precision) } : null;
  if (pr.recall && pr.precision && pr.recall.length === pr.precision.length && pr.recall.length > 0) return { recall: Array.from(pr.recall), precision: Array.from(pr.precision) };
  return null;
}

/** Calibration bins with the plot's field names; empty bins (null means) are dropped. */
export function calibrationBins(bins: CalibrationInput[] | undefined): CalibrationBin[] {
  const out: CalibrationBin[] = [];
  for (const b of bins ?? []) {
    const mp = b.meanPredicted ?? b.mean_predicted;
    const fp = b.fractionPositive ?? b.observedRate ?? b.observed;
    if (typeof mp === "number" && typeof fp === "number" && Number.isFinite(mp) && Number.isFinite(fp)) out.push({ meanPredicted: mp, fractionPositive: fp, count: b.count ?? 1 });
  }
  return out;
}

/** Importance rows with `gain` (tree models' own measure) and `permutation`, from either input form. */
export function importanceRows(m: ModelMetricsInput): { rows: FeatureImportance[]; modelKind: string | null } {
  const imp = m.importance;
  if (!imp) return { rows: [], modelKind: null };
  if (Array.isArray(imp)) {
    return { rows: imp.map((r) => ({ feature: r.feature, gain: r.gain, permutation: r.permutation ?? r.mean })), modelKind: imp.some((r) => r.gain !== undefined) ? "gain" : null };
  }
  const byFeature = new Map<string, FeatureImportance>();
  const row = (f: string) => byFeature.get(f) ?? byFeature.set(f, { feature: f }).get(f)!;
  const kind = imp.model_kind ?? "gain";
  // A logistic model's "model" importance is |standardised coefficient|, not gain: it has its own chart.
  if (kind === "gain") for (const r of imp.model ?? []) row(r.feature).gain = r.gain ?? r.mean;
  for (const r of imp.permutation ?? []) row(r.feature).permutation = r.permutation ?? r.mean;
  return { rows: [...byFeature.values()], modelKind: kind };
}
