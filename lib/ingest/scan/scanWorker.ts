// Entry of a scan worker thread: scans tasks from the shared queue and posts what it found.
import { parentPort, workerData } from "node:worker_threads";
import { scanTasks, type ScanTasksInput } from "./scanTasks";

scanTasks(workerData as ScanTasksInput).then(
  (result) => parentPort!.postMessage({ result }, result.keys?.parts ?? []), // the key log moves, not copied
  (err: unknown) => parentPort!.postMessage({ error: err instanceof Error ? err.stack ?? err.message : String(err) }),
);
