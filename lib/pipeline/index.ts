export { runPipeline, bestModel, type RunOptions, type RunResult } from "./runPipeline";
export { scorePipeline, type ScoreOptions } from "./scorePipeline";
export { openEvents, type OpenEventsOptions } from "./openEvents";
export { trainingTable, parseCutoffPlan, type TrainingTableOptions } from "./trainingTable";
export { weeklyCutoffs, type CutoffPlan } from "./cutoffPlan";
export { snapshotFeatures } from "./snapshotFeatures";
export { saveTrainingResult } from "./saveTrainingResult";
export { writeScoresCsv } from "./scoresCsv";
export { runFolder, ensureRunFolder, writeJsonAtomic, type RunFolder } from "./runFolder";
