export { BUNDLE_FORMAT_VERSION, type ModelBundle, type SavedBundle } from "./ModelBundle";
export { modelFamily, modelKinds, registerModelKind, type ExplainableClassifier, type ModelFamily, type ModelKind } from "./modelRegistry";
export { saveModel, bundleToJSON, bundleFromJSON } from "./saveModel";
export { loadModel } from "./loadModel";
export { savedForThread, savedTransferList } from "./threadTransfer";
