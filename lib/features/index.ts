export type { FeatureInfo, FeatureMode, FeatureOptions, FeatureTable, FeatureValue, LabelKind, ResolvedFeatureOptions, TimeRange } from "./types";
export { ENGAGEMENT_PAGES, FEATURE_DICTIONARY, FORWARD_ONLY_FEATURES, featureColumns, featureDictionary } from "./dictionary";
export { CANCELLATION_PAGES, buildFeatureQuery, labelPages } from "./featureQuery";
export { renderFeatureQuery } from "./renderFeatureQuery";
export { DEFAULT_HORIZON_DAYS, defaultCutoff, lastLabelledCutoff, eventTimeRange, resolveCutoffs, resolveFeatureOptions, timeRangeQuery } from "./resolveCutoffs";
export { computeFeatures, featureTableFromRows } from "./computeFeatures";
export { featureTableToDataFrame, features } from "./features";
export { featuresMetaPath, readFeaturesCsv, writeFeaturesCsv } from "./featuresCsv";
