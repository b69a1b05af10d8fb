import * as fs from "node:fs";
import { DEFAULT_DATASET } from "../config";
import { localInputs } from "../inputs";
import { RunSession, type RunFolder } from "./runFolder";
import type { InputFingerprint } from "./runManifest";

/** Fingerprints of the inputs a run read, filled in by the run as it opens them. */
export type RunFingerprints = InputFingerprint[];

/** What beginRun needs from the run's options. */
export interface RunSessionSource {
  out: string;
  input?: string | string[];
  allowIncomplete?: boolean;
}

/** Option names never written to run.json (secrets, callbacks). */
const PRIVATE_OPTION = /secret|token|password|credential|session/i;

/** The run's options as plain JSON for run.json: functions and anything secret-looking left out. */
export function recordableOptions(options: object): Record<string, unknown> {
  const engine = (options as { engine?: string }).engine;
  const local = engine === undefined || engine === "duckdb"; // the remote settings repeat the flags then
  return JSON.parse(JSON.stringify(options, (key, value) => {
    if (typeof value === "function" || (key && PRIVATE_OPTION.test(key)) || (local && key === "remote")) return undefined;
    return value;
  })) as Record<string, unknown>;
}

/**
 * Runs `work` in a guarded, locked and cleared run folder (RunSession) and writes run.json last
 * when it succeeds; on failure or a remote dry run (null) the lock is released and no run.json is
 * written. `work` pushes the fingerprints of what it read into its second argument; `stages`, when
 * given, returns the stage timings recorded in run.json.
 */
export async function beginRun<T>(
  options: RunSessionSource, work: (folder: RunFolder, fingerprints: RunFingerprints) => Promise<T | null>, command = "run", stages?: () => unknown[],
): Promise<T | null> {
  const given = (Array.isArray(options.input) ? options.input : options.input ? [options.input] : []).filter(Boolean);
  const sources = given.length > 0 ? given : fs.existsSync(DEFAULT_DATASET) ? [DEFAULT_DATASET] : [];
  const session = RunSession.begin(options.out, { command, options: recordableOptions(options), inputs: localInputs(sources, { allowIncomplete: options.allowIncomplete }) });
  const fingerprints: RunFingerprints = [];
  let result: T | null;
  try {
    result = await work(session.folder, fingerprints);
  } catch (err) {
    session.abort();
    throw err;
  }
  if (result === null) {
    session.abort();
    return null;
  }
  await session.finish(fingerprints.map((f) => ({ ...f })), stages?.());
  return result;
}
