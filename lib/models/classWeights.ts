/**
 * Per-row weights n / (2 nₖ) for a row of class k, so both classes weigh the same in total (scikit-learn's
 * "balanced"; nₖ counts rows). Logistic regression applies them itself (classWeight "balanced"); the tree
 * models receive them as sample weights. A class with no rows gets weight 1.
 */
export function balancedWeights(y: ArrayLike<number>): Float64Array {
  let nPos = 0;
  for (let i = 0; i < y.length; i++) nPos += y[i] === 1 ? 1 : 0;
  const n = y.length;
  const wp = nPos ? n / (2 * nPos) : 1;
  const wn = n - nPos ? n / (2 * (n - nPos)) : 1;
  return Float64Array.from({ length: n }, (_, i) => (y[i] === 1 ? wp : wn));
}
