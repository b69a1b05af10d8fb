import { transposeCodes, type BinMapper } from "./binning";
import { allocHistogram, buildHistogram, subtractHistogram, type BinnedData } from "./histogram";
import { partialShuffle, type Rng } from "../../random";
import { findBestSplit, type NodeSums, type SplitInfo, type SplitParams } from "./split";

/** Binned training data plus the bin edges, so that grown trees carry raw-value thresholds. */
export interface GrowerData extends BinnedData {
  /** Bin code of a missing value (stride - 1). */
  readonly missingBin: number;
  /** Bin edges per feature, from the BinMapper. */
  readonly thresholds: readonly Float64Array[];
  /** The codes again, column-major (`columnCodes[f * nRows + i]`), for partitioning. */
  readonly columnCodes: Uint8Array;
}

/** GrowerData for row-major codes binned with `mapper`. */
export function growerData(codes: Uint8Array, nRows: number, mapper: BinMapper): GrowerData {
  const nFeatures = mapper.nBins.length;
  return {
    codes,
    columnCodes: transposeCodes(codes, nRows, nFeatures),
    nRows,
    nFeatures,
    stride: mapper.stride,
    nBins: mapper.nBins,
    missingBin: mapper.missingBin,
    thresholds: mapper.thresholds,
  };
}

/** How one tree grows. */
export interface GrowOptions {
  /** Maximum depth (root = 0); 0 = unlimited. */
  readonly maxDepth: number;
  /** Maximum number of leaves (best-first growth stops there); 0 = unlimited. */
  readonly maxLeaves: number;
  readonly split: SplitParams;
  /** Node value = leafScale · G / (H + l2): -learningRate for boosting, 1 for the forest's class frequency. */
  readonly leafScale: number;
  /** Features this tree may split on. */
  readonly features: Int32Array;
  /**
   * 0: every node sees all `features`, grown best-first with histogram subtraction (boosting).
   * k > 0: each node draws k features at random and builds their histograms directly, depth-first,
   * drawing more when none of them splits (the random forest).
   */
  readonly maxFeaturesPerNode: number;
  /** Draws the per-node features. */
  readonly rng: Rng;
  /** Forest (g = w·y, h = w): do not try to split nodes where g is 0 or equals h. */
  readonly stopWhenPure?: boolean;
}

/** Tree nodes as parallel arrays, one entry per node (shared by a grown tree and the flat predictor). */
export interface TreeNodes {
  /** Split feature, -1 at a leaf. */
  readonly feature: Int32Array;
  /** Raw-value threshold: v <= threshold goes left (Infinity for "non-missing left, missing right"). */
  readonly threshold: Float64Array;
  /** 1 when missing values go left. */
  readonly missingLeft: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** The node's value were it a leaf; used as the prediction at leaves and for path attributions. */
  readonly value: Float64Array;
  /** Split gain (0 at leaves). */
  readonly gain: Float64Array;
  /** Hessian (weight) sum of the node's training rows. */
  readonly cover: Float64Array;
}

/** A grown tree; children are tree-local node numbers, -1 for none. */
export interface GrownTree extends TreeNodes {
  /** Rows with bin <= binThreshold go left. */
  readonly binThreshold: Int32Array;
}

/** Reusable buffers for growing many trees on the same data. */
export class GrowerWorkspace {
  readonly scratchRows: Uint32Array;
  private readonly pool: Float64Array[] = [];
  constructor(readonly data: GrowerData) {
    this.scratchRows = new Uint32Array(data.nRows);
  }
  /** A histogram buffer (contents undefined: builders zero what they write). */
  takeHistogram(): Float64Array {
    return this.pool.pop() ?? allocHistogram(this.data);
  }
  /** Returns a buffer to the pool. */
  releaseHistogram(h: Float64Array): void {
    this.pool.push(h);
  }
}

/** Node arrays under construction. */
class NodeList {
  feature: number[] = [];
  bin: number[] = [];
  threshold: number[] = [];
  missingLeft: number[] = [];
  left: number[] = [];
  right: number[] = [];
  value: number[] = [];
  gain: number[] = [];
  cover: number[] = [];
  add(sums: NodeSums, leafScale: number, l2: number): number {
    this.feature.push(-1);
    this.bin.push(0);
    this.threshold.push(0);
    this.missingLeft.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.value.push(sums.h + l2 > 0 ? (leafScale * sums.g) / (sums.h + l2) : 0);
    this.gain.push(0);
    this.cover.push(sums.h);
    return this.feature.length - 1;
  }
  toTree(): GrownTree {
    return {
      feature: Int32Array.from(this.feature),
      binThreshold: Int32Array.from(this.bin),
      threshold: Float64Array.from(this.threshold),
      missingLeft: Uint8Array.from(this.missingLeft),
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      value: Float64Array.from(this.value),
      gain: Float64Array.from(this.gain),
      cover: Float64Array.from(this.cover),
    };
  }
}

