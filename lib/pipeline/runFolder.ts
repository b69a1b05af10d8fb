import * as fs from "node:fs";
import * as path from "node:path";
import { guardOutputs, realTarget, removeDeadTemps, TEMP_FILE, writeJsonAtomic as writeJsonFileAtomic, type LocalInputs, type OutputSpec } from "../io";
import { acquireRunLock, LOCK_FILE, type RunLock } from "./runLock";
import { artefactEntries, MANIFEST_FILE, MANIFEST_VERSION, readRunManifest, toolVersion, type InputFingerprint, type RunManifest } from "./runManifest";

/** The files of a run folder, in one place so the CLI, notebooks and report agree on names. */
export interface RunFolder {
  dir: string;
  dataReport: string;
  features: string;
  scoringFeatures: string;
  metrics: string;
  models: string;
  scores: string;
  report: string;
  eda: string;
  /** Lines the load could not read (written only when there are some). */
  quarantine: string;
  /** The manifest, written last (see RunSession). */
  manifest: string;
}

/** Paths of the run folder `dir` (nothing is created). */
export function runFolder(dir: string): RunFolder {
  const d = path.resolve(dir);
  return {
    dir: d,
    dataReport: path.join(d, "data-report.json"),
    features: path.join(d, "features.csv"),
    scoringFeatures: path.join(d, "scoring-features.csv"),
    metrics: path.join(d, "metrics.json"),
    models: path.join(d, "models"),
    scores: path.join(d, "scores.csv"),
    report: path.join(d, "report.html"),
    eda: path.join(d, "eda.json"),
    quarantine: path.join(d, "quarantine.jsonl"),
    manifest: path.join(d, MANIFEST_FILE),
  };
}

/** Creates the run folder and its models/ subfolder. */
export function ensureRunFolder(dir: string): RunFolder {
  const f = runFolder(dir);
  fs.mkdirSync(f.models, { recursive: true });
  return f;
}

/** Writes `value` as pretty JSON, whole or not at all (see lib/io writeJsonAtomic). */
export function writeJsonAtomic(file: string, value: unknown): void {
  writeJsonFileAtomic(file, value);
}

/** The files a run writes under fixed names (models/*.json besides), relative to the folder. */
const KNOWN_ARTEFACTS = [
  "data-report.json", "features.csv", "features.csv.json", "scoring-features.csv", "scoring-features.csv.json",
  "metrics.json", "scores.csv", "report.html", "eda.json", "quarantine.jsonl",
];

/** Files below `dir` (relative, "/" separators) with their size and mtime; the lock and temporary files left out. */
function listFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile() && e.name !== LOCK_FILE && !TEMP_FILE.test(e.name)) {
        const st = fs.statSync(abs);
        out.set(path.relative(dir, abs).split(path.sep).join("/"), `${st.size}:${st.mtimeMs}:${st.ino}`);
      }
    }
  };
  walk(dir);
  return out;
}

/** How a run begins: the command line it serves and the local inputs it must never write over. */
export interface RunSessionOptions {
  /** The command, e.g. "run". */
  command: string;
  /** Its options as given (recorded in run.json). */
  options: Record<string, unknown>;
  /** Local input files and folders (S3 inputs have none). */
  inputs: LocalInputs;
}

/**
 * One run writing one run folder. `begin` checks the outputs against the inputs and for writability,
 * takes the folder's lock, removes run.json of an earlier run first (so an unfinished run is never
 * mistaken for a finished one) and then that run's artefacts, and remembers any other files (kept,
 * never listed). `finish` writes run.json last, listing every file this run wrote with its SHA-256,
 * and releases the lock; `abort` releases it and leaves the folder without run.json.
 */
export class RunSession {
  readonly folder: RunFolder;
  private readonly lock: RunLock;
  private readonly options: RunSessionOptions;
  private readonly before: Map<string, string>;
  private readonly started: Date;
  /** Names of the earlier run's files this run removed (for the log). */
  readonly removed: string[];

  private constructor(folder: RunFolder, lock: RunLock, options: RunSessionOptions, before: Map<string, string>, removed: string[]) {
    this.folder = folder;
    this.lock = lock;
    this.options = options;
    this.before = before;
    this.removed = removed;
    this.started = new Date();
  }

