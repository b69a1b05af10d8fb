export { RandomForest, featuresPerNode, type ForestOptions } from "./RandomForest";
export { trainForestParallel } from "./trainForestParallel";
export { trainForestTree, type ForestData, type ForestTreeParams } from "./trainForestTree";
