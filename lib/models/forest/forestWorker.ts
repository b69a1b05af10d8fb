// Worker-thread entry for trainForestParallel: claims tree numbers from a shared counter, grows them and
// posts each back on its port, then bumps the shared "finished" counter so the blocked main thread wakes.
import { isMainThread, workerData, type MessagePort } from "node:worker_threads";
import { GrowerWorkspace } from "../trees/grower";
import { trainForestTree, type ForestData, type ForestTreeParams } from "./trainForestTree";

/** What the main thread passes in workerData. */
export interface ForestWorkerInput {
  readonly data: ForestData;
  readonly params: ForestTreeParams;
  readonly nTrees: number;
  /** [0]: next tree number to claim; [1]: messages posted so far. */
  readonly control: Int32Array;
  readonly port: MessagePort;
}

function runWorker(input: ForestWorkerInput): void {
  const { data, params, nTrees, control, port } = input;
  const post = (msg: unknown, transfer: ArrayBuffer[] = []): void => {
    port.postMessage(msg, transfer);
    Atomics.add(control, 1, 1);
    Atomics.notify(control, 1);
  };
  try {
    const ws = new GrowerWorkspace(data);
    for (;;) {
      const t = Atomics.add(control, 0, 1);
      if (t >= nTrees) break;
      const tree = trainForestTree(ws, data, params, t);
      const buffers = Object.values(tree).map((a: ArrayBufferView) => a.buffer as ArrayBuffer);
      post({ t, tree }, buffers);
    }
  } catch (e) {
    post({ error: e instanceof Error ? e.message : String(e) });
  }
  port.close();
}

if (!isMainThread && workerData?.forestWorker) runWorker(workerData.forestWorker as ForestWorkerInput);
