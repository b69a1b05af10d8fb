// Tree walks over small integer codes instead of doubles, for the walks that repeat on the same rows
// (permutation importance re-walks a test fold ~100 times). Each feature's split thresholds, taken
// from the trees themselves, are sorted; a value's code is the index of the first threshold >= it, so
// `v <= threshold[node]` holds exactly when `code(v) <= rank(threshold[node])`: the same leaf, with no
// rounding anywhere. Codes are 2 bytes instead of 8 and a node is 4 adjacent ints instead of 5 arrays,
// which keeps a fold's rows and a deep tree's nodes in cache.
import type { Matrix } from "../types";
import type { FlatTrees } from "./predictor";
import { firstAtLeast } from "./binning";

/** The code of a missing value (NaN); non-missing codes are below it. */
export const MISSING_CODE = 0xffff;

/** Trees re-expressed for coded walks. */
export interface CodedTrees {
  /** Sorted distinct split thresholds of each feature (what the codes index). */
  readonly thresholds: readonly Float64Array[];
  /**
   * Four ints per node (absolute node numbers, as FlatTrees): [feature · 2 + missingLeft (-1 at a leaf),
   * rank of the threshold in its feature's list (-1 for a NaN threshold: nothing goes left but missing), left, right].
   */
  readonly nodes: Int32Array;
}

/**
 * Codes the first nTrees trees' nodes; null when a feature has more distinct thresholds than a
 * Uint16 code can tell apart (not so for trees grown here: at most 254 bin edges plus Infinity).
 */
export function codeTrees(trees: FlatTrees, nCols: number, nTrees: number): CodedTrees | null {
  const end = trees.treeOffsets[nTrees];
  const { feature, threshold, missingLeft, left, right } = trees;
  const counts = new Int32Array(nCols);
  for (let n = 0; n < end; n++) if (feature[n] >= 0) counts[feature[n]]++;
  const lists = Array.from(counts, (c) => new Float64Array(c));
  counts.fill(0);
  for (let n = 0; n < end; n++) {
    const f = feature[n];
    const t = threshold[n];
    if (f >= 0 && t === t) lists[f][counts[f]++] = t;
  }
  const thresholds: Float64Array[] = [];
  for (let f = 0; f < nCols; f++) {
    const a = lists[f].subarray(0, counts[f]).sort();
    // distinct by ===, so -0 and 0 are one threshold (they compare alike)
    let m = 0;
    for (let i = 0; i < a.length; i++) if (m === 0 || a[i] !== a[m - 1]) a[m++] = a[i];
    if (m >= MISSING_CODE) return null;
    thresholds.push(a.slice(0, m));
  }
  const nodes = new Int32Array(end * 4);
  for (let n = 0; n < end; n++) {
    const f = feature[n];
    const o = n * 4;
    if (f < 0) {
      nodes[o] = -1;
      continue;
    }
    nodes[o] = f * 2 + (missingLeft[n] ? 1 : 0);
    nodes[o + 1] = threshold[n] === threshold[n] ? firstAtLeast(thresholds[f], threshold[n]) : -1;
    nodes[o + 2] = left[n];
    nodes[o + 3] = right[n];
  }
  return { thresholds, nodes };
}

/** X's codes, row-major like X (`codes[i * nCols + f]`); NaN gets MISSING_CODE. */
export function codeMatrix(coded: CodedTrees, X: Matrix): Uint16Array {
  const { data, nCols } = X;
  const codes = new Uint16Array(data.length);
  for (let f = 0; f < nCols; f++) {
    const t = coded.thresholds[f];
    for (let at = f; at < data.length; at += nCols) {
      const v = data[at];
      codes[at] = v !== v ? MISSING_CODE : firstAtLeast(t, v);
    }
  }
  return codes;
}

/** The leaf the coded row starting at codes[at] reaches from node `root`. */
export function codedLeaf(nodes: Int32Array, codes: Uint16Array, at: number, root: number): number {
  let n = root;
  let x = nodes[n * 4];
  while (x >= 0) {
    const c = codes[at + (x >> 1)];
    const o = n * 4;
    n = c === MISSING_CODE ? ((x & 1) === 1 ? nodes[o + 2] : nodes[o + 3]) : c <= nodes[o + 1] ? nodes[o + 2] : nodes[o + 3];
    x = nodes[n * 4];
  }
  return n;
}

/** Writes into leaves[leavesAt + i] the leaf each coded row (nRows × nCols) reaches from node `root`. */
export function walkTreeCoded(nodes: Int32Array, root: number, codes: Uint16Array, nRows: number, nCols: number, leaves: Int32Array, leavesAt: number): void {
  for (let i = 0; i < nRows; i++) leaves[leavesAt + i] = codedLeaf(nodes, codes, i * nCols, root);
}
