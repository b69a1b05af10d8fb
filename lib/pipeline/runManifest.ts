import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../config";
import { SparkifyError } from "../errors";
import { sha256File } from "../io";

/** Name of the manifest written last into a run folder. */
export const MANIFEST_FILE = "run.json";
/** Layout version of run.json. */
export const MANIFEST_VERSION = 1;

/** One input as it was when the run read it: a local file's size, mtime and inode, or an S3 object's ETag. */
export interface InputFingerprint {
  /** What the user named: a path or an s3:// URL. */
  source: string;
  /** The local file read (the cached copy for S3 objects). */
  path?: string;
  bytes?: number;
  mtimeMs?: number;
  ino?: number;
  etag?: string;
  /** The remote engine that read it where it lives (nothing was read locally). */
  remote?: string;
}

/** One file the run wrote, relative to the run folder ("/" separators). */
export interface ArtefactEntry {
  path: string;
  bytes: number;
  sha256: string;
}

/** run.json: what made the folder's files, from what, and their hashes. */
export interface RunManifest {
  manifestVersion: number;
  tool: string;
  version: string;
  command: string;
  options: Record<string, unknown>;
  startedAt: string;
  finishedAt: string;
  /** Seconds from the start: "total", and the moment each file was written (e.g. "features.csv"). */
  timings: Record<string, number>;
  /** Each stage's wall time and peak memory, when the run measured them (as metrics.json `timings`). */
  stages?: unknown[];
  inputs: InputFingerprint[];
  artefacts: ArtefactEntry[];
}

/** The version of sparkify-churn (package.json). */
export function toolVersion(): string {
  try {
    return String(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).version ?? "unknown");
  } catch {
    return "unknown";
  }
}

/** The manifest of run folder `dir`, or null when it has none; throws on a damaged run.json. */
export function readRunManifest(dir: string): RunManifest | null {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
  try {
    const m = JSON.parse(text) as RunManifest;
    if (!Array.isArray(m.artefacts)) throw new SparkifyError("E_RUN_MANIFEST", "no artefacts list");
    return m;
  } catch (err) {
    throw new SparkifyError("E_RUN_MANIFEST", `${file}: damaged run manifest (${(err as Error).message})`, { cause: err });
  }
}

/** Entries (path, bytes, SHA-256) of files below `dir`, paths relative to it. */
export async function artefactEntries(dir: string, files: string[]): Promise<ArtefactEntry[]> {
  const out: ArtefactEntry[] = [];
  for (const f of [...files].sort()) {
    const abs = path.resolve(dir, f);
    out.push({ path: path.relative(dir, abs).split(path.sep).join("/"), bytes: fs.statSync(abs).size, sha256: await sha256File(abs) });
  }
  return out;
}

/**
 * What is wrong with run folder `dir` against its run.json: artefacts missing, of another size or
 * hash. Empty when the folder is whole; ["no run.json …"] when the folder has no manifest.
 */
export async function verifyRunFolder(dir: string): Promise<string[]> {
  const m = readRunManifest(dir);
  if (!m) return [`no ${MANIFEST_FILE} in ${dir}: the run did not finish (or the folder is not a run folder)`];
  const problems: string[] = [];
  for (const a of m.artefacts) {
    const abs = path.join(dir, ...a.path.split("/"));
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      problems.push(`${a.path} is missing`);
      continue;
    }
    if (st.size !== a.bytes) problems.push(`${a.path} has ${st.size} bytes, run.json says ${a.bytes}`);
    else if ((await sha256File(abs)) !== a.sha256) problems.push(`${a.path} differs from the file the run wrote (SHA-256 mismatch)`);
  }
  return problems;
}

/**
 * Checks a file against the run.json of the run folder it sits in (a model in RUN/models/, say).
 * Returns null when no run folder with a manifest holds it; throws E_RUN_MANIFEST when the manifest
 * does not list it (left by an earlier run) or its hash differs (changed since the run).
 */
export async function checkAgainstManifest(file: string): Promise<{ manifest: string; run: RunManifest } | null> {
  const abs = path.resolve(file);
  // The file's own folder (RUN/x.json) or its parent (RUN/models/x.json): where a run puts its files.
  for (let dir = path.dirname(abs), depth = 0; depth < 2 && path.dirname(dir) !== dir; dir = path.dirname(dir), depth++) {
    if (!fs.existsSync(path.join(dir, MANIFEST_FILE))) continue;
    const run = readRunManifest(dir)!;
    const rel = path.relative(dir, abs).split(path.sep).join("/");
    const entry = run.artefacts.find((a) => a.path === rel);
    const manifest = path.join(dir, MANIFEST_FILE);
    if (!entry) throw new SparkifyError("E_RUN_MANIFEST", `${file} is not one of the files of the run recorded in ${manifest} (left over from an earlier run?); use a model that run wrote, or run again`);
    if ((await sha256File(abs)) !== entry.sha256) throw new SparkifyError("E_RUN_MANIFEST", `${file} changed since the run that wrote it (its SHA-256 differs from ${manifest}); run again to get a model you can trust`);
    return { manifest, run };
  }
  return null;
}

/**
 * The run folder holding `file` (in it or in its models/ folder) when that folder looks like a run's
 * (metrics.json, data-report.json or run.lock) but has no run.json: an unfinished or interrupted run,
 * or one written before run.json existed. Null otherwise.
 */
export function unfinishedRunOf(file: string): string | null {
  const abs = path.resolve(file);
  for (let dir = path.dirname(abs), depth = 0; depth < 2 && path.dirname(dir) !== dir; dir = path.dirname(dir), depth++) {
    if (fs.existsSync(path.join(dir, MANIFEST_FILE))) return null;
    if (["metrics.json", "data-report.json", "run.lock"].some((f) => fs.existsSync(path.join(dir, f)))) return dir;
  }
  return null;
}

/**
 * Refuses to write `file` when it is one of the files of a finished run (listed in the run.json of
 * its folder or the one above): replacing it would make the run folder lie. `what` names it.
 */
export function refuseRunArtefact(file: string, what: string): void {
  const abs = path.resolve(file);
  for (let dir = path.dirname(abs), depth = 0; depth < 2 && path.dirname(dir) !== dir; dir = path.dirname(dir), depth++) {
    let run: RunManifest | null;
    try {
      run = readRunManifest(dir);
    } catch {
      continue; // a damaged run.json vouches for nothing
    }
    const rel = path.relative(dir, abs).split(path.sep).join("/");
    if (run?.artefacts.some((a) => a.path === rel)) {
      throw new SparkifyError("E_OUTPUT_REFUSED", `refusing to write the ${what} ${file}: it is a file of the run recorded in ${path.join(dir, MANIFEST_FILE)}; choose another name (or run again)`);
    }
  }
}
