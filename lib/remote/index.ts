export { computeFeaturesRemote, remoteTimeRange, planRun, planTimeRange, DEFAULT_REMOTE_TIMEOUT_SECONDS, DEFAULT_POLL_SECONDS } from "./engine";
export {
  REMOTE_ENGINES,
  ENGINES,
  isRemoteEngine,
  type EngineName,
  type RemoteSettings,
  type RemoteJobOptions,
  type Engine,
  type RemoteDialect,
  type RemoteFeatureOptions,
  type FeatureQueryRenderer,
  type RemoteLogger,
  type RemoteOptions,
  type RemoteResult,
  type RemoteDataReport,
} from "./types";
export { renderPysparkEntry, sparkSchemaSource, type PysparkEntryOptions } from "./pysparkEntry";
export { buildStartJobRunRequest, emrDriverLogLocation, runEmrJob, type EmrJobSpec, type EmrJobOutcome } from "./emrServerless";
export {
  athenaEventsTable,
  buildStartQueryRequest,
  renderAthenaReportQuery,
  renderCreateDatabase,
  renderEventsTableDdl,
  runAthenaQuery,
  withCleanEvents,
  type AthenaTarget,
  type AthenaOutcome,
} from "./athena";
export { planEmrServerless, planAthena, type RemotePlan, type AthenaStep, type PlanBase, type RemoteQueryKind } from "./planRemote";
export { formatDryRun } from "./dryRun";
export { pollUntilDone, formatDuration, type PollOptions, type PollResult } from "./polling";
export { newRunId, planRunLayout, stageFiles, notGiven, isNotGiven, type RunLayout, type StagedFile } from "./staging";
export { remoteFeatureTable } from "./remoteFeatureTable";
export { fetchSparkCsv, fetchSparkReport, parseAthenaReport, parseTimeRangeCsv, checkRemoteReport } from "./fetchResult";
export { redact, redactingLogger } from "./redactingLogger";
export { stderrLogger } from "./stderrLogger";
