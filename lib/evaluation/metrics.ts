import { SparkifyError } from "../errors";
/** Counts of a binary decision at one threshold (predicted positive when p >= threshold). */
export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** One point of a ROC curve; threshold null marks the (0, 0) start. */
export interface RocPoint {
  fpr: number;
  tpr: number;
  threshold: number | null;
}

/** One point of a precision-recall curve. */
export interface PrPoint {
  recall: number;
  precision: number;
  threshold: number;
}

/** One bin of a calibration table. */
export interface CalibrationBin {
  lo: number;
  hi: number;
  count: number;
  /** Mean predicted probability in the bin (null when empty). */
  meanPredicted: number | null;
  /** Observed share of positives in the bin (null when empty). */
  observedRate: number | null;
}

function countPositives(y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i] === 1 ? 1 : 0;
  return s;
}

function checkLengths(name: string, y: ArrayLike<number>, p: ArrayLike<number>): void {
  if (y.length !== p.length) throw new SparkifyError("E_BAD_INPUT", `${name}: ${y.length} labels but ${p.length} scores`);
}

/** Indices of p sorted by decreasing score (stable). */
function orderDesc(p: ArrayLike<number>): Int32Array {
  const idx = Int32Array.from({ length: p.length }, (_, i) => i);
  return idx.sort((a, b) => p[b] - p[a] || a - b);
}

/**
 * Area under the ROC curve by the rank-sum (Mann–Whitney) formula; tied scores get their average
 * rank, i.e. count one half. NaN when y has a single class.
 */
export function rocAuc(y: ArrayLike<number>, p: ArrayLike<number>): number {
  checkLengths("rocAuc", y, p);
  const n = y.length;
  const nPos = countPositives(y);
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  const idx = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => p[a] - p[b]);
  let rankSumPos = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && p[idx[end]] === p[idx[start]]) end++;
    const avgRank = (start + 1 + end) / 2; // ranks start..end-1 are 1-based start+1..end
    for (let k = start; k < end; k++) if (y[idx[k]] === 1) rankSumPos += avgRank;
    start = end;
  }
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Walks distinct thresholds from the highest score down, calling visit with cumulative tp/fp. */
function sweep(y: ArrayLike<number>, p: ArrayLike<number>, visit: (tp: number, fp: number, threshold: number) => void): void {
  const idx = orderDesc(p);
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < idx.length; k++) {
    if (y[idx[k]] === 1) tp++;
    else fp++;
    if (k === idx.length - 1 || p[idx[k + 1]] !== p[idx[k]]) visit(tp, fp, p[idx[k]]);
  }
}

/**
 * Average precision (the PR-AUC scikit-learn reports): Σ (Rₖ − Rₖ₋₁) Pₖ over distinct thresholds,
 * a step function, not the optimistic trapezoid. NaN without positives.
 */
export function averagePrecision(y: ArrayLike<number>, p: ArrayLike<number>): number {
  checkLengths("averagePrecision", y, p);
  const nPos = countPositives(y);
  if (nPos === 0) return NaN;
  let ap = 0;
  let prevRecall = 0;
  sweep(y, p, (tp, fp) => {
    const recall = tp / nPos;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
  });
  return ap;
}

/** Mean log loss, probabilities clipped to [eps, 1 − eps]. */
export function logLoss(y: ArrayLike<number>, p: ArrayLike<number>, eps = 1e-15): number {
  checkLengths("logLoss", y, p);
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(Math.max(p[i], eps), 1 - eps);
    s -= y[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return s / y.length;
}

/** Confusion counts when rows with p >= threshold are called positive. */
export function confusionAt(y: ArrayLike<number>, p: ArrayLike<number>, threshold: number): Confusion {
  checkLengths("confusionAt", y, p);
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < y.length; i++) {
    const pos = p[i] >= threshold;
    if (y[i] === 1) pos ? c.tp++ : c.fn++;
    else pos ? c.fp++ : c.tn++;
  }
  return c;
}

/** Adds confusion counts (e.g. over folds). */
export function addConfusion(a: Confusion, b: Confusion): Confusion {
  return { tp: a.tp + b.tp, fp: a.fp + b.fp, tn: a.tn + b.tn, fn: a.fn + b.fn };
}

