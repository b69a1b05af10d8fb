// Fitted models between worker threads: the saved form, but with the tree ensembles' node arrays as
// typed arrays. A 100-tree deep forest has ~10^6 nodes: as JSON number arrays it is ~9 arrays of 10^6
// JS numbers on each side plus the structured-clone buffer between them (hundreds of MB at the peak of
// a cross-validation); typed arrays are copied as bytes (or moved) and fromJSON reads them alike.
import { RandomForest } from "../forest";
import { GradientBoostedTrees } from "../gbt";
import type { Classifier, SavedModel } from "../types";

/** The model's saved form for postMessage: typed tree arrays for the tree ensembles, toJSON otherwise. */
export function savedForThread(model: Classifier): SavedModel {
  return model instanceof RandomForest || model instanceof GradientBoostedTrees ? model.toJSON({ typedTrees: true }) : model.toJSON();
}

/** The ArrayBuffers of a savedForThread result's tree arrays, to move them with postMessage (the sender must not use them after). */
export function savedTransferList(saved: SavedModel): ArrayBuffer[] {
  const trees = saved.state.trees;
  if (typeof trees !== "object" || trees === null) return [];
  const out: ArrayBuffer[] = [];
  for (const a of Object.values(trees)) if (ArrayBuffer.isView(a) && a.buffer instanceof ArrayBuffer && !out.includes(a.buffer)) out.push(a.buffer);
  return out;
}
