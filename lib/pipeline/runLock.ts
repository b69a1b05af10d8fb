import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SparkifyError } from "../errors";
import { cleanupOnSignal, processAlive, tempPathFor } from "../io";

/** Name of the lock file inside a run folder. */
export const LOCK_FILE = "run.lock";

/** What a lock file holds: who holds the folder, since when, doing what. */
export interface LockInfo {
  pid: number;
  host: string;
  /** The process's start time in clock ticks since boot (Linux), to tell a reused pid apart. */
  processStart: number | null;
  startedAt: string;
  command: string;
}

/** A held run-folder lock. */
export interface RunLock {
  file: string;
  info: LockInfo;
  /** Removes the lock (if it is still this process's); safe to call twice. */
  release(): void;
}

/** Start time of a process in clock ticks since boot, from /proc (null elsewhere or when gone). */
export function processStartTicks(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 22; the command name (field 2) may hold spaces and parentheses, so count from its end.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const v = Number(fields[19]);
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
}

function readLock(file: string): LockInfo | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as LockInfo;
  } catch {
    return null;
  }
}

/** True when the lock's process is gone (same machine only: another host's lock is never judged stale). */
export function lockIsStale(info: LockInfo): boolean {
  if (info.host !== os.hostname()) return false;
  if (!processAlive(info.pid)) return true;
  const start = processStartTicks(info.pid);
  return info.processStart !== null && start !== null && start !== info.processStart;
}

/**
 * Takes the lock of run folder `dir` (the file run.lock, created whole by a hard link so a reader
 * never sees half of it). A lock held by a live process stops with a clear message; a lock left by a
 * process that died (crash, SIGKILL) is detected and replaced. An interrupt (Ctrl-C) releases it.
 */
export function acquireRunLock(dir: string, command: string): RunLock {
  const file = path.join(path.resolve(dir), LOCK_FILE);
  const info: LockInfo = { pid: process.pid, host: os.hostname(), processStart: processStartTicks(process.pid), startedAt: new Date().toISOString(), command };
  const tmp = tempPathFor(file);
  fs.writeFileSync(tmp, JSON.stringify(info, null, 2) + "\n");
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        fs.linkSync(tmp, file);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 5) throw err;
      }
      const held = readLock(file);
      if (held && !lockIsStale(held)) {
        throw new SparkifyError(
          "E_RUN_LOCKED",
          `run folder ${path.dirname(file)} is in use by another run (pid ${held.pid} on ${held.host}, started ${held.startedAt}: ${held.command}); wait for it to finish or choose another --out` +
            (held.host !== os.hostname() ? `. If that run is gone, remove ${file}` : ""),
        );
      }
      if (!held && Date.now() - fs.statSync(file).mtimeMs < 2000) {
        // Unreadable yet fresh: a lock is created whole, so this is damage; give it a moment's benefit.
        throw new SparkifyError("E_RUN_LOCKED", `run folder ${path.dirname(file)} holds a lock file that cannot be read (${file}); try again, or remove it if no run is using the folder`);
      }
      // Stale: move it aside under a name only this process uses, so two processes breaking the
      // same stale lock cannot both win; the loser's link then fails with EEXIST on the winner's lock.
      const aside = `${file}.stale-${process.pid}`;
      try {
        fs.renameSync(file, aside);
      } catch {
        continue; // someone else moved it first
      }
      const moved = readLock(aside);
      if (moved && !lockIsStale(moved)) {
        // A live lock taken between our read and the rename: put it back and give way.
        try {
          fs.linkSync(aside, file);
        } catch {
          // a third process holds the folder now
        }
        fs.rmSync(aside, { force: true });
        throw new SparkifyError("E_RUN_LOCKED", `run folder ${path.dirname(file)} is in use by another run (pid ${moved.pid}: ${moved.command}); wait for it to finish or choose another --out`);
      }
      fs.rmSync(aside, { force: true });
    }
  } catch (err) {
    if (err instanceof SparkifyError) throw err;
    throw new SparkifyError("E_WRITE_FAILED", `cannot lock the run folder ${path.dirname(file)}: ${(err as Error).message}`, { cause: err });
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    forget();
    const held = readLock(file);
    if (held && held.pid === info.pid && held.startedAt === info.startedAt) fs.rmSync(file, { force: true });
  };
  const forget = cleanupOnSignal(release);
  return { file, info, release };
}
