/**
 * The small hyper-parameter grid tried per model (the middle candidate is the default when the
 * search is off). Seeds are added by the caller. trainAndEvaluate scores every candidate on the same
 * outer folds and keeps the best by the criterion that also chooses between models (`select`,
 * average precision by default): not nested CV (k× cheaper), so the selected
 * candidate's CV figures carry a small optimistic bias from choosing among three; metrics.json says so.
 */
export function searchSpace(kind: string, search: boolean): Array<Record<string, unknown>> {
  const grids: Record<string, Array<Record<string, unknown>>> = {
    // l2 = 1/C of scikit-learn on standardised inputs
    lr: [{ l2: 10 }, { l2: 1 }, { l2: 0.1 }],
    rf: [
      { nEstimators: 100, minSamplesLeaf: 5 },
      { nEstimators: 100, minSamplesLeaf: 1 },
      { nEstimators: 100, minSamplesLeaf: 20 },
    ],
    // The middle candidate is scikit-learn's HistGradientBoostingClassifier default (GradientBoostedTrees'
    // own defaults); the others trade capacity for stability. Early stopping is "auto" in all three: on
    // only past 10,000 rows, because a 10 % hold-out of a small table is too few rows to stop on.
    // Every candidate has a scikit-learn twin (bench/models.ts runs the same grid on both sides).
    gbt: [
      { nEstimators: 200, learningRate: 0.05, maxLeaves: 7, minSamplesLeaf: 20, l2: 0 },
      { nEstimators: 100, learningRate: 0.1, maxLeaves: 31, minSamplesLeaf: 20, l2: 0 },
      { nEstimators: 100, learningRate: 0.1, maxLeaves: 15, minSamplesLeaf: 50, l2: 1 },
    ],
  };
  const grid = grids[kind];
  if (!grid) return [{}];
  return search ? grid : [grid[1]];
}
