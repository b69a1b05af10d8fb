import type { DataFrame } from "danfojs";
import type { SqlRunner } from "../store";
import { toDataFrame } from "../store/toDataFrame";
import { computeFeatures } from "./computeFeatures";
import type { FeatureOptions, FeatureTable } from "./types";

/**
 * The feature table as a danfo DataFrame (columns of `t.columns`, label column `churn`). Missing
 * values stay null (danfo counts them in isNa()); categorical columns are strings.
 */
export function featureTableToDataFrame(t: FeatureTable): DataFrame {
  return toDataFrame(t.rows, t.columns);
}

/** Computes the features on `runner` and returns them as a danfo DataFrame with `churn`. */
export async function features(runner: SqlRunner, options: FeatureOptions = {}): Promise<DataFrame> {
  return featureTableToDataFrame(await computeFeatures(runner, options));
}
