export * from "./types";
export * from "./logistic";
export * from "./encoding";
export * from "./serialize";
export * from "./gbt";
export * from "./trees";
export * from "./forest";
export { initBackend, activeBackend, announceBackend, type TfBackendName } from "./backend";
