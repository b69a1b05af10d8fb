import { SparkifyError } from "../../errors";
import type { Matrix } from "../types";
import type { GrownTree, TreeNodes } from "./grower";

/**
 * Many trees in flat typed arrays (as scikit-learn's TreePredictor over a node array). Tree t owns nodes
 * treeOffsets[t] .. treeOffsets[t+1]-1; its root is the first; children are absolute node numbers.
 */
export interface FlatTrees extends TreeNodes {
  readonly treeOffsets: Int32Array;
}

/** Concatenates grown trees into FlatTrees. */
export function flattenTrees(trees: readonly GrownTree[]): FlatTrees {
  const total = trees.reduce((s, t) => s + t.feature.length, 0);
  const out = {
    treeOffsets: new Int32Array(trees.length + 1),
    feature: new Int32Array(total),
    threshold: new Float64Array(total),
    missingLeft: new Uint8Array(total),
    left: new Int32Array(total),
    right: new Int32Array(total),
    value: new Float64Array(total),
    gain: new Float64Array(total),
    cover: new Float64Array(total),
  };
  let at = 0;
  trees.forEach((t, k) => {
    out.treeOffsets[k] = at;
    out.feature.set(t.feature, at);
    out.threshold.set(t.threshold, at);
    out.missingLeft.set(t.missingLeft, at);
    for (let i = 0; i < t.feature.length; i++) {
      out.left[at + i] = t.left[i] < 0 ? -1 : t.left[i] + at;
      out.right[at + i] = t.right[i] < 0 ? -1 : t.right[i] + at;
    }
    out.value.set(t.value, at);
    out.gain.set(t.gain, at);
    out.cover.set(t.cover, at);
    at += t.feature.length;
  });
  out.treeOffsets[trees.length] = at;
  return out;
}

/** Number of trees. */
export function treeCount(trees: FlatTrees): number {
  return trees.treeOffsets.length - 1;
}

/** The leaf a row reaches in the tree rooted at `node`. */
export function leafOf(trees: FlatTrees, data: Float64Array, rowAt: number, node: number): number {
  const { feature, threshold, missingLeft, left, right } = trees;
  let f = feature[node];
  while (f >= 0) {
    const v = data[rowAt + f];
    node = v !== v ? (missingLeft[node] ? left[node] : right[node]) : v <= threshold[node] ? left[node] : right[node];
    f = feature[node];
  }
  return node;
}

/**
 * Sum of the first `nTrees` trees' leaf values for each row of X.
 * @returns nRows values
 */
export function predictSum(trees: FlatTrees, X: Matrix, nTrees: number = treeCount(trees)): Float64Array {
  const out = new Float64Array(X.nRows);
  const { value, treeOffsets } = trees;
  for (let i = 0; i < X.nRows; i++) {
    const at = i * X.nCols;
    let s = 0;
    for (let t = 0; t < nTrees; t++) s += value[leafOf(trees, X.data, at, treeOffsets[t])];
    out[i] = s;
  }
  return out;
}

/** Adds one grown tree's leaf values to `out`, routing rows by their bin codes (row-major, nFeatures per row, as in training). */
export function addTreeBinned(tree: GrownTree, codes: Uint8Array, nFeatures: number, missingBin: number, out: Float64Array): void {
  const nRows = out.length;
  const { feature, binThreshold, missingLeft, left, right, value } = tree;
  for (let i = 0; i < nRows; i++) {
    let node = 0;
    let f = feature[0];
    while (f >= 0) {
      const b = codes[i * nFeatures + f];
      node = b === missingBin ? (missingLeft[node] ? left[node] : right[node]) : b <= binThreshold[node] ? left[node] : right[node];
      f = feature[node];
    }
    out[i] += value[node];
  }
}

/**
 * Saabas path attributions: along each row's path, the change in node value at a split is credited to the
 * split's feature; the root value is the bias. Summed over the first nTrees trees and multiplied by `scale`.
 * @returns nRows × (nCols + 1), row-major, bias last; each row sums to scale × predictSum
 */
export function pathContributions(trees: FlatTrees, X: Matrix, nTrees: number = treeCount(trees), scale = 1): Float64Array {
  const nc = X.nCols;
  const out = new Float64Array(X.nRows * (nc + 1));
  const { feature, threshold, missingLeft, left, right, value, treeOffsets } = trees;
  for (let i = 0; i < X.nRows; i++) {
    const at = i * nc;
    const o = i * (nc + 1);
    for (let t = 0; t < nTrees; t++) {
      let node = treeOffsets[t];
      out[o + nc] += scale * value[node];
      let f = feature[node];
      while (f >= 0) {
        const v = X.data[at + f];
        const next = v !== v ? (missingLeft[node] ? left[node] : right[node]) : v <= threshold[node] ? left[node] : right[node];
        out[o + f] += scale * (value[next] - value[node]);
        node = next;
        f = feature[node];
      }
    }
  }
  return out;
}

/**
 * Feature importance over the first nTrees trees: total split gain ("gain") or number of splits ("split")
 * per feature, normalised to sum to 1 (all zeros when no tree splits).
 */
export function treeImportance(trees: FlatTrees, nFeatures: number, kind: "gain" | "split", nTrees: number = treeCount(trees)): Float64Array {
  const out = new Float64Array(nFeatures);
  const end = trees.treeOffsets[nTrees];
  for (let n = 0; n < end; n++) {
    const f = trees.feature[n];
    if (f >= 0) out[f] += kind === "gain" ? trees.gain[n] : 1;
  }
  let s = 0;
  for (let f = 0; f < nFeatures; f++) s += out[f];
  if (s > 0) for (let f = 0; f < nFeatures; f++) out[f] /= s;
  return out;
}

