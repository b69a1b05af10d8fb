import * as path from "node:path";
import { Worker, type TransferListItem } from "node:worker_threads";

/**
 * Starts a worker thread running the module `name` in folder `dir` (the caller's __dirname). When
 * the sources run as .ts under tsx, a worker does not inherit tsx's require hook, so it registers
 * the hook first (resolved here, so that the worker's working folder does not matter).
 */
export function startModuleWorker(dir: string, name: string, workerData: unknown, transferList?: TransferListItem[]): Worker {
  const ext = path.extname(__filename);
  const entry = path.join(dir, `${name}${ext}`);
  if (ext === ".ts") {
    const code = `require(${JSON.stringify(require.resolve("tsx/cjs"))}); require(${JSON.stringify(entry)});`;
    return new Worker(code, { eval: true, workerData, transferList });
  }
  return new Worker(entry, { workerData, transferList });
}
