import { AsyncLocalStorage } from "node:async_hooks";
import * as fs from "node:fs";

/** Wall time and peak resident memory of one stage of a run (metrics.json `timings`). */
export interface StageTiming {
  stage: string;
  seconds: number;
  /** Highest resident set size of the whole process (every thread, DuckDB's native memory included) during the stage. */
  peak_rss_mb: number;
}

const MB = 2 ** 20;

/**
 * The process's peak RSS since the last reset. On Linux the kernel keeps the high-water mark
 * (VmHWM) and writing "5" to /proc/self/clear_refs resets it, so a stage's peak includes
 * synchronous model fits and native allocations that a sampling timer would miss. Elsewhere the
 * peak is sampled every 100 ms and at each stage's start and end.
 */
class PeakRss {
  private readonly kernel: boolean;
  private sampled = 0;
  private sampler: NodeJS.Timeout | null = null;

  constructor() {
    this.kernel = PeakRss.tryReset();
  }

  private static tryReset(): boolean {
    try {
      fs.writeFileSync("/proc/self/clear_refs", "5");
      return PeakRss.highWater() !== null;
    } catch {
      return false;
    }
  }

  private static highWater(): number | null {
    try {
      const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(fs.readFileSync("/proc/self/status", "utf8"));
      return m ? Number(m[1]) * 1024 : null;
    } catch {
      return null;
    }
  }

  /** Bytes: the highest RSS since the last reset. */
  peak(): number {
    const now = process.memoryUsage().rss;
    if (this.kernel) return Math.max(PeakRss.highWater() ?? now, now);
    this.sampled = Math.max(this.sampled, now);
    return this.sampled;
  }

  /** Starts a new high-water mark (the caller first folds `peak()` into every open stage). */
  reset(): void {
    if (this.kernel) {
      try {
        fs.writeFileSync("/proc/self/clear_refs", "5");
        return;
      } catch {
        // fall through to sampling
      }
    }
    this.sampled = process.memoryUsage().rss;
    if (!this.sampler) {
      this.sampler = setInterval(() => {
        this.sampled = Math.max(this.sampled, process.memoryUsage().rss);
      }, 100);
      this.sampler.unref();
    }
  }

  stop(): void {
    if (this.sampler) clearInterval(this.sampler);
    this.sampler = null;
  }
}

interface OpenStage {
  entry: StageTiming;
  start: bigint;
  peak: number;
}

/**
 * Times the stages of a run: wall seconds and peak RSS per stage, in the order the stages start.
 * Stages may nest (each gets its own figures); a progress line names each finished stage with its
 * elapsed time.
 * @example
 * import { StageTimer } from "./lib/progress/stageTimer";
 * const lines: string[] = [];
 * const timer = new StageTimer((l) => lines.push(l)); // a run passes console.error
 * const total = await timer.time("sum", async () => Array.from({ length: 1000 }, (_, i) => i).reduce((a, b) => a + b, 0));
 * if (total !== 499500 || timer.timings[0].stage !== "sum") throw new Error(JSON.stringify(timer.timings));
 * // metrics.json's timings are timer.timings
 */
export class StageTimer {
  /** Finished and running stages, in start order (a running stage has seconds 0 until it ends). */
  readonly timings: StageTiming[] = [];
  private readonly open: OpenStage[] = [];
  private readonly rss = new PeakRss();

  constructor(private readonly log?: (line: string) => void) {}

  /** Runs `fn` as stage `stage` and records its wall time and peak RSS (also when it throws). */
  async time<T>(stage: string, fn: () => Promise<T> | T): Promise<T> {
    const end = this.begin(stage);
    try {
      return await fn();
    } finally {
      end();
    }
  }

  /**
   * Starts stage `stage` and returns the function that ends it (later calls do nothing), for a
   * stage that does not fit one callback (such as the time a helper spends before calling back).
   */
  begin(stage: string): () => void {
    const current = this.rss.peak();
    for (const o of this.open) o.peak = Math.max(o.peak, current);
    this.rss.reset();
    const entry: StageTiming = { stage, seconds: 0, peak_rss_mb: 0 };
    this.timings.push(entry);
    const open: OpenStage = { entry, start: process.hrtime.bigint(), peak: process.memoryUsage().rss };
    this.open.push(open);
    return () => {
      const at = this.open.indexOf(open);
      if (at < 0) return;
      const peak = this.rss.peak();
      for (const o of this.open) o.peak = Math.max(o.peak, peak);
      this.open.splice(at, 1);
      entry.seconds = Math.round(Number(process.hrtime.bigint() - open.start) / 1e6) / 1000;
      entry.peak_rss_mb = Math.round(open.peak / MB);
      if (this.open.length === 0) this.rss.stop();
      this.log?.(`[${stage}] ${entry.seconds.toFixed(1)} s, peak RSS ${entry.peak_rss_mb} MB`);
    };
  }
}

const ambient = new AsyncLocalStorage<StageTimer>();

/** Runs `fn` with `timer` as the stage timer that `timedStage` calls inside it report to. */
export function withStageTimer<T>(timer: StageTimer, fn: () => Promise<T>): Promise<T> {
  return ambient.run(timer, fn);
}

/**
 * Runs `fn` as a stage of the run it belongs to (the timer given to `withStageTimer`), or just runs
 * it when no run is being timed (a notebook calling a library function directly).
 */
export async function timedStage<T>(stage: string, fn: () => Promise<T> | T): Promise<T> {
  const timer = ambient.getStore();
  return timer ? timer.time(stage, fn) : fn();
}

/** Starts a stage of the run being timed here (see StageTimer.begin); the returned function ends it. */
export function beginStage(stage: string): () => void {
  return ambient.getStore()?.begin(stage) ?? (() => undefined);
}

/** The timer of the run being timed here, if any (its `timings` so far). */
export function currentStageTimer(): StageTimer | undefined {
  return ambient.getStore();
}