/** The JSON form of FlatTrees: plain number arrays; an infinite threshold is written as null. */
export interface FlatTreesJSON {
  treeOffsets: number[];
  feature: number[];
  threshold: Array<number | null>;
  missingLeft: number[];
  left: number[];
  right: number[];
  value: number[];
  gain: number[];
  cover: number[];
}

/** FlatTrees keeping only the first nTrees trees, as JSON-ready arrays. */
export function flatTreesToJSON(trees: FlatTrees, nTrees: number = treeCount(trees)): FlatTreesJSON {
  const end = trees.treeOffsets[nTrees];
  // a plain loop into a preallocated array: measured about 3x faster than Array.from on a typed array
  const arr = (a: Int32Array | Float64Array | Uint8Array): number[] => {
    const out = new Array<number>(end);
    for (let i = 0; i < end; i++) out[i] = a[i];
    return out;
  };
  const threshold = new Array<number | null>(end);
  for (let i = 0; i < end; i++) threshold[i] = Number.isFinite(trees.threshold[i]) ? trees.threshold[i] : null;
  return {
    treeOffsets: Array.from(trees.treeOffsets.subarray(0, nTrees + 1)),
    feature: arr(trees.feature),
    threshold,
    missingLeft: arr(trees.missingLeft),
    left: arr(trees.left),
    right: arr(trees.right),
    value: arr(trees.value),
    gain: arr(trees.gain),
    cover: arr(trees.cover),
  };
}

/** The first nTrees trees as typed-array copies, the form of FlatTreesJSON another thread reads without a number-by-number clone. */
export function flatTreesTyped(trees: FlatTrees, nTrees: number = treeCount(trees)): FlatTrees {
  const end = trees.treeOffsets[nTrees];
  return {
    treeOffsets: trees.treeOffsets.slice(0, nTrees + 1),
    feature: trees.feature.slice(0, end),
    threshold: trees.threshold.slice(0, end),
    missingLeft: trees.missingLeft.slice(0, end),
    left: trees.left.slice(0, end),
    right: trees.right.slice(0, end),
    value: trees.value.slice(0, end),
    gain: trees.gain.slice(0, end),
    cover: trees.cover.slice(0, end),
  };
}

/**
 * Reads and checks FlatTrees from their JSON form (or flatTreesTyped's): equal array lengths, numbers where numbers belong, tree
 * offsets in order, features in range and children inside their tree after their parent (so walks end).
 * @param what names the model in error messages
 */
export function flatTreesFromJSON(json: unknown, nFeatures: number, what: string): FlatTrees {
  const bad = (why: string): never => {
    throw new SparkifyError("E_MODEL_DAMAGED", `${what}: damaged model file: ${why}`);
  };
  if (typeof json !== "object" || json === null) return bad("trees are missing");
  const o = json as Record<string, unknown>;
  // Checks one array and copies it into doubles in the same pass (null, where allowed, becomes Infinity);
  // integer checks below read these exact copies.
  // Typed arrays (flatTreesTyped, between threads) are read like JSON arrays, Infinity standing for null.
  const nums = (k: string, allowNull = false): Float64Array => {
    const a = o[k];
    const typed = ArrayBuffer.isView(a) && !(a instanceof DataView);
    if (!Array.isArray(a) && !typed) return bad(`trees.${k} is not an array`);
    const arr = a as ArrayLike<unknown>;
    const out = new Float64Array(arr.length);
    for (let i = 0; i < arr.length; i++) {
      const v: unknown = arr[i];
      if (typeof v === "number" && Number.isFinite(v)) out[i] = v;
      else if (allowNull && (v === null || (typed && v === Infinity))) out[i] = Infinity;
      else bad(`trees.${k}[${i}] is not a finite number`);
    }
    return out;
  };
  const offsets = nums("treeOffsets");
  const feature = nums("feature");
  const n = feature.length;
  const cols: Record<string, Float64Array> = {};
  for (const k of ["missingLeft", "left", "right", "value", "gain", "cover"]) {
    cols[k] = nums(k);
    if (cols[k].length !== n) bad(`trees.${k} has ${cols[k].length} entries, trees.feature ${n}`);
  }
  const thr = nums("threshold", true);
  if (thr.length !== n) bad(`trees.threshold has ${thr.length} entries, trees.feature ${n}`);
  if (offsets.length < 1 || offsets[0] !== 0 || offsets[offsets.length - 1] !== n) bad("trees.treeOffsets do not cover the node arrays");
  for (let t = 0; t + 1 < offsets.length; t++) {
    const s = offsets[t];
    const e = offsets[t + 1];
    if (!Number.isInteger(s) || !Number.isInteger(e) || e <= s || e > n) bad(`tree ${t} is empty or out of order`);
    for (let i = s; i < e; i++) {
      const f = feature[i];
      if (!Number.isInteger(f) || f < -1 || f >= nFeatures) bad(`node ${i} splits on feature ${f}, outside 0..${nFeatures - 1}`);
      if (f < 0) continue;
      for (const c of [cols.left[i], cols.right[i]]) {
        if (!Number.isInteger(c) || c <= i || c >= e) bad(`node ${i} has child ${c} outside its tree (${s}..${e - 1})`);
      }
    }
  }
  return {
    treeOffsets: Int32Array.from(offsets),
    feature: Int32Array.from(feature),
    threshold: thr,
    missingLeft: Uint8Array.from(cols.missingLeft),
    left: Int32Array.from(cols.left),
    right: Int32Array.from(cols.right),
    value: cols.value,
    gain: cols.gain,
    cover: cols.cover,
  };
}
