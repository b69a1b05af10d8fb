// A small real file system for disk-full and read-only tests: a tmpfs mounted when running as root.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** A mounted tmpfs and how to remove it. */
export interface SmallDisk {
  dir: string;
  unmount(): void;
}

/** True when this process may mount file systems (root). */
export function canMount(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

/** Mounts a tmpfs of `size` (e.g. "64k") at a fresh folder; `readOnly` mounts it read-only. Null when not root or mount fails. */
export function mountSmallDisk(size: string, opts: { readOnly?: boolean } = {}): SmallDisk | null {
  if (!canMount()) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-tmpfs-"));
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size}${opts.readOnly ? ",ro" : ""}`, "tmpfs", dir], { encoding: "utf8" });
  if (r.status !== 0) {
    fs.rmdirSync(dir);
    return null;
  }
  return {
    dir,
    unmount: () => {
      spawnSync("umount", [dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Fills the disk at `dir` with one file until the file system refuses (ENOSPC); returns the filler's path. */
export function fillDisk(dir: string): string {
  const filler = path.join(dir, "filler.bin");
  const fd = fs.openSync(filler, "w");
  const block = Buffer.alloc(4096, 1);
  try {
    for (;;) fs.writeSync(fd, block);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOSPC") throw err;
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}

/**
 * A folder this process cannot write: a read-only tmpfs when root (root ignores file modes), else a
 * folder with mode 0555. Null only when neither works.
 */
export function unwritableFolder(): SmallDisk | null {
  const disk = mountSmallDisk("64k", { readOnly: true });
  if (disk) return disk;
  if (canMount()) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-readonly-"));
  fs.chmodSync(dir, 0o555);
  return {
    dir,
    unmount: () => {
      fs.chmodSync(dir, 0o755);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs a TypeScript file in a child process whose file-size limit (RLIMIT_FSIZE) is `kb` KiB, with
 * SIGXFSZ ignored, so a write past it fails with EFBIG as a full disk fails with ENOSPC: the
 * disk-full tests' way without root. Returns the child's stdout.
 */
export function runWithFileSizeLimit(script: string, kb: number): string {
  const tsx = require.resolve("tsx/cjs");
  const r = spawnSync("sh", ["-c", `trap '' XFSZ; ulimit -f ${kb}; exec "${process.execPath}" -r "${tsx}" "${script}"`], { encoding: "utf8" });
  return r.stdout;
}
