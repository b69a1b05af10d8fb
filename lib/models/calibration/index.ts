export { ProbabilityCalibrator, type CalibrationMethod, type CalibratorOptions, type SavedCalibrator } from "./ProbabilityCalibrator";
export { fitPlatt, applyPlatt } from "./platt";
export { fitIsotonic, applyIsotonic, type IsotonicKnots } from "./isotonic";
export { rawScores, scoreKindOf, scoresFromProba, type ScoreKind } from "./rawScores";
export { bundlePredictProba, calibratorOf } from "./bundleProba";
