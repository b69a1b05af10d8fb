import { flatTreesFromJSON, type FlatTrees } from "../models/trees";
import type { Matrix } from "../models/types";

/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent individualized feature
 * attribution for tree ensembles", Algorithm 2), following the reference implementation in shap's
 * tree_shap.h: for each row, one recursion per tree that carries the proportion of subsets flowing
 * down each path, so the cost is O(leaves × depth²) per tree instead of the 2^M of the Shapley sum.
 * The expectation over "absent" features is taken with the node covers (the training weight, or
 * hessian, that reached each node), and a missing value follows the branch the tree sends it to.
 *
 * @param scale multiplies every tree's values (1/nTrees for a forest's average)
 * @param offset added to the bias (e.g. a boosted model's base score)
 * @returns nRows × (nCols + 1), row-major, the expected value (bias) last; each row sums to
 *   offset + scale × Σ trees' leaf values (local accuracy)
 */
export function treeShap(trees: FlatTrees, X: Matrix, scale = 1, offset = 0): Float64Array {
  const nc = X.nCols;
  const width = nc + 1;
  const out = new Float64Array(X.nRows * width);
  const nTrees = trees.treeOffsets.length - 1;
  const expected = new Float64Array(trees.feature.length);
  const depthOf: number[] = [];
  let bias = offset;
  for (let t = 0; t < nTrees; t++) {
    const root = trees.treeOffsets[t];
    depthOf.push(fillExpectations(trees, root, expected));
    bias += scale * expected[root];
  }
  const maxDepth = Math.max(0, ...depthOf);
  // path storage: one slice per recursion level (level d holds at most d + 1 entries), a triangle
  const cap = ((maxDepth + 3) * (maxDepth + 4)) / 2 + 8;
  const path: PathArrays = { feature: new Int32Array(cap), zero: new Float64Array(cap), one: new Float64Array(cap), w: new Float64Array(cap) };
  const phi = new Float64Array(nc);
  for (let i = 0; i < X.nRows; i++) {
    phi.fill(0);
    const row = X.data.subarray(i * nc, (i + 1) * nc);
    for (let t = 0; t < nTrees; t++) recurse(trees, path, row, phi, trees.treeOffsets[t], 0, 0, 0, 1, 1, -1);
    const o = i * width;
    for (let j = 0; j < nc; j++) out[o + j] = scale * phi[j];
    out[o + nc] = bias;
  }
  return out;
}

/** The flat trees of a saved forest or boosted model (its toJSON state), with the boosted model's base score. */
export function treesOfModel(saved: { kind: string; state: Record<string, unknown> }): { trees: FlatTrees; baseScore: number; nTrees: number } {
  const st = saved.state;
  const nFeatures = Array.isArray(st.columns) ? st.columns.length : Number(st.nFeatures);
  const trees = flatTreesFromJSON(st.trees, nFeatures, `${saved.kind} trees`);
  return { trees, baseScore: typeof st.baseScore === "number" ? st.baseScore : 0, nTrees: trees.treeOffsets.length - 1 };
}

interface PathArrays {
  feature: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  w: Float64Array;
}

/** Cover-weighted mean leaf value below each node (what the tree predicts when no feature is known); returns the depth. */
function fillExpectations(trees: FlatTrees, node: number, expected: Float64Array): number {
  const l = trees.left[node];
  const r = trees.right[node];
  if (trees.feature[node] < 0 || l < 0) {
    expected[node] = trees.value[node];
    return 0;
  }
  const dl = fillExpectations(trees, l, expected);
  const dr = fillExpectations(trees, r, expected);
  const cl = trees.cover[l];
  const cr = trees.cover[r];
  expected[node] = cl + cr > 0 ? (cl * expected[l] + cr * expected[r]) / (cl + cr) : 0;
  return Math.max(dl, dr) + 1;
}

function extend(p: PathArrays, at: number, depth: number, zero: number, one: number, feature: number): void {
  p.feature[at + depth] = feature;
  p.zero[at + depth] = zero;
  p.one[at + depth] = one;
  p.w[at + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    p.w[at + i + 1] += (one * p.w[at + i] * (i + 1)) / (depth + 1);
    p.w[at + i] = (zero * p.w[at + i] * (depth - i)) / (depth + 1);
  }
}

function unwind(p: PathArrays, at: number, depth: number, index: number): void {
  const one = p.one[at + index];
  const zero = p.zero[at + index];
  let next = p.w[at + depth];
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = p.w[at + i];
      p.w[at + i] = (next * (depth + 1)) / ((i + 1) * one);
      next = tmp - (p.w[at + i] * zero * (depth - i)) / (depth + 1);
    } else {
      p.w[at + i] = (p.w[at + i] * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = index; i < depth; i++) {
    p.feature[at + i] = p.feature[at + i + 1];
    p.zero[at + i] = p.zero[at + i + 1];
    p.one[at + i] = p.one[at + i + 1];
  }
}

function unwoundSum(p: PathArrays, at: number, depth: number, index: number): number {
  const one = p.one[at + index];
  const zero = p.zero[at + index];
  let next = p.w[at + depth];
  let total = 0;
  if (one !== 0) {
    for (let i = depth - 1; i >= 0; i--) {
      const tmp = next / ((i + 1) * one);
      total += tmp;
      next = p.w[at + i] - tmp * zero * (depth - i);
    }
  } else {
    for (let i = depth - 1; i >= 0; i--) total += p.w[at + i] / (zero * (depth - i));
  }
  return total * (depth + 1);
}

/** One step of Algorithm 2; `at` is where this level's copy of the path starts in the shared arrays. */
function recurse(
  trees: FlatTrees, p: PathArrays, x: Float64Array, phi: Float64Array, node: number,
  parentAt: number, depth: number, at: number, zero: number, one: number, feature: number,
): void {
  // copy the parent's path (its first `depth` entries) to this level's slice, then extend it
  for (let i = 0; i < depth; i++) {
    p.feature[at + i] = p.feature[parentAt + i];
    p.zero[at + i] = p.zero[parentAt + i];
    p.one[at + i] = p.one[parentAt + i];
    p.w[at + i] = p.w[parentAt + i];
  }
  extend(p, at, depth, zero, one, feature);
  const split = trees.feature[node];
  if (split < 0 || trees.left[node] < 0) {
    const v = trees.value[node];
    for (let i = 1; i <= depth; i++) {
      const w = unwoundSum(p, at, depth, i);
      phi[p.feature[at + i]] += w * (p.one[at + i] - p.zero[at + i]) * v;
    }
    return;
  }
  const xv = x[split];
  const l = trees.left[node];
  const r = trees.right[node];
  const hot = xv !== xv ? (trees.missingLeft[node] ? l : r) : xv <= trees.threshold[node] ? l : r;
  const cold = hot === l ? r : l;
  const w = trees.cover[node];
  const hotZero = w > 0 ? trees.cover[hot] / w : 0;
  const coldZero = w > 0 ? trees.cover[cold] / w : 0;
  let inZero = 1;
  let inOne = 1;
  let d = depth;
  let k = 0;
  for (; k <= d; k++) if (p.feature[at + k] === split) break;
  if (k !== d + 1) {
    inZero = p.zero[at + k];
    inOne = p.one[at + k];
    unwind(p, at, d, k);
    d -= 1;
  }
  const childAt = at + depth + 1;
  recurse(trees, p, x, phi, hot, at, d + 1, childAt, hotZero * inZero, inOne, split);
  recurse(trees, p, x, phi, cold, at, d + 1, childAt, coldZero * inZero, 0, split);
}
