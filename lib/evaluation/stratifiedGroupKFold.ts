import { SparkifyError } from "../errors";
import { createRng, shuffleInPlace } from "../random";

/** One split: row indices to train on and to test on, both sorted. */
export interface Fold {
  train: Int32Array;
  test: Int32Array;
}

/** The folds actually made, and why k may be smaller than asked. */
export interface FoldPlan {
  folds: Fold[];
  /** Folds made (≤ the number asked). */
  k: number;
  requested: number;
  /** Groups (users) with at least one positive row, and without any. */
  positiveGroups: number;
  negativeGroups: number;
  /** Set when k was reduced, in words, for metrics.json. */
  note?: string;
}

/**
 * Stratified k-fold over groups (like scikit-learn's StratifiedGroupKFold): every row of a group
 * (user) lands in the same fold, and groups with a positive row are spread evenly apart from the
 * others. Within each stratum groups are shuffled with the seed, then placed largest first into the
 * fold holding the fewest rows of that stratum. k shrinks to the smaller stratum's group count (each
 * test fold then holds both classes); fewer than 2 groups there is an error.
 * @param y labels (0/1) per row
 * @param groups group key per row (e.g. userId); omit for one group per row
 */
export function stratifiedGroupKFold(y: ArrayLike<number>, groups: ArrayLike<string | number> | undefined, k: number, seed: number): FoldPlan {
  if (!Number.isInteger(k) || k < 2) throw new SparkifyError("E_BAD_OPTION", `cross-validation needs an integer number of folds >= 2 (got ${k})`);
  const n = y.length;
  if (groups && groups.length !== n) throw new SparkifyError("E_BAD_INPUT", `stratifiedGroupKFold: ${groups.length} groups for ${n} labels`);
  const groupIndex = new Map<string | number, number>();
  const groupOf = new Int32Array(n);
  const sizes: number[] = [];
  const positive: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const key = groups ? groups[i] : i;
    let g = groupIndex.get(key);
    if (g === undefined) {
      g = sizes.length;
      groupIndex.set(key, g);
      sizes.push(0);
      positive.push(false);
    }
    groupOf[i] = g;
    sizes[g]++;
    if (y[i] === 1) positive[g] = true;
  }
  const strata = [0, 1].map((s) => sizes.map((_, g) => g).filter((g) => positive[g] === (s === 1)));
  const positiveGroups = strata[1].length;
  const negativeGroups = strata[0].length;
  const minority = Math.min(positiveGroups, negativeGroups);
  if (minority < 2) {
    throw new SparkifyError(
      "E_TOO_FEW",
      `cross-validation needs at least 2 ${groups ? "users" : "rows"} of each class; the data has ${positiveGroups} with churn = 1 and ${negativeGroups} without`,
    );
  }
  const kEff = Math.min(k, minority);
  const rng = createRng(seed);
  const foldOfGroup = new Int32Array(sizes.length);
  const totalRows = new Float64Array(kEff);
  for (const members of strata) {
    const order = shuffleInPlace(members.slice(), rng);
    order.sort((a, b) => sizes[b] - sizes[a]); // stable: equal sizes keep the shuffled order
    const stratumRows = new Float64Array(kEff);
    for (const g of order) {
      let best = 0;
      for (let f = 1; f < kEff; f++) {
        if (stratumRows[f] < stratumRows[best] || (stratumRows[f] === stratumRows[best] && totalRows[f] < totalRows[best])) best = f;
      }
      foldOfGroup[g] = best;
      stratumRows[best] += sizes[g];
      totalRows[best] += sizes[g];
    }
  }
  const folds: Fold[] = [];
  for (let f = 0; f < kEff; f++) {
    const test: number[] = [];
    const train: number[] = [];
    for (let i = 0; i < n; i++) (foldOfGroup[groupOf[i]] === f ? test : train).push(i);
    folds.push({ train: Int32Array.from(train), test: Int32Array.from(test) });
  }
  const unit = groups ? "users" : "rows";
  const note = kEff < k ? `asked for ${k} folds; made ${kEff} because only ${minority} ${unit} are in the smaller class` : undefined;
  return { folds, k: kEff, requested: k, positiveGroups, negativeGroups, note };
}
