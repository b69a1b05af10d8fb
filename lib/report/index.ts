export { buildReport } from "./buildReport";
export { writeReport } from "./writeReport";
export { modelFigures } from "./modelFigures";
export type { PlacedFigure } from "./modelFigures";
export { modelName, pickBestModel, rocArrays, prArrays, calibrationBins, importanceRows, MODEL_NAMES } from "./normalizeMetrics";
export { htmlTable, dataReportHtml, modelTableHtml, riskTableHtml } from "./htmlTables";
export type { ReportInput, MetricsInput, ModelMetricsInput, RiskRowInput, RocInput, PrInput, CalibrationInput, ImportanceRowInput } from "./types";
