export { checkEventSourceOptions, openEventSource, type OpenEventSourceOptions } from "./openEventSource";
export type { EventSource, SnapshotLike, SourceInput } from "./types";
export { LocalEventSource } from "./localEventSource";
export { RemoteEventSource, remoteDataReport, type RemoteEventSourceOptions } from "./remoteEventSource";
export { openEvents, type OpenEventsOptions } from "./openEvents";
export { trainingTable, trainingAndScoringTables, type TrainingAndScoringTables } from "./trainingTable";
export { snapshotFeatures } from "./snapshotFeatures";
export { weeklyCutoffs, parseCutoffPlan, planCutoffs, describeCutoffPlan, labelWindowClosed, WEEKLY, type CutoffPlan, type TrainingTableOptions } from "./cutoffPlan";
