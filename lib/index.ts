/**
 * sparkify-churn's public API: what a notebook or a script needs, from one import. Everything here is
 * re-exported under its name in its own folder; internals (kernels, SQL text, worker pools, caches, CLI
 * parsing, notebook runners) stay in the folders. Where two folders use the same type name, the one a caller
 * meets is exported: `FeatureValue` is the feature table's cell (features), `CalibrationBin` the metrics row
 * (evaluation), `Cell` a table cell (evaluation). See docs/architecture.md.
 */

// Errors users can reach.
export { SparkifyError, NotFittedError, ERROR_CODES, isErrorCode, type ErrorCode } from "./errors";

// Events: the schema of one log line.
export type { SparkifyEvent } from "./events";
export { DAY_MS } from "./events/time";

// Event store and sources: load, validate and clean raw JSON-lines (files, gzip, folders, S3, Parquet).
export { EventStore, convertEvents } from "./store";
export type { LoadOptions, StorageMode, StoreSummary, SqlRunner, ConvertResult } from "./store";
export { resolveSources } from "./inputs";
export { CLEANING_RULES } from "./ingest";
export type { DataReport, RuleName } from "./ingest";
export { openEvents, type OpenEventsOptions } from "./pipeline";

// Event sources: one seam over the local store and the remote engines (EMR Serverless, Athena).
export { openEventSource } from "./eventSource";
export type { EventSource, OpenEventSourceOptions } from "./eventSource";
export type { EngineName, RemoteSettings } from "./remote";
// Remote settings from the SPARKIFY_* variables, as the CLI reads them: for notebooks and scripts with no command line.
export { remoteSettingsFromEnv } from "./cli/remoteOptions";

// Features: leakage-free per-user features at a cutoff.
export {
  computeFeatures,
  features,
  featureTableToDataFrame,
  featureDictionary,
  featureColumns,
  resolveCutoffs,
  readFeaturesCsv,
  writeFeaturesCsv,
} from "./features";
export type { FeatureInfo, FeatureMode, FeatureOptions, FeatureTable, FeatureValue, LabelKind } from "./features";

// The pipeline: train, score, training tables over cutoff plans.
export {
  runPipeline,
  scorePipeline,
  bestModel,
  buildTrainingTable,
  buildSnapshot,
  trainingTable,
  parseCutoffPlan,
  weeklyCutoffs,
  snapshotFeatures,
  saveTrainingResult,
  writeScoresCsv,
  runFolder,
  ensureRunFolder,
} from "./pipeline";
export type { RunOptions, RunResult, ScoreOptions, CutoffPlan, TrainingTableOptions, TableSource, RunFolder } from "./pipeline";

// Estimators (scikit-learn idiom), encoding, the calibrated bundle and its files.
export {
  LogisticRegression,
  RandomForest,
  GradientBoostedTrees,
  FeatureEncoder,
  matrixFromRows,
  saveModel,
  loadModel,
  initBackend,
  announceBackend,
} from "./models";
export type {
  Matrix,
  Classifier,
  LogisticRegressionOptions,
  ForestOptions,
  GbtOptions,
  ModelBundle,
  ModelKind,
  TfBackendName,
} from "./models";
export { ProbabilityCalibrator, bundlePredictProba } from "./models/calibration";
export type { CalibrationMethod, CalibratorOptions } from "./models/calibration";

// Training, evaluation, metrics, explanations, scoring.
export {
  trainAndEvaluate,
  scoreUsers,
  crossValidate,
  stratifiedGroupKFold,
  permutationImportance,
  rocAuc,
  averagePrecision,
  logLoss,
  brierScore,
  expectedCalibrationError,
  precisionRecallF1,
  bestF1Threshold,
  confusionAt,
  rocCurve,
  prCurve,
  calibrationTable,
  gainsCurve,
} from "./evaluation";
export type { TrainOptions, TrainResult, ScoredUser, Reason, Cell, CalibrationBin, MetricsJson, ModelMetrics, Confusion } from "./evaluation";

// Exploratory analysis.
export { runEda, edaFigures, churnRateBy } from "./eda";
export type { EdaData, EdaFigures } from "./eda";

// Plots (Plotly figures) and rendering them to images.
export {
  rocCurves,
  prCurves,
  calibrationPlot,
  gainsChart,
  liftChart,
  confusionMatrix,
  barChart,
  featureImportance,
  coefficients,
  churnRateBar,
  eventsPerDay,
  distributionByGroup,
  pageMix,
  FigureRenderer,
} from "./plots";
export type { Figure, Trace } from "./plots";

// Report.
export { buildReport, writeReport, modelFigures } from "./report";
export type { ReportInput } from "./report";

// Notebooks: display (tables, figures, prose), stopping with a reason, summaries, and the Parquet hand-over from 02-clean.
export { show, showTable, showMarkdown, stopIf, NotebookStop, describe, notebookEvents, writeInterimEvents } from "./notebooks";
export type { ShowOptions, ShowTableOptions, NotebookEvents } from "./notebooks";
export { writeJsonAtomic } from "./io";

// Simulated data (eventsim-like) and the oracle that knows the truth.
export { simulate, runSimulation, writeSimulation, PRESETS, PRESET_NAMES, DEFAULT_SIMULATION_SEED } from "./simulate";
export type { SimulateOptions, PresetName, SimulationSummary } from "./simulate";
export { oracleScores, type OracleOptions } from "./oracle";
