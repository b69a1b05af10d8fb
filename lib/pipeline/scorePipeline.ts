import * as fs from "node:fs";
import * as path from "node:path";
import type { StorageMode } from "../store";
import { openEvents } from "./openEvents";
import { scoreUsers, type ScoredUser } from "../evaluation";
import { loadModel } from "../models";
import type { FeatureMode, LabelKind } from "../features";
import { snapshotFeatures } from "./snapshotFeatures";
import { writeScoresCsv } from "./scoresCsv";

/** Options of `sparkify-churn score`. */
export interface ScoreOptions {
  model: string;
  input?: string | string[];
  out: string;
  s3Endpoint?: string;
  storage?: StorageMode;
  quiet?: boolean;
}

/** Scores the active users of `input` with a saved model and writes the ranked CSV. */
export async function scorePipeline(options: ScoreOptions): Promise<{ scores: ScoredUser[]; kind: string; threshold: number }> {
  const bundle = loadModel(options.model);
  const store = await openEvents({ input: options.input, out: path.dirname(path.resolve(options.out)), s3Endpoint: options.s3Endpoint, storage: options.storage, quiet: options.quiet });
  try {
    const snapshot = await snapshotFeatures(store, {
      mode: bundle.mode as FeatureMode,
      horizonDays: bundle.horizon ?? 14,
      label: (bundle.label ?? "cancel") as LabelKind,
    });
    const scores = scoreUsers(bundle, snapshot, { topK: 3 });
    fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
    writeScoresCsv(options.out, scores);
    return { scores, kind: bundle.kind, threshold: bundle.threshold };
  } finally {
    await store.close();
  }
}