  /** Guards, locks and clears run folder `dir` for a new run. */
  static begin(dir: string, options: RunSessionOptions, extraOutputs: OutputSpec[] = []): RunSession {
    const folder = runFolder(dir);
    const outputs: OutputSpec[] = [
      { path: folder.dir, what: "run folder", kind: "folder" },
      ...KNOWN_ARTEFACTS.map((name) => ({ path: path.join(folder.dir, name), what: `run file ${name}` })),
      ...extraOutputs,
    ];
    guardOutputs(options.inputs, outputs);
    fs.mkdirSync(folder.models, { recursive: true });
    const lock = acquireRunLock(folder.dir, `${options.command} ${JSON.stringify(options.options)}`);
    try {
      removeDeadTemps(folder.dir);
      removeDeadTemps(folder.models);
      const removed = removeEarlierRun(folder, options.inputs);
      return new RunSession(folder, lock, options, listFiles(folder.dir), removed);
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /** Writes run.json (last) with the inputs' fingerprints and every file this run wrote, then unlocks. */
  async finish(inputs: InputFingerprint[], stages?: unknown[]): Promise<RunManifest> {
    try {
      const now = listFiles(this.folder.dir);
      const written = [...now].filter(([rel, id]) => rel !== MANIFEST_FILE && this.before.get(rel) !== id).map(([rel]) => rel);
      const artefacts = await artefactEntries(this.folder.dir, written);
      const t0 = this.started.getTime();
      const timings: Record<string, number> = {};
      for (const a of artefacts) timings[a.path] = Math.max(0, Math.round(fs.statSync(path.join(this.folder.dir, a.path)).mtimeMs - t0) / 1000);
      const finished = new Date();
      timings.total = (finished.getTime() - t0) / 1000;
      const manifest: RunManifest = {
        manifestVersion: MANIFEST_VERSION,
        tool: "sparkify-churn",
        version: toolVersion(),
        command: this.options.command,
        options: this.options.options,
        startedAt: this.started.toISOString(),
        finishedAt: finished.toISOString(),
        timings,
        ...(stages && stages.length > 0 ? { stages } : {}),
        inputs,
        artefacts,
      };
      writeJsonFileAtomic(this.folder.manifest, manifest);
      return manifest;
    } finally {
      this.lock.release();
    }
  }

  /** Releases the lock after a failure; the folder stays without run.json (an unfinished run). */
  abort(): void {
    this.lock.release();
  }
}

/**
 * Removes an earlier run's run.json, then its artefacts (those its manifest lists, and the fixed
 * names and models/*.json a run writes), never an input file or anything inside an input folder.
 * A folder no run has used (no run.json, no data-report.json or metrics.json) loses nothing: its
 * files are the user's, and the new run only replaces those it writes itself.
 */
function removeEarlierRun(folder: RunFolder, inputs: LocalInputs): string[] {
  let listed: string[] = [];
  let hadManifest = fs.existsSync(folder.manifest);
  try {
    listed = readRunManifest(folder.dir)?.artefacts.map((a) => a.path) ?? [];
  } catch {
    listed = []; // a damaged run.json: the fixed names below still go
    hadManifest = true;
  }
  const usedByRun = hadManifest || fs.existsSync(folder.dataReport) || fs.existsSync(folder.metrics);
  if (!usedByRun) return [];
  fs.rmSync(folder.manifest, { force: true });
  const models = fs.readdirSync(folder.models).filter((f) => f.endsWith(".json")).map((f) => `models/${f}`);
  const inputFiles = new Set(inputs.files.map(realTarget));
  const inputFolders = inputs.folders.map(realTarget);
  const removed: string[] = [];
  for (const rel of new Set([...listed, ...KNOWN_ARTEFACTS, ...models])) {
    const abs = path.resolve(folder.dir, ...rel.split("/"));
    const rp = path.relative(folder.dir, abs);
    if (rp.startsWith("..") || path.isAbsolute(rp)) continue; // a manifest never points outside its folder
    const real = realTarget(abs);
    if (inputFiles.has(real) || inputFolders.some((d) => !path.relative(d, real).startsWith(".."))) continue;
    try {
      if (!fs.statSync(abs).isFile()) continue;
    } catch {
      continue;
    }
    fs.rmSync(abs, { force: true });
    removed.push(rel);
  }
  return removed;
}
