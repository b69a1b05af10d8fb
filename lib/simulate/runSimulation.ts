import { SparkifyError } from "../errors";
import * as os from "node:os";
import { PAGES } from "../events/schema";
import { encodeSimulation, newStats, type SimulationStats } from "./encodeSimulation";
import { createShardSources } from "./shardSources";
import { resolvePlan, type SimulateOptions, type SimulationPlan } from "./simulationPlan";

/** What a simulation produced. */
export interface SimulationSummary {
  events: number;
  /** Distinct users that appear with their userId. */
  users: number;
  /** Users whose last event is Cancellation Confirmation. */
  churners: number;
  /** Rows without a user (Logged Out and Guest). */
  loggedOutEvents: number;
  pageCounts: Record<string, number>;
  /** Bytes of JSON lines (before any compression). */
  bytes: number;
  seconds: number;
}

/** Generator threads to use by default: the calling thread for small runs, else every core (≤ 4). */
export function defaultWorkers(plan: SimulationPlan): number {
  if (plan.users <= 2000) return 1;
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

/** Validates a worker count. */
export function checkWorkers(workers: number | undefined, plan: SimulationPlan): number {
  const w = workers ?? defaultWorkers(plan);
  if (!Number.isInteger(w) || w < 1 || w > 64) throw new SparkifyError("E_BAD_OPTION", `workers must be a whole number from 1 to 64, got ${w}`);
  return w;
}

/**
 * Runs a simulation and hands each output chunk (whole JSON lines, UTF-8) to `onChunk`, which may
 * return a promise to apply back-pressure. Returns the merger's counters.
 */
export async function runSimulation(
  options: SimulateOptions,
  onChunk: (chunk: Buffer, stats: SimulationStats) => void | Promise<void>,
): Promise<{ plan: SimulationPlan; stats: SimulationStats }> {
  const plan = resolvePlan(options);
  const workers = checkWorkers(options.workers, plan);
  const stats = newStats(plan);
  const sources = createShardSources(plan, workers);
  try {
    for await (const chunk of encodeSimulation(plan, sources, stats)) await onChunk(chunk, stats);
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
  return { plan, stats };
}

/** Turns the merger's counters into a summary. */
export function summarize(stats: SimulationStats, seconds: number): SimulationSummary {
  const pageCounts: Record<string, number> = {};
  PAGES.forEach((p, i) => { pageCounts[p] = stats.pageCounts[i]; });
  let users = 0;
  for (let i = 0; i < stats.seenUsers.length; i++) users += stats.seenUsers[i];
  return { events: stats.events, users, churners: stats.churners, loggedOutEvents: stats.loggedOutEvents, pageCounts, bytes: stats.bytes, seconds };
}

/** The simulated events as JSON lines (without the newline), in output order. */
export async function* simulate(options: SimulateOptions = {}): AsyncGenerator<string> {
  const plan = resolvePlan(options);
  const workers = checkWorkers(options.workers, plan);
  const stats = newStats(plan);
  const sources = createShardSources(plan, workers);
  try {
    for await (const chunk of encodeSimulation(plan, sources, stats)) {
      const text = chunk.toString("utf8");
      let start = 0;
      for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
        yield text.slice(start, nl);
        start = nl + 1;
      }
    }
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
}
