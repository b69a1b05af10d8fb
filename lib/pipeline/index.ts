export { runPipeline, bestModel, type RunOptions, type RunResult } from "./runPipeline";
export { scorePipeline, type ScoreOptions } from "./scorePipeline";
// The training table, cutoff plans and the scoring snapshot are questions to the event source (lib/eventSource).
export { openEvents, trainingTable, parseCutoffPlan, weeklyCutoffs, snapshotFeatures, type OpenEventsOptions, type TrainingTableOptions, type CutoffPlan } from "../eventSource";
export { saveTrainingResult } from "./saveTrainingResult";
export { writeScoresCsv } from "./scoresCsv";
export { runFolder, ensureRunFolder, writeJsonAtomic, RunSession, type RunFolder } from "./runFolder";
export { readRunManifest, verifyRunFolder, checkAgainstManifest, MANIFEST_FILE, type RunManifest, type InputFingerprint, type ArtefactEntry } from "./runManifest";
export { acquireRunLock, LOCK_FILE, type RunLock } from "./runLock";
export { buildTrainingTable, buildSnapshot, type TableSource } from "./buildTrainingTable";
