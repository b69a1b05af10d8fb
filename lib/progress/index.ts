export { ProgressBar, formatBytes, formatSeconds } from "./ProgressBar";
export type { ProgressOptions } from "./ProgressBar";
