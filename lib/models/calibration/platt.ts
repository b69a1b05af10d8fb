/**
 * Platt scaling as scikit-learn's `_sigmoid_calibration`: P(y=1 | f) = 1 / (1 + exp(a·f + b)), fitted by
 * maximum likelihood against Platt's smoothed targets t₊ = (N₊ + 1)/(N₊ + 2), t₋ = 1/(N₋ + 2), which keep
 * a separable calibration set from driving a to infinity. Solved by Newton's method with a backtracking
 * line search (Lin, Lin & Weng 2007), starting at a = 0, b = log((N₋ + 1)/(N₊ + 1)).
 */
export function fitPlatt(f: ArrayLike<number>, y: ArrayLike<number>, w?: ArrayLike<number>): { a: number; b: number } {
  const n = f.length;
  let nPos = 0;
  let nNeg = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    if (y[i] === 1) nPos += wi;
    else nNeg += wi;
  }
  const tPos = (nPos + 1) / (nPos + 2);
  const tNeg = 1 / (nNeg + 2);
  const t = Float64Array.from({ length: n }, (_, i) => (y[i] === 1 ? tPos : tNeg));
  // loss(a, b) = Σ w (t·(a f + b) + log(1 + exp(−(a f + b)))) written stably
  const loss = (a: number, b: number): number => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const z = a * f[i] + b;
      const wi = w ? w[i] : 1;
      s += wi * (z >= 0 ? (t[i] - 1) * z + Math.log1p(Math.exp(-z)) : t[i] * z + Math.log1p(Math.exp(z)));
    }
    return s;
  };
  let a = 0;
  let b = Math.log((nNeg + 1) / (nPos + 1));
  let current = loss(a, b);
  for (let iter = 0; iter < 100; iter++) {
    // gradient and Hessian; p = P(y=1) = 1/(1+exp(z))
    let ga = 0;
    let gb = 0;
    let haa = 1e-12;
    let hab = 0;
    let hbb = 1e-12;
    for (let i = 0; i < n; i++) {
      const z = a * f[i] + b;
      const p = z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
      const wi = w ? w[i] : 1;
      const d = wi * (t[i] - p);
      ga += d * f[i];
      gb += d;
      const h = wi * p * (1 - p);
      haa += h * f[i] * f[i];
      hab += h * f[i];
      hbb += h;
    }
    if (Math.abs(ga) < 1e-10 * Math.max(1, n) && Math.abs(gb) < 1e-10 * Math.max(1, n)) break;
    const det = haa * hbb - hab * hab;
    const da = -(hbb * ga - hab * gb) / det;
    const db = -(-hab * ga + haa * gb) / det;
    let step = 1;
    let improved = false;
    while (step >= 1e-10) {
      const na = a + step * da;
      const nb = b + step * db;
      const l = loss(na, nb);
      if (l < current + 1e-4 * step * (ga * da + gb * db)) {
        a = na;
        b = nb;
        improved = current - l > 1e-12 * Math.max(1, Math.abs(current));
        current = l;
        break;
      }
      step /= 2;
    }
    if (!improved) break;
  }
  return { a, b };
}

/** Applies a fitted Platt sigmoid to scores. */
export function applyPlatt(a: number, b: number, f: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: f.length }, (_, i) => {
    const z = a * f[i] + b;
    return z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
  });
}