/** Precision, recall and F1 of a confusion (0 where undefined, as scikit-learn's zero_division=0). */
export function precisionRecallF1(c: Confusion): { precision: number; recall: number; f1: number } {
  const precision = c.tp + c.fp > 0 ? c.tp / (c.tp + c.fp) : 0;
  const recall = c.tp + c.fn > 0 ? c.tp / (c.tp + c.fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/**
 * The threshold maximising F1 on (y, p): the midpoint between the best cut's lowest positive score
 * and the next lower distinct score, so new scores between the two fall on the positive side as
 * they would on the fitting data. Ties in F1 keep the higher threshold.
 */
export function bestF1Threshold(y: ArrayLike<number>, p: ArrayLike<number>): { threshold: number; f1: number } {
  checkLengths("bestF1Threshold", y, p);
  const nPos = countPositives(y);
  if (nPos === 0) return { threshold: 0.5, f1: 0 };
  const cuts: number[] = [];
  let bestF1 = -1;
  let bestK = -1;
  sweep(y, p, (tp, fp, thr) => {
    const f1 = (2 * tp) / (tp + fp + nPos);
    cuts.push(thr);
    if (f1 > bestF1) {
      bestF1 = f1;
      bestK = cuts.length - 1;
    }
  });
  const hi = cuts[bestK];
  const threshold = bestK + 1 < cuts.length ? (hi + cuts[bestK + 1]) / 2 : hi;
  return { threshold, f1: bestF1 };
}

/** Keeps at most maxPoints of a curve, evenly by index, always with the first and last point. */
export function downsample<T>(points: T[], maxPoints: number): T[] {
  if (points.length <= maxPoints || maxPoints < 2) return points;
  const out: T[] = [];
  const step = (points.length - 1) / (maxPoints - 1);
  for (let k = 0; k < maxPoints; k++) out.push(points[Math.round(k * step)]);
  return out;
}

/** ROC curve at every distinct threshold (from (0, 0)), downsampled to maxPoints for plots. */
export function rocCurve(y: ArrayLike<number>, p: ArrayLike<number>, maxPoints = 200): RocPoint[] {
  checkLengths("rocCurve", y, p);
  const nPos = countPositives(y);
  const nNeg = y.length - nPos;
  const pts: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: null }];
  sweep(y, p, (tp, fp, thr) => pts.push({ fpr: nNeg ? fp / nNeg : 0, tpr: nPos ? tp / nPos : 0, threshold: thr }));
  return downsample(pts, maxPoints);
}

/** Precision-recall curve at every distinct threshold, downsampled to maxPoints for plots. */
export function prCurve(y: ArrayLike<number>, p: ArrayLike<number>, maxPoints = 200): PrPoint[] {
  checkLengths("prCurve", y, p);
  const nPos = countPositives(y);
  const pts: PrPoint[] = [];
  sweep(y, p, (tp, fp, thr) => pts.push({ recall: nPos ? tp / nPos : 0, precision: tp / (tp + fp), threshold: thr }));
  return downsample(pts, maxPoints);
}

/** Reliability table: nBins equal-width probability bins with mean prediction and observed positive rate. */
export function calibrationTable(y: ArrayLike<number>, p: ArrayLike<number>, nBins = 10): CalibrationBin[] {
  checkLengths("calibrationTable", y, p);
  const count = new Float64Array(nBins);
  const sumP = new Float64Array(nBins);
  const sumY = new Float64Array(nBins);
  for (let i = 0; i < y.length; i++) {
    const b = Math.min(nBins - 1, Math.max(0, Math.floor(p[i] * nBins)));
    count[b]++;
    sumP[b] += p[i];
    sumY[b] += y[i] === 1 ? 1 : 0;
  }
  return Array.from({ length: nBins }, (_, b) => ({
    lo: b / nBins,
    hi: (b + 1) / nBins,
    count: count[b],
    meanPredicted: count[b] ? sumP[b] / count[b] : null,
    observedRate: count[b] ? sumY[b] / count[b] : null,
  }));
}

/**
 * Reliability table over about nBins equal-count (quantile) bins of p, as scikit-learn's
 * calibration_curve(strategy="quantile"): at a 5 % base rate nearly every calibrated probability
 * falls in the first equal-width bin, so equal-width bins (which ECE is defined on) show one point;
 * equal-count bins spread the points over the range the probabilities take. Tied scores stay in one
 * bin (an isotonic calibrator gives many ties), so bins may hold more than n / nBins rows and there
 * may be fewer than nBins. `lo`/`hi` are the smallest and largest p in the bin. NaN scores are skipped.
 */
