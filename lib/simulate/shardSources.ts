import { SparkifyError } from "../errors";
import type { Worker } from "node:worker_threads";
import { startModuleWorker } from "../threads/startModuleWorker";
import { ShardSimulator, type EventBatch } from "./ShardSimulator";
import { catalogueFor, type Catalogue } from "./catalogue";
import type { BatchSource } from "./encodeSimulation";
import type { SimulationPlan } from "./simulationPlan";

/** Events per batch a shard hands to the merger. */
export const BATCH_EVENTS = 8192;

/** What a shard worker receives as workerData. */
export interface ShardWorkerData {
  plan: SimulationPlan;
  shard: number;
  shards: number;
  batchEvents: number;
  /** The catalogue built once by the parent (cloning it is cheaper than rebuilding it). */
  catalogue: Catalogue;
}

/** A shard simulated in the calling thread. */
class LocalSource implements BatchSource {
  constructor(private readonly sim: ShardSimulator) {}
  async next(): Promise<EventBatch | null> {
    return this.sim.nextBatch(BATCH_EVENTS);
  }
  async close(): Promise<void> {}
}

/** A shard simulated in a worker thread; keeps one batch in flight so the worker never idles. */
class WorkerSource implements BatchSource {
  private readonly worker: Worker;
  private readonly ready: (EventBatch | null)[] = [];
  private waiting: { resolve: (b: EventBatch | null) => void; reject: (e: unknown) => void } | null = null;
  private failure: unknown = null;
  private finished = false;

  constructor(data: ShardWorkerData) {
    this.worker = startModuleWorker(__dirname, "shardWorker", data);
    this.worker.on("message", (b: EventBatch | null) => {
      if (b === null) this.finished = true;
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = null;
        w.resolve(b);
      } else this.ready.push(b);
    });
    const fail = (err: unknown): void => {
      this.failure ??= err;
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = null;
        w.reject(err);
      }
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => {
      if (!this.finished) fail(new SparkifyError("E_WORKER", `simulator worker ${data.shard} exited early (code ${code})`));
    });
    // Two requests in flight: one batch is being merged while the next is generated.
    this.worker.postMessage("more");
    this.worker.postMessage("more");
  }

  async next(): Promise<EventBatch | null> {
    if (this.failure) throw this.failure;
    const b = this.ready.length > 0 ? this.ready.shift()! : await new Promise<EventBatch | null>((resolve, reject) => { this.waiting = { resolve, reject }; });
    if (b !== null) this.worker.postMessage("more");
    return b;
  }

  async close(): Promise<void> {
    this.finished = true;
    await this.worker.terminate();
  }
}

/** One batch source per shard: in this thread when workers ≤ 1, else one worker thread each. */
export function createShardSources(plan: SimulationPlan, workers: number): BatchSource[] {
  if (workers <= 1) return [new LocalSource(new ShardSimulator(plan, 0, 1))];
  const catalogue = catalogueFor(plan.seed);
  return Array.from({ length: workers }, (_, shard) => new WorkerSource({ plan, shard, shards: workers, batchEvents: BATCH_EVENTS, catalogue }));
}
