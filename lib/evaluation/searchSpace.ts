/**
 * The small hyper-parameter grid tried per model (the middle candidate is the default when the
 * search is off). Seeds are added by the caller. trainAndEvaluate scores every candidate on the same
 * outer folds and keeps the best mean ROC-AUC: not nested CV (k× cheaper), so the selected
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
    gbt: [
      { nEstimators: 300, learningRate: 0.1, maxDepth: 3, earlyStoppingRounds: 20 },
      { nEstimators: 300, learningRate: 0.1, maxDepth: 6, earlyStoppingRounds: 20 },
      { nEstimators: 600, learningRate: 0.05, maxDepth: 6, earlyStoppingRounds: 30 },
    ],
  };
  const grid = grids[kind];
  if (!grid) return [{}];
  return search ? grid : [grid[1]];
}