/** Moves the rows going left to the front of rows[start..end) (order kept on both sides); returns the boundary. */
export function partitionRows(
  data: GrowerData,
  rows: Uint32Array,
  start: number,
  end: number,
  split: SplitInfo,
  scratch: Uint32Array,
): number {
  // Column-major: one feature's codes are contiguous (row-major reads measured 2–3× slower here).
  const off = split.feature * data.nRows;
  const codes = data.columnCodes;
  const thr = split.bin;
  const miss = data.missingBin;
  const missLeft = split.missingLeft;
  let wl = start;
  let wr = 0;
  for (let k = start; k < end; k++) {
    const r = rows[k];
    const b = codes[off + r];
    if (b === miss ? missLeft : b <= thr) rows[wl++] = r;
    else scratch[wr++] = r;
  }
  rows.set(scratch.subarray(0, wr), wl);
  return wl;
}

interface OpenNode {
  node: number;
  start: number;
  end: number;
  depth: number;
  hist: Float64Array | null;
  split: SplitInfo | null;
}

function markSplit(nodes: NodeList, data: GrowerData, node: number, s: SplitInfo, left: number, right: number): void {
  const t = data.thresholds[s.feature];
  nodes.feature[node] = s.feature;
  nodes.bin[node] = s.bin;
  nodes.threshold[node] = s.bin < t.length ? t[s.bin] : Infinity;
  nodes.missingLeft[node] = s.missingLeft ? 1 : 0;
  nodes.left[node] = left;
  nodes.right[node] = right;
  nodes.gain[node] = s.gain;
}

/** The two children of a split node: the rows' split point in `rows`, their node numbers and sums. */
interface SplitChildren {
  mid: number;
  ln: number;
  rn: number;
  lSums: NodeSums;
  rSums: NodeSums;
}

/** Splits `node` (rows start..end) by `s`: partitions the rows, adds both children, marks the node. */
function applySplit(ws: GrowerWorkspace, nodes: NodeList, rows: Uint32Array, node: number, start: number, end: number, s: SplitInfo, opts: GrowOptions): SplitChildren {
  const mid = partitionRows(ws.data, rows, start, end, s, ws.scratchRows);
  const lSums = { g: s.gL, h: s.hL, c: s.cL };
  const rSums = { g: s.gR, h: s.hR, c: s.cR };
  const ln = nodes.add(lSums, opts.leafScale, opts.split.l2);
  const rn = nodes.add(rSums, opts.leafScale, opts.split.l2);
  markSplit(nodes, ws.data, node, s, ln, rn);
  return { mid, ln, rn, lSums, rSums };
}

/**
 * Grows one tree on the rows listed in `rows` (which it reorders).
 * @param g per-row gradients (boosting) or w·y (forest), indexed by row number
 * @param h per-row hessians (boosting) or weights (forest)
 */
export function growTree(ws: GrowerWorkspace, g: Float64Array, h: Float64Array, rows: Uint32Array, opts: GrowOptions): GrownTree {
  let G = 0;
  let H = 0;
  for (let k = 0; k < rows.length; k++) {
    G += g[rows[k]];
    H += h[rows[k]];
  }
  const rootSums = { g: G, h: H, c: rows.length };
  return opts.maxFeaturesPerNode > 0 ? growDepthFirst(ws, g, h, rows, rootSums, opts) : growBestFirst(ws, g, h, rows, rootSums, opts);
}

function canSplit(depth: number, count: number, opts: GrowOptions): boolean {
  return (opts.maxDepth === 0 || depth < opts.maxDepth) && count >= 2 * opts.split.minSamplesLeaf && count >= 2;
}

