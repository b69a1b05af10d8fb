export { FeatureEncoder, OTHER, MISSING, type FeatureEncoderOptions, type FeatureSpec, type FeatureValue, type EncodedColumn, type SavedEncoder } from "./FeatureEncoder";
export { NON_BEHAVIOUR_ATTRIBUTES, excludedAttributes } from "./attributes";
