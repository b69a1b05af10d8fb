import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { Writable } from "node:stream";
import { cleanupOnSignal } from "./cleanupOnSignal";
import { ioError } from "./ioError";

/**
 * Temporary files of this module: `.NAME.tmp-PID-HEX` in the target's folder. The leading dot keeps
 * them out of folder inputs (hidden files are never loaded) and PID tells a dead writer's leftovers.
 */
export const TEMP_FILE = /^\.(.+)\.tmp-(\d+)-[0-9a-f]{8}$/;

/** A fresh temporary name beside `file` (same folder, so the final rename is atomic). */
export function tempPathFor(file: string): string {
  const abs = path.resolve(file);
  return path.join(path.dirname(abs), `.${path.basename(abs)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
}

/** Options of the atomic writers. */
export interface AtomicWriteOptions {
  /** File mode of the new file; default 0o666 less the umask. */
  mode?: number;
  /** Create missing parent folders (default true). */
  mkdir?: boolean;
}

function syncFolder(dir: string): void {
  // Makes the rename itself durable; some file systems refuse fsync on a folder, which is harmless.
  try {
    const fd = fs.openSync(dir, "r");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // best effort
  }
}

function makeParent(file: string, opts: AtomicWriteOptions): void {
  if (opts.mkdir === false) return;
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  } catch (err) {
    throw ioError(err, "creating the folder of", file);
  }
}

/**
 * Writes `data` to `file` whole or not at all: into a temporary file in the same folder, flushed to
 * disk, then renamed over `file`. On failure the temporary file is removed and a SparkifyError says
 * what failed in words ("disk full while writing features.csv (…)"); an interrupt (Ctrl-C) removes it too.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): void {
  makeParent(file, opts);
  const tmp = tempPathFor(file);
  const forget = cleanupOnSignal(() => fs.rmSync(tmp, { force: true }));
  let fd: number | null = null;
  try {
    fd = fs.openSync(tmp, "wx", opts.mode ?? 0o666);
    const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let off = 0;
    while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    fs.renameSync(tmp, path.resolve(file));
  } catch (err) {
    if (fd !== null) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw ioError(err, "writing", file);
  } finally {
    forget();
  }
  syncFolder(path.dirname(path.resolve(file)));
}

/** Writes `value` as JSON (pretty, with a final newline unless `compact`) through writeFileAtomic. */
export function writeJsonAtomic(file: string, value: unknown, opts: AtomicWriteOptions & { compact?: boolean } = {}): void {
  writeFileAtomic(file, opts.compact ? JSON.stringify(value) : JSON.stringify(value, null, 2) + "\n", opts);
}

/**
 * A file written piece by piece that appears under its name only when `commit` succeeds: for outputs
 * too large to hold in memory (simulated parts, gzip streams). `abort` (or a failed write) removes the
 * temporary file; errors say what failed in words, as writeFileAtomic's do.
 */
export class AtomicFile {
  /** The final path. */
  readonly path: string;
  /** The temporary path being written. */
  readonly tempPath: string;
  private fh: fs.promises.FileHandle | null;
  private forget: () => void;
  private done = false;

  private constructor(file: string, tmp: string, fh: fs.promises.FileHandle, forget: () => void) {
    this.path = file;
    this.tempPath = tmp;
    this.fh = fh;
    this.forget = forget;
  }

  /** Opens a temporary file beside `file` for writing. */
  static async open(file: string, opts: AtomicWriteOptions = {}): Promise<AtomicFile> {
    makeParent(file, opts);
    const abs = path.resolve(file);
    const tmp = tempPathFor(abs);
    const forget = cleanupOnSignal(() => fs.rmSync(tmp, { force: true }));
    try {
      const fh = await fs.promises.open(tmp, "wx", opts.mode ?? 0o666);
      return new AtomicFile(abs, tmp, fh, forget);
    } catch (err) {
      forget();
      throw ioError(err, "creating", abs);
    }
  }

  /** Appends bytes; on failure the temporary file is removed and the error says what failed. */
  async write(chunk: Uint8Array | string): Promise<void> {
    if (!this.fh) throw ioError("file already closed", "writing", this.path);
    const buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    try {
      let off = 0;
      while (off < buf.length) off += (await this.fh.write(buf, off, buf.length - off)).bytesWritten;
    } catch (err) {
      await this.abort();
      throw ioError(err, "writing", this.path);
    }
  }

  /** A Writable that appends to this file (for `pipeline(gzip, file.writable())`); it does not commit. */
  writable(): Writable {
    return new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        this.write(chunk).then(() => cb(), cb);
      },
    });
  }

  /** Flushes, closes and renames the file into place. */
  async commit(): Promise<void> {
    if (this.done) return;
    const fh = this.fh;
    if (!fh) throw ioError("file already closed", "writing", this.path);
    try {
      await fh.sync();
      await fh.close();
      this.fh = null;
      fs.renameSync(this.tempPath, this.path);
    } catch (err) {
      await this.abort();
      throw ioError(err, "writing", this.path);
    }
    this.done = true;
    this.forget();
    syncFolder(path.dirname(this.path));
  }

  /** Closes and removes the temporary file; the final path is left as it was. */
  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    const fh = this.fh;
    this.fh = null;
    if (fh) await fh.close().catch(() => undefined);
    fs.rmSync(this.tempPath, { force: true });
    this.forget();
  }
}

/** True when a process with this id runs on this machine (a signal-0 probe; EPERM means it exists). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes temporary files left in `dir` by writers that are no longer running; returns their names. */
export function removeDeadTemps(dir: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = TEMP_FILE.exec(name);
    if (!m || processAlive(Number(m[2]))) continue;
    fs.rmSync(path.join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}