export function calibrationQuantileTable(y: ArrayLike<number>, p: ArrayLike<number>, nBins = 10): CalibrationBin[] {
  checkLengths("calibrationQuantileTable", y, p);
  const idx: number[] = [];
  for (let i = 0; i < p.length; i++) if (!Number.isNaN(p[i])) idx.push(i);
  idx.sort((a, b) => p[a] - p[b] || a - b);
  const n = idx.length;
  const out: CalibrationBin[] = [];
  let start = 0;
  for (let b = 1; b <= nBins && start < n; b++) {
    let end = b === nBins ? n : Math.max(start + 1, Math.round((b * n) / nBins));
    while (end < n && p[idx[end]] === p[idx[end - 1]]) end++; // ties never straddle a bin edge
    let sumP = 0;
    let sumY = 0;
    for (let k = start; k < end; k++) {
      sumP += p[idx[k]];
      sumY += y[idx[k]] === 1 ? 1 : 0;
    }
    const count = end - start;
    out.push({ lo: p[idx[start]], hi: p[idx[end - 1]], count, meanPredicted: sumP / count, observedRate: sumY / count });
    start = end;
  }
  return out;
}

/** Mean and population standard deviation, ignoring NaN. */
export function meanStd(values: ArrayLike<number>): { mean: number; std: number } {
  let n = 0;
  let s = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) (s += values[i]), n++;
  if (n === 0) return { mean: NaN, std: NaN };
  const mean = s / n;
  let v = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) v += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(v / n) };
}

/** Brier score: mean squared difference between probability and the 0/1 outcome. */
export function brierScore(y: ArrayLike<number>, p: ArrayLike<number>): number {
  checkLengths("brierScore", y, p);
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (p[i] - (y[i] === 1 ? 1 : 0)) ** 2;
  return s / Math.max(1, y.length);
}

/**
 * Expected calibration error over nBins equal-width bins: Σ_b (n_b / n) · |mean p in b − positive rate in b|
 * (the last bin includes 1).
 */
export function expectedCalibrationError(y: ArrayLike<number>, p: ArrayLike<number>, nBins = 10): number {
  checkLengths("expectedCalibrationError", y, p);
  let e = 0;
  for (const b of calibrationTable(y, p, nBins)) if (b.count > 0) e += (b.count / y.length) * Math.abs((b.meanPredicted as number) - (b.observedRate as number));
  return e;
}

/** Brier score, log loss, ECE (10 bins), mean prediction and observed rate of probabilities. */
export function probabilityQuality(y: ArrayLike<number>, p: ArrayLike<number>): { brier: number; log_loss: number; ece: number; mean_predicted: number; observed_rate: number } {
  let sp = 0;
  for (let i = 0; i < p.length; i++) sp += p[i];
  return {
    brier: brierScore(y, p),
    log_loss: logLoss(y, p),
    ece: expectedCalibrationError(y, p, 10),
    mean_predicted: sp / Math.max(1, p.length),
    observed_rate: countPositives(y) / Math.max(1, y.length),
  };
}

/**
 * Cumulative gains: contacting the top `share` of rows by decreasing p, the share of all positives
 * reached and the lift (captured / share). `at` lists the shares (default every 5 %). Inside a block of
 * tied scores the positives are spread evenly (the expectation over tie orders), so a constant score
 * gives the diagonal, lift 1.
 */
export function gainsCurve(y: ArrayLike<number>, p: ArrayLike<number>, at: number[] = Array.from({ length: 20 }, (_, k) => (k + 1) / 20)): Array<{ share: number; captured: number; lift: number }> {
  checkLengths("gainsCurve", y, p);
  const n = y.length;
  const nPos = countPositives(y);
  // block boundaries of equal scores: cumulative rows and positives at each block end
  const idx = orderDesc(p);
  const ends: number[] = [0];
  const pos: number[] = [0];
  let tp = 0;
  for (let k = 0; k < n; k++) {
    if (y[idx[k]] === 1) tp++;
    if (k === n - 1 || p[idx[k + 1]] !== p[idx[k]]) {
      ends.push(k + 1);
      pos.push(tp);
    }
  }
  return at.map((share) => {
    const rows = share * n;
    let b = 1;
    while (b < ends.length - 1 && ends[b] < rows) b++;
    const lo = ends[b - 1];
    const hi = ends[b];
    const got = hi > lo ? pos[b - 1] + ((rows - lo) / (hi - lo)) * (pos[b] - pos[b - 1]) : pos[b];
    const captured = nPos > 0 ? got / nPos : 0;
    return { share, captured, lift: share > 0 ? captured / share : 0 };
  });
}
