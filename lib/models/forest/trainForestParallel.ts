import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { SparkifyError } from "../../errors";
import { startModuleWorker } from "../../threads/startModuleWorker";
import { GrowerWorkspace, type GrownTree } from "../trees/grower";
import { trainForestTree, type ForestData, type ForestTreeParams } from "./trainForestTree";

/**
 * Grows trees 0 .. nTrees-1 on the calling thread plus (nThreads - 1) worker threads, synchronously: the
 * threads claim tree numbers from a shared counter and the caller blocks on Atomics.wait for the rest.
 * Every tree depends only on its number, so the result is the same for any thread count. If a worker is
 * slow to deliver (or died), the caller grows the missing tree itself: the first copy to arrive is kept.
 */
export function trainForestParallel(
  data: ForestData,
  params: ForestTreeParams,
  nTrees: number,
  nThreads: number,
  options: { callerGrows?: boolean } = {},
): { trees: GrownTree[]; grownByWorkers: number } {
  const callerGrows = options.callerGrows ?? true;
  const results: Array<GrownTree | undefined> = new Array(nTrees);
  let grownByWorkers = 0;
  const control = new Int32Array(new SharedArrayBuffer(8));
  const workers: Worker[] = [];
  const ports: MessagePort[] = [];
  // With callerGrows false (tests of the worker path) every thread asked for is a worker.
  const nWorkers = callerGrows ? Math.max(0, Math.min(nThreads, nTrees) - 1) : Math.max(1, nThreads);
  try {
    for (let k = 0; k < nWorkers; k++) {
      const { port1, port2 } = new MessageChannel();
      ports.push(port1);
      workers.push(startModuleWorker(__dirname, "forestWorker", { forestWorker: { data, params, nTrees, control, port: port2 } }, [port2]));
      workers[k].unref();
      // A worker that fails to start or crashes only costs speed: the calling thread grows every tree it
      // does not deliver. Its 'error' event arrives after fit returned, so it must not become an uncaught error.
      workers[k].on("error", () => undefined);
    }
    const ws = new GrowerWorkspace(data);
    let grownHere = 0;
    let timeHere = 0;
    const growHere = (t: number): void => {
      const t0 = performance.now();
      const tree = trainForestTree(ws, data, params, t);
      if (!results[t]) results[t] = tree;
      timeHere += performance.now() - t0;
      grownHere++;
    };
    const drain = (): void => {
      for (const port of ports) {
        for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
          const msg = m.message as { t?: number; tree?: GrownTree; error?: string };
          if (msg.error !== undefined) throw new SparkifyError("E_WORKER", `RandomForest: a worker thread failed: ${msg.error}`);
          if (msg.t !== undefined && msg.tree && !results[msg.t]) {
            results[msg.t] = msg.tree;
            grownByWorkers++;
          }
        }
      }
    };
    while (callerGrows) {
      const t = Atomics.add(control, 0, 1);
      if (t >= nTrees) break;
      growHere(t);
      drain();
    }
    for (;;) {
      const seen = Atomics.load(control, 1);
      drain();
      const missing = results.findIndex((r) => r === undefined);
      if (missing < 0) break;
      // Wait about one and a half tree-times for the workers, then grow the first missing tree here.
      const waitMs = Math.max(20, grownHere > 0 ? (1.5 * timeHere) / grownHere : callerGrows ? 1000 : 60000);
      if (Atomics.wait(control, 1, seen, waitMs) === "timed-out") {
        drain();
        const still = results.findIndex((r) => r === undefined);
        if (still >= 0) growHere(still);
      }
    }
  } finally {
    for (const p of ports) p.close();
    for (const w of workers) void w.terminate();
  }
  return { trees: results as GrownTree[], grownByWorkers };
}
