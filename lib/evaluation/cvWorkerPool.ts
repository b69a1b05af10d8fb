import * as os from "node:os";
import type { Worker } from "node:worker_threads";
import { SparkifyError, isErrorCode } from "../errors";
import { modelFamily, savedForThread } from "../models/serialize";
import type { Matrix, SavedModel } from "../models/types";
import { startModuleWorker } from "../threads/startModuleWorker";
import type { ExplainableClassifier } from "../models/serialize";
import { assembleCvRun, type CvRun, type FoldFit } from "./crossValidate";
import type { permutationImportance } from "./permutationImportance";
import type { FoldPlan } from "./stratifiedGroupKFold";

/** What a cvWorker gets at start: the encoded matrix and labels in shared memory. */
export interface CvWorkerInput {
  data: SharedArrayBuffer;
  nRows: number;
  nCols: number;
  columns: string[];
  y: SharedArrayBuffer;
  classWeight: "balanced" | "none";
}

/** One fold to fit, or the permutation importance of a fold model on its test rows. */
export type CvTask =
  | { type: "fit"; id: number; kind: string; params: Record<string, unknown>; fold: { train: Int32Array; test: Int32Array } }
  | { type: "importance"; id: number; kind: string; model: SavedModel; test: Int32Array; featureOf: string[]; repeats: number; seed: number };

/** A fitted fold (the model in its saved form, tree arrays typed: savedForThread), a fold's permutation importance, or the error that stopped the task. */
export type CvTaskResult =
  | { id: number; model: SavedModel; proba: Float64Array; score: Float64Array; fitSeconds: number }
  | { id: number; importance: PermutationScores }
  | { id: number; error: string; code?: string };

/** permutationImportance's result. */
export type PermutationScores = ReturnType<typeof permutationImportance>;

/** The default number of parallel jobs: the cores this process may use. */
export function defaultJobs(): number {
  return Math.max(1, typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length);
}

/**
 * Cross-validation folds on worker threads: `jobs` workers each hold the encoded matrix (one shared
 * copy) and fit the folds they are sent one at a time, with the same fitFold the serial CV runs; the
 * fold models come back in their saved form (savedForThread: tree arrays stay typed arrays) and are
 * rebuilt here (the state is exact: every number is the double the worker computed), so a run's metrics are identical to the serial run's for the
 * same seed. Several candidates' folds may be queued at once, which keeps every worker busy. The
 * permutation importance of the fold models runs on the workers too (one task per fold).
 * Logistic regression runs in the workers too: TensorFlow.js's wasm backend initialises per thread.
 * @example
 * import { CvWorkerPool } from "./lib/evaluation/cvWorkerPool";
 * import { stratifiedGroupKFold } from "./lib/evaluation/stratifiedGroupKFold";
 * import { matrixFromRows } from "./lib/models";
 * const X = matrixFromRows(Array.from({ length: 120 }, (_, i) => [i % 10, (i * 7) % 13]), ["visits", "errors"]);
 * const y = Float64Array.from({ length: 120 }, (_, i) => (i % 10 < 3 ? 1 : 0));
 * const plan = stratifiedGroupKFold(y, Array.from({ length: 120 }, (_, i) => `u${i}`), 3, 42);
 * const pool = new CvWorkerPool(2, X, y, "balanced");
 * try {
 *   const grid = [{ nEstimators: 10, seed: 1 }, { nEstimators: 20, seed: 1 }];
 *   const runs = await Promise.all(grid.map((p) => pool.crossValidate("gbt", p, plan, X.nRows)));
 *   if (runs.some((r) => r.oof.some(Number.isNaN))) throw new Error("a row without an out-of-fold score");
 * } finally {
 *   await pool.close();
 * }
 */
export class CvWorkerPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Array<{ task: CvTask; resolve: (r: CvTaskResult) => void; reject: (e: Error) => void }> = [];
  private readonly pending = new Map<number, { worker: Worker; resolve: (r: CvTaskResult) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(readonly jobs: number, X: Matrix, y: ArrayLike<number>, classWeight: "balanced" | "none") {
    if (!Number.isInteger(jobs) || jobs < 1) throw new SparkifyError("E_BAD_OPTION", `jobs = ${jobs}: expected an integer >= 1`);
    const data = new SharedArrayBuffer(X.data.byteLength);
    new Float64Array(data).set(X.data);
    const ys = new SharedArrayBuffer(y.length * 8);
    new Float64Array(ys).set(Array.from(y));
    const input: CvWorkerInput = { data, nRows: X.nRows, nCols: X.nCols, columns: [...X.columns], y: ys, classWeight };
    for (let k = 0; k < jobs; k++) {
      const w = startModuleWorker(__dirname, "cvWorker", { cvWorker: input });
      w.on("message", (r: CvTaskResult) => this.settle(w, r));
      w.on("error", (e) => this.fail(new SparkifyError("E_WORKER", `cross-validation worker thread failed: ${e.message}`)));
      w.on("exit", (code) => {
        if (!this.closed) this.fail(new SparkifyError("E_WORKER", `cross-validation worker thread exited (code ${code}) before the run ended`));
      });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  private closed = false;

  /** Fits every fold of `plan` for one parameter set on the workers; resolves to the same CvRun crossValidate gives. */
  async crossValidate(kind: string, params: Record<string, unknown>, plan: FoldPlan, nRows: number): Promise<CvRun> {
    const fits = await Promise.all(
      plan.folds.map(async (fold): Promise<FoldFit> => {
        const r = (await this.submit({ type: "fit", id: this.nextId++, kind, params, fold })) as Extract<CvTaskResult, { proba: Float64Array }>;
        return { model: modelFamily(kind).fromJSON(r.model), proba: r.proba, score: r.score, fitSeconds: r.fitSeconds };
      }),
    );
    return assembleCvRun(nRows, plan, fits);
  }

  /** permutationImportance of a fold model on rows `test` of the pool's matrix, on a worker (the model travels in its saved form, tree arrays typed). */
  async permutationImportance(kind: string, model: ExplainableClassifier, test: Int32Array, featureOf: string[], repeats: number, seed: number): Promise<PermutationScores> {
    const r = await this.submit({ type: "importance", id: this.nextId++, kind, model: savedForThread(model), test, featureOf, repeats, seed });
    return (r as Extract<CvTaskResult, { importance: unknown }>).importance;
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private submit(task: CvTask): Promise<CvTaskResult> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.shift() as Worker;
      const { task, resolve, reject } = this.queue.shift() as (typeof this.queue)[number];
      this.pending.set(task.id, { worker, resolve, reject });
      worker.postMessage(task);
    }
  }

  private settle(worker: Worker, r: CvTaskResult): void {
    const job = this.pending.get(r.id);
    if (!job) return;
    this.pending.delete(r.id);
    this.idle.push(worker);
    if ("error" in r) job.reject(new SparkifyError(isErrorCode(r.code) ? r.code : "E_WORKER", r.error));
    else job.resolve(r);
    this.dispatch();
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    for (const job of this.pending.values()) job.reject(e);
    this.pending.clear();
    for (const q of this.queue.splice(0)) q.reject(e);
  }
}
