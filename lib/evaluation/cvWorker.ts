// Worker-thread entry for CvWorkerPool: holds the encoded matrix and labels (shared memory, sent once)
// and fits the folds the main thread sends, one at a time, with the same fitFold the serial CV runs, or
// computes a fold model's permutation importance on its test rows.
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { modelFamily, savedForThread, savedTransferList } from "../models/serialize";
import { takeRows } from "../models/types";
import { fitFold } from "./crossValidate";
import { permutationImportance } from "./permutationImportance";
import type { CvTask, CvTaskResult, CvWorkerInput } from "./cvWorkerPool";

function runWorker(input: CvWorkerInput): void {
  // No announceBackend here: a worker thread's backend stays unnamed (the main thread names its own when
  // the CLI asks), so one line per process at most.
  const X = { data: new Float64Array(input.data), nRows: input.nRows, nCols: input.nCols, columns: input.columns };
  const y = new Float64Array(input.y);
  const port = parentPort as NonNullable<typeof parentPort>;
  // Tasks run one after another: each worker is one core's worth of work.
  let queue = Promise.resolve();
  port.on("message", (task: CvTask) => {
    queue = queue.then(async () => {
      let reply: CvTaskResult;
      let transfer: ArrayBuffer[] = [];
      try {
        if (task.type === "fit") {
          const fit = await fitFold(task.kind, task.params, X, y, task.fold, input.classWeight, 1);
          // The model's tree arrays are fresh copies: moved, not cloned (see savedForThread).
          const model = savedForThread(fit.model);
          transfer = savedTransferList(model);
          reply = { id: task.id, model, proba: fit.proba, score: fit.score, fitSeconds: fit.fitSeconds };
        } else {
          const model = modelFamily(task.kind).fromJSON(task.model);
          const importance = permutationImportance(model, takeRows(X, task.test), Float64Array.from(task.test, (i) => y[i]), { featureOf: task.featureOf, nRepeats: task.repeats, seed: task.seed });
          reply = { id: task.id, importance };
        }
      } catch (e) {
        reply = { id: task.id, error: e instanceof Error ? e.message : String(e), code: (e as { code?: string }).code };
      }
      port.postMessage(reply, transfer);
    });
  });
}

if (!isMainThread && workerData?.cvWorker) runWorker(workerData.cvWorker as CvWorkerInput);