function growBestFirst(ws: GrowerWorkspace, g: Float64Array, h: Float64Array, rows: Uint32Array, root: NodeSums, opts: GrowOptions): GrownTree {
  const { data } = ws;
  const nodes = new NodeList();
  const l2 = opts.split.l2;
  const feats = opts.features;
  const nf = feats.length;
  const find = (hist: Float64Array, sums: NodeSums) =>
    findBestSplit(hist, data.stride, data.missingBin, data.nBins, feats, nf, sums, opts.split);
  const rootNode = nodes.add(root, opts.leafScale, l2);
  const open: OpenNode[] = [];
  if (canSplit(0, root.c, opts)) {
    const hist = ws.takeHistogram();
    buildHistogram(hist, data, feats, nf, { rows, start: 0, end: rows.length }, g, h);
    open.push({ node: rootNode, start: 0, end: rows.length, depth: 0, hist, split: find(hist, root) });
  }
  let nLeaves = 1;
  while (opts.maxLeaves === 0 || nLeaves < opts.maxLeaves) {
    // Best-first: the open leaf with the largest gain (ties: the earliest node, for determinism).
    let bi = -1;
    for (let i = 0; i < open.length; i++) {
      const s = open[i].split;
      if (s && (bi < 0 || s.gain > open[bi].split!.gain || (s.gain === open[bi].split!.gain && open[i].node < open[bi].node))) bi = i;
    }
    if (bi < 0) break;
    const p = open[bi];
    open[bi] = open[open.length - 1];
    open.pop();
    const s = p.split!;
    const { mid, ln, rn, lSums, rSums } = applySplit(ws, nodes, rows, p.node, p.start, p.end, s, opts);
    nLeaves++;
    const parentHist = p.hist!;
    const lOk = canSplit(p.depth + 1, s.cL, opts);
    const rOk = canSplit(p.depth + 1, s.cR, opts);
    if (!lOk && !rOk) {
      ws.releaseHistogram(parentHist);
      continue;
    }
    // Build the smaller child, derive the larger by subtraction (in place in the parent's buffer).
    const leftSmaller = s.cL <= s.cR;
    const small = ws.takeHistogram();
    const sr = leftSmaller ? { rows, start: p.start, end: mid } : { rows, start: mid, end: p.end };
    buildHistogram(small, data, feats, nf, sr, g, h);
    subtractHistogram(parentHist, parentHist, small, data, feats, nf);
    const lHist = leftSmaller ? small : parentHist;
    const rHist = leftSmaller ? parentHist : small;
    const children: Array<[boolean, number, number, number, Float64Array, NodeSums]> = [
      [lOk, ln, p.start, mid, lHist, lSums],
      [rOk, rn, mid, p.end, rHist, rSums],
    ];
    for (const [ok, node, start, end, hist, sums] of children) {
      const split = ok ? find(hist, sums) : null;
      if (split) open.push({ node, start, end, depth: p.depth + 1, hist, split });
      else ws.releaseHistogram(hist);
    }
  }
  for (const o of open) if (o.hist) ws.releaseHistogram(o.hist);
  return nodes.toTree();
}

function growDepthFirst(ws: GrowerWorkspace, g: Float64Array, h: Float64Array, rows: Uint32Array, root: NodeSums, opts: GrowOptions): GrownTree {
  const { data } = ws;
  const nodes = new NodeList();
  const l2 = opts.split.l2;
  const order = Int32Array.from(opts.features);
  const k = Math.min(opts.maxFeaturesPerNode, order.length);
  const chunk = new Int32Array(k);
  const hist = ws.takeHistogram();
  const stack: Array<{ node: number; start: number; end: number; depth: number; sums: NodeSums }> = [
    { node: nodes.add(root, opts.leafScale, l2), start: 0, end: rows.length, depth: 0, sums: root },
  ];
  let nLeaves = 1;
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (opts.maxLeaves > 0 && nLeaves >= opts.maxLeaves) break;
    if (!canSplit(p.depth, p.sums.c, opts)) continue;
    // Forest: a pure node (all weight on one class) cannot gain; skip drawing every feature to find that out.
    if (opts.stopWhenPure && (p.sums.g === 0 || p.sums.g === p.sums.h)) continue;
    partialShuffle(order, order.length, opts.rng);
    let split: SplitInfo | null = null;
    for (let at = 0; at < order.length && !split; at += k) {
      const n = Math.min(k, order.length - at);
      for (let i = 0; i < n; i++) chunk[i] = order[at + i];
      buildHistogram(hist, data, chunk, n, { rows, start: p.start, end: p.end }, g, h);
      split = findBestSplit(hist, data.stride, data.missingBin, data.nBins, chunk, n, p.sums, opts.split);
    }
    if (!split) continue;
    const { mid, ln, rn, lSums, rSums } = applySplit(ws, nodes, rows, p.node, p.start, p.end, split, opts);
    nLeaves++;
    stack.push({ node: rn, start: mid, end: p.end, depth: p.depth + 1, sums: rSums });
    stack.push({ node: ln, start: p.start, end: mid, depth: p.depth + 1, sums: lSums });
  }
  ws.releaseHistogram(hist);
  return nodes.toTree();
}
