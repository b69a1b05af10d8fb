export { AUTO_EARLY_STOPPING_ROWS, GradientBoostedTrees, stratifiedHoldout, usesEarlyStopping, type GbtOptions } from "./gbt";
