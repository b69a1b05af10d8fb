import * as path from "node:path";
import type { TrainResult } from "../evaluation";
import { saveModel } from "../models";
import { writeJsonAtomic, type RunFolder } from "./runFolder";

/** Writes metrics.json and models/<kind>.json of a training result into the run folder. */
export function saveTrainingResult(folder: RunFolder, trained: Pick<TrainResult, "metrics" | "fitted">): void {
  writeJsonAtomic(folder.metrics, trained.metrics);
  for (const [kind, bundle] of Object.entries(trained.fitted)) if (bundle) saveModel(path.join(folder.models, `${kind}.json`), bundle);
}
