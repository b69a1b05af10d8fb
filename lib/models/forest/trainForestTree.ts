import { GrowerWorkspace, growTree, type GrowerData, type GrownTree } from "../trees/grower";
import { createRng, mixSeed } from "../../random";
import { TREE_STREAM } from "../trees/seeds";

/** Binned data plus labels and weights: everything a forest tree is grown from (also sent to workers). */
export interface ForestData extends GrowerData {
  /** 0/1 labels. */
  readonly y: Uint8Array;
  /** Sample weights. */
  readonly w: Float64Array;
}

/** Scratch arrays of trainForestTree, one set per workspace (one per thread). */
interface ForestBuffers {
  g: Float64Array;
  h: Float64Array;
  counts: Uint32Array;
  rowBuffer: Uint32Array;
}

const buffersOf = new WeakMap<GrowerWorkspace, ForestBuffers>();

/** The workspace's scratch arrays for n rows, made on first use. */
function forestBuffers(ws: GrowerWorkspace, n: number): ForestBuffers {
  let b = buffersOf.get(ws);
  if (!b || b.g.length !== n) {
    b = { g: new Float64Array(n), h: new Float64Array(n), counts: new Uint32Array(n), rowBuffer: new Uint32Array(n) };
    buffersOf.set(ws, b);
  }
  return b;
}

/** Per-tree growth settings of the forest. */
export interface ForestTreeParams {
  /** 0 = unlimited. */
  readonly maxDepth: number;
  readonly minSamplesLeaf: number;
  /** Features drawn at each node. */
  readonly maxFeaturesPerNode: number;
  readonly bootstrap: boolean;
  readonly seed: number;
}

/**
 * Grows tree number `t` of the forest. The tree depends only on (data, params, t) — its random stream is
 * derived from (seed, t) — so the forest is the same whichever thread grows which tree.
 * Bootstrap draws become integer weights (w · count), so rows are never copied.
 */
export function trainForestTree(ws: GrowerWorkspace, data: ForestData, params: ForestTreeParams, t: number): GrownTree {
  const n = data.nRows;
  const rng = createRng(mixSeed(params.seed, t), TREE_STREAM);
  // Per-tree buffers come from the workspace: fresh ones (a few MB of ArrayBuffers per tree) made
  // the garbage collector a fifth of a fit. The grower reads g and h only at the rows it is given.
  const { g, h, counts, rowBuffer } = forestBuffers(ws, n);
  let rows: Uint32Array;
  if (params.bootstrap) {
    counts.fill(0);
    for (let k = 0; k < n; k++) counts[rng.nextInt(n)]++;
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (counts[i] === 0) continue;
      rowBuffer[m++] = i;
      h[i] = data.w[i] * counts[i];
      g[i] = data.y[i] ? h[i] : 0;
    }
    rows = rowBuffer.subarray(0, m);
  } else {
    rows = rowBuffer;
    for (let i = 0; i < n; i++) {
      rows[i] = i;
      h[i] = data.w[i];
      g[i] = data.y[i] ? h[i] : 0;
    }
  }
  const features = Int32Array.from({ length: data.nFeatures }, (_, i) => i);
  return growTree(ws, g, h, rows, {
    maxDepth: params.maxDepth,
    maxLeaves: 0,
    // With g = w·y, h = w and no L2, the split gain is the weighted Gini decrease and a node's value its class-1 share.
    split: { l2: 0, minSamplesLeaf: params.minSamplesLeaf, minChildWeight: 0 },
    leafScale: 1,
    features,
    maxFeaturesPerNode: params.maxFeaturesPerNode,
    rng,
    stopWhenPure: true,
  });
}
