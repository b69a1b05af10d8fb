import { SparkifyError } from "../errors";
import type { Cell } from "./types";

/**
 * One reason behind a score: a source feature, its signed contribution and the row's value. In a
 * ScoredUser the contribution is in probability points of the calibrated probability (+0.031 = 3.1
 * points), `typical` is the training median (or most frequent category) and `text` the reason in
 * words from the feature dictionary, e.g. "3.1 thumbs-down per 100 songs (typical 1.2)".
 */
export interface Reason {
  feature: string;
  contribution: number;
  value: Cell;
  typical?: Cell;
  text?: string;
}

/**
 * Turns per-column contributions (nRows × (nCols + 1), bias last) into each row's top-k reasons:
 * one-hot columns are summed back to their feature, ranked by |contribution|, and paired with the
 * row's raw value of that feature.
 * @param featureOf source feature of each of the nCols columns
 */
export function explainContributions(
  contributions: Float64Array,
  featureOf: readonly string[],
  rows: ReadonlyArray<Record<string, Cell>>,
  topK = 3,
): Reason[][] {
  const nCols = featureOf.length;
  const width = nCols + 1;
  if (contributions.length !== rows.length * width) {
    throw new SparkifyError("E_BAD_INPUT", `explainContributions: ${contributions.length} contributions for ${rows.length} rows × ${width}`);
  }
  const features = [...new Set(featureOf)];
  const slot = featureOf.map((f) => features.indexOf(f));
  const sums = new Float64Array(features.length);
  const order = Array.from({ length: features.length }, (_, k) => k);
  const out: Reason[][] = [];
  for (let i = 0; i < rows.length; i++) {
    sums.fill(0);
    for (let j = 0; j < nCols; j++) sums[slot[j]] += contributions[i * width + j];
    order.sort((a, b) => Math.abs(sums[b]) - Math.abs(sums[a]) || a - b);
    const reasons: Reason[] = [];
    for (let k = 0; k < Math.min(topK, order.length); k++) {
      const f = features[order[k]];
      if (sums[order[k]] === 0) break;
      reasons.push({ feature: f, contribution: sums[order[k]], value: rows[i][f] ?? null });
    }
    out.push(reasons);
  }
  return out;
}

/** Sums per-column scores into per-feature scores (e.g. gain of one-hot columns). */
export function sumByFeature(values: ArrayLike<number>, featureOf: readonly string[]): Array<{ feature: string; mean: number }> {
  const acc = new Map<string, number>();
  featureOf.forEach((f, j) => acc.set(f, (acc.get(f) ?? 0) + values[j]));
  return [...acc.entries()].map(([feature, mean]) => ({ feature, mean }));
}
