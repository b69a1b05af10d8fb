import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { SparkifyError } from "../errors";
import { ioError } from "./ioError";

/** One file or folder a command is about to write. */
export interface OutputSpec {
  /** The path as the user gave it (or derived from it). */
  path: string;
  /** What it is, in words, for messages: "features table", "run folder", "quarantine file". */
  what: string;
  /** "file" (default) or "folder" (a run folder; created if missing). */
  kind?: "file" | "folder";
}

/** The local inputs of a command: files it reads, and folders named as inputs (part-file folders). */
export interface LocalInputs {
  files: string[];
  folders: string[];
}

/** The absolute path with every existing part resolved through symlinks (the missing tail kept). */
export function realTarget(p: string): string {
  const abs = path.resolve(p);
  const tail: string[] = [];
  for (let dir = abs; ; dir = path.dirname(dir)) {
    try {
      return path.join(fs.realpathSync(dir), ...tail.reverse());
    } catch {
      if (path.dirname(dir) === dir) return abs;
      tail.push(path.basename(dir));
    }
  }
}

function identity(p: string): string | null {
  try {
    const st = fs.statSync(p);
    return `${st.dev}:${st.ino}`;
  } catch {
    return null;
  }
}

function inside(child: string, folder: string): boolean {
  const rel = path.relative(folder, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

function nearestExisting(p: string): string {
  for (let dir = p; ; dir = path.dirname(dir)) {
    if (fs.existsSync(dir)) return dir;
    if (path.dirname(dir) === dir) return dir;
  }
}

/** Creates and removes a probe file in `dir`: the real test of writability (root ignores modes, read-only mounts do not). */
function probeWritable(dir: string, out: OutputSpec): void {
  const probe = path.join(dir, `.sparkify-probe-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    fs.closeSync(fs.openSync(probe, "wx"));
    fs.rmSync(probe, { force: true });
  } catch (err) {
    const e = ioError(err, "creating a file in", dir);
    throw new SparkifyError("E_WRITE_FAILED", `cannot write the ${out.what} ${out.path}: ${e.message.replace(/ \(.*\)$/, "")} (folder ${dir})`, { cause: err });
  }
}

/**
 * Refuses, before any work, outputs that would land on an input file (also through a symlink or hard
 * link), inside a folder given as input, or on another output of the same command, naming both; then
 * checks each output can be written (a file where a file is expected, a writable folder). Throws a
 * SparkifyError (E_OUTPUT); creates nothing.
 */
export function guardOutputs(inputs: LocalInputs, outputs: OutputSpec[]): void {
  const inFiles = inputs.files.map((f) => ({ given: f, real: realTarget(f), id: identity(f) }));
  const inFolders = inputs.folders.map((f) => ({ given: f, real: realTarget(f) }));
  const seen = new Map<string, OutputSpec>();
  for (const out of outputs) {
    const real = realTarget(out.path);
    const id = identity(real);
    for (const f of inFiles) {
      if (real === f.real || (id !== null && id === f.id)) {
        throw new SparkifyError("E_OUTPUT_REFUSED", `refusing to write the ${out.what} ${out.path}: it is the input file ${f.given}; choose another output path`);
      }
    }
    for (const d of inFolders) {
      if (inside(real, d.real)) {
        throw new SparkifyError("E_OUTPUT_REFUSED", `refusing to write the ${out.what} ${out.path}: it is inside the input folder ${d.given}, whose files are read as input; choose another output path`);
      }
    }
    const twin = seen.get(real);
    if (twin) throw new SparkifyError("E_OUTPUT_REFUSED", `the ${out.what} and the ${twin.what} would both be written to ${out.path}; give them different paths`);
    seen.set(real, out);
  }
  const probed = new Set<string>();
  for (const out of outputs) {
    const real = realTarget(out.path);
    const kind = out.kind ?? "file";
    let st: fs.Stats | null = null;
    try {
      st = fs.statSync(real);
    } catch {
      st = null;
    }
    if (st && kind === "file" && st.isDirectory()) throw new SparkifyError("E_OUTPUT_REFUSED", `cannot write the ${out.what} ${out.path}: it is a folder; give a file name`);
    if (st && kind === "folder" && !st.isDirectory()) throw new SparkifyError("E_OUTPUT_REFUSED", `cannot use ${out.path} as the ${out.what}: it is a file, not a folder`);
    const dir = kind === "folder" && st ? real : nearestExisting(path.dirname(real));
    if (!fs.statSync(dir).isDirectory()) {
      throw new SparkifyError("E_OUTPUT_REFUSED", `cannot write the ${out.what} ${out.path}: ${dir} is a file, not a folder`);
    }
    if (!probed.has(dir)) {
      probeWritable(dir, out);
      probed.add(dir);
    }
  }
}
