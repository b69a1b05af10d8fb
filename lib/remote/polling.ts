import { SparkifyError } from "../errors";
import type { RemoteLogger } from "./types";

/** How to watch one remote job or query until it ends. */
export interface PollOptions<S> {
  /** Names the job in messages, e.g. "EMR Serverless job run 00fabc". */
  label: string;
  /** Fetches the current status (GetJobRun / GetQueryExecution). */
  poll: () => Promise<S>;
  /** The state name of a status. */
  state: (status: S) => string;
  /** Whether a status is final (success, failure or cancelled). */
  isTerminal: (status: S) => boolean;
  /** Asks the service to stop the job (CancelJobRun / StopQueryExecution). */
  stop: () => Promise<void>;
  /** Milliseconds between polls. */
  intervalMs: number;
  /** Time limit in milliseconds, counted from the start of polling. */
  timeoutMs: number;
  logger: RemoteLogger;
  /** Aborting it stops the job. */
  signal?: AbortSignal;
  /** Install a SIGINT handler for the duration of the poll (Ctrl-C stops the job). */
  handleSigint?: boolean;
  /** After asking to stop, how many more polls wait for the stop to be confirmed. */
  stopPolls?: number;
}

/** The final status and how long the job took. */
export interface PollResult<S> {
  status: S;
  seconds: number;
}

/**
 * Polls until the job reaches a terminal state, writing a progress line on every state poll. On the
 * time limit, an aborted signal or Ctrl-C it asks the service to stop the job, waits a few polls for
 * the stop to be confirmed, then throws E_REMOTE_TIMEOUT or E_REMOTE_CANCELLED.
 */
export async function pollUntilDone<S>(opts: PollOptions<S>): Promise<PollResult<S>> {
  const started = Date.now();
  const stopper = new AbortController();
  let reason: "timeout" | "cancel" | null = null;
  const onAbort = (): void => {
    if (reason === null) reason = "cancel";
    stopper.abort();
  };
  let sigints = 0;
  const onSigint = (): void => {
    sigints++;
    // A second Ctrl-C means "leave now", even if the stop is not confirmed yet.
    if (sigints > 1) {
      opts.logger.warn(`${opts.label}: second Ctrl-C, leaving without waiting for the stop to be confirmed.`);
      process.exit(130);
    }
    opts.logger.warn(`${opts.label}: Ctrl-C, stopping the remote job (press Ctrl-C again to leave at once)…`);
    onAbort();
  };
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener("abort", onAbort);
  if (opts.handleSigint !== false) process.on("SIGINT", onSigint);
  const timer = setTimeout(() => {
    if (reason === null) reason = "timeout";
    stopper.abort();
  }, Math.max(0, opts.timeoutMs));
  try {
    for (;;) {
      if (reason !== null) return await stopAndThrow(opts, reason, started);
      const status = await opts.poll();
      const elapsed = (Date.now() - started) / 1000;
      opts.logger.progress(`${opts.label}: ${opts.state(status)} after ${formatDuration(elapsed)} (limit ${formatDuration(opts.timeoutMs / 1000)})`);
      if (opts.isTerminal(status)) return { status, seconds: elapsed };
      await sleep(opts.intervalMs, stopper.signal);
    }
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener("abort", onAbort);
    process.removeListener("SIGINT", onSigint);
  }
}

/** Asks the service to stop the job, waits for the stop, and throws the error that says why. */
async function stopAndThrow<S>(opts: PollOptions<S>, reason: "timeout" | "cancel", started: number): Promise<never> {
  const why = reason === "timeout"
    ? `did not finish within the time limit of ${formatDuration(opts.timeoutMs / 1000)}`
    : "was cancelled";
  opts.logger.info(`${opts.label} ${why}: asking the service to stop it.`);
  let final = "unknown";
  try {
    await opts.stop();
    for (let i = 0; i < (opts.stopPolls ?? 6); i++) {
      const status = await opts.poll();
      final = opts.state(status);
      opts.logger.progress(`${opts.label}: ${final} (stopping)`);
      if (opts.isTerminal(status)) break;
      await sleep(opts.intervalMs);
    }
  } catch (err) {
    opts.logger.warn(`${opts.label}: the stop request failed (${(err as Error).message}); stop it by hand.`);
  }
  const elapsed = formatDuration((Date.now() - started) / 1000);
  throw new SparkifyError(
    reason === "timeout" ? "E_REMOTE_TIMEOUT" : "E_REMOTE_CANCELLED",
    `${opts.label} ${why} after ${elapsed}; last state ${final}.` +
      (reason === "timeout" ? " Raise the limit with --timeout SECONDS." : ""),
  );
}

/** Waits `ms`, or less if `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done);
  });
}

/** Formats seconds as "42 s", "3 min 05 s" or "1 h 02 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}
