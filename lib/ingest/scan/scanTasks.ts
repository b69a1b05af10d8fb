import { isUtf8 } from "node:buffer";
import * as fs from "node:fs";
import * as zlib from "node:zlib";
import { KeyLog, type KeyLogData } from "./keyLog";
import { LineScanner, type ScanRules } from "./lineScanner";
import { UserTable, type UserFigures } from "./userTable";

/** One piece of work: a whole file, or a byte range of a plain file that starts and ends at line starts. */
export interface ScanTask {
  file: number;
  path: string;
  gzip: boolean;
  start: number;
  /** End byte (exclusive) of a plain file's range; ignored for gzip (always whole). */
  end: number;
}

/** Slots of the shared control array (ABORT: another thread failed, stop); one flag per file follows. */
export const NEXT_TASK = 0;
export const ABORT = 1;
export const KIB_READ = 2;
export const CONTROL_SLOTS = 3;

/** What a scanning thread receives. */
export interface ScanTasksInput {
  tasks: ScanTask[];
  rules: ScanRules;
  /** Keys this thread expects to log (sizes the log), or null when duplicates are not looked for. */
  expectedKeys: number | null;
  /**
   * Int32Array of CONTROL_SLOTS + files: next task, abort flag, KiB read (progress), then per file
   * 1 once a part of it was not proven (its other parts are not scanned).
   */
  control: SharedArrayBuffer;
}

/** What a scanning thread found. */
export interface ScanTasksOutput {
  /** [task index, lines, JSON-number userIds] of every task scanned to the end and proven clean. */
  done: Array<[number, number, number]>;
  rows: number;
  numericUserIds: number;
  noUser: number;
  nullRows: number;
  minTs: number;
  maxTs: number;
  users: UserFigures;
  /** Fingerprints of the kept events' keys (null when duplicates are not looked for). */
  keys: KeyLogData | null;
  /**
   * Tasks with a line not proven clean (or a read error), each with the first such line; reason
   * null for a task left unscanned because another part of its file was not proven.
   */
  notProven: Array<{ task: number; reason: string | null }>;
}

/** Bytes read at a time: small enough that they are still in the cache when the check reads them. */
const CHUNK = 1 << 20;

/**
 * A growing buffer of bytes whose complete lines are scanned as they arrive. It lies in the
 * scanner's WebAssembly memory, so bytes are read where they are scanned, never copied there.
 */
class LineRegions {
  buf: Buffer;
  filled = 0;
  lines = 0;

  constructor(private readonly scanner: LineScanner) {
    this.buf = scanner.region(CHUNK);
  }

  /** Empties the buffer for the next task (the memory is kept: fresh pages cost a fault each). */
  reset(): void {
    this.filled = 0;
    this.lines = 0;
  }

  /** Makes room for at least n more bytes. */
  reserve(n: number): void {
    if (this.filled + n <= this.buf.length) return;
    this.buf = this.scanner.region(Math.max(this.buf.length * 2, this.filled + n)); // keeps the bytes held
  }

  /** Scans the complete lines held (every line when `final`); a reason when one is not proven. */
  scan(final: boolean): string | null {
    if (this.filled === 0) return null;
    let end: number;
    if (final) {
      if (this.buf[this.filled - 1] !== 10) {
        this.reserve(1);
        this.buf[this.filled++] = 10; // the scanner needs every line to end with a newline
      }
      end = this.filled;
    } else {
      const last = this.buf.lastIndexOf(10, this.filled - 1);
      if (last < 0) return null;
      end = last + 1;
    }
    if (!isUtf8(this.buf.subarray(0, end))) return `invalid UTF-8 in lines ${this.lines + 1}…`;
    const n = this.scanner.scanRegion(this.buf, 0, end);
    if (n < 0) return `line ${this.lines + this.scanner.notProven!.line}: ${this.scanner.notProven!.reason}`;
    this.lines += n;
    this.buf.copyWithin(0, end, this.filled);
    this.filled -= end;
    return null;
  }
}

function scanPlain(task: ScanTask, regions: LineRegions, control: Int32Array): string | null {
  const fd = fs.openSync(task.path, "r");
  try {
    let pos = task.start;
    while (pos < task.end) {
      if (regions.filled === regions.buf.length) regions.reserve(regions.buf.length);
      const want = Math.min(regions.buf.length - regions.filled, task.end - pos);
      const n = fs.readSync(fd, regions.buf, regions.filled, want, pos);
      if (n === 0) break;
      pos += n;
      regions.filled += n;
      Atomics.add(control, KIB_READ, n >>> 10);
      const bad = regions.scan(false);
      if (bad !== null) return bad;
      if (Atomics.load(control, ABORT) !== 0) return "stopped";
    }
    return regions.scan(true);
  } finally {
    fs.closeSync(fd);
  }
}

async function scanGzip(task: ScanTask, regions: LineRegions, control: Int32Array): Promise<string | null> {
  const input = fs.createReadStream(task.path, { highWaterMark: 4 << 20 });
  input.on("data", (c) => Atomics.add(control, KIB_READ, c.length >>> 10));
  const gunzip = zlib.createGunzip({ chunkSize: 1 << 20 });
  input.on("error", (e) => gunzip.destroy(e));
  input.pipe(gunzip);
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      regions.reserve(chunk.length);
      chunk.copy(regions.buf, regions.filled);
      regions.filled += chunk.length;
      if (regions.filled >= CHUNK) {
        const bad = regions.scan(false);
        if (bad !== null) return bad;
        if (Atomics.load(control, ABORT) !== 0) return "stopped";
      }
    }
  } finally {
    input.destroy();
    gunzip.destroy();
  }
  return regions.scan(true);
}

/**
 * Takes tasks from the shared queue until none is left (or another thread failed). A task with a
 * line it cannot prove clean is noted and the thread goes on: the files it proves need no other
 * check, and only the rest go to the strict path.
 */
export async function scanTasks(input: ScanTasksInput): Promise<ScanTasksOutput> {
  const control = new Int32Array(input.control);
  const users = new UserTable();
  const keys = input.expectedKeys === null ? null : new KeyLog(input.expectedKeys);
  const scanner = new LineScanner(input.rules, users, keys);
  const done: ScanTasksOutput["done"] = [];
  const notProven: ScanTasksOutput["notProven"] = [];
  const regions = new LineRegions(scanner);
  while (Atomics.load(control, ABORT) === 0) {
    const t = Atomics.add(control, NEXT_TASK, 1);
    if (t >= input.tasks.length) break;
    const task = input.tasks[t];
    if (Atomics.load(control, CONTROL_SLOTS + task.file) !== 0) {
      notProven.push({ task: t, reason: null });
      continue;
    }
    regions.reset();
    const numericBefore = scanner.numericUserIds;
    let bad: string | null;
    try {
      bad = task.gzip ? await scanGzip(task, regions, control) : scanPlain(task, regions, control);
    } catch (err) {
      bad = `read error: ${(err as Error).message}`; // the strict path reports it properly
    }
    if (bad === "stopped") break;
    if (bad !== null) {
      Atomics.store(control, CONTROL_SLOTS + task.file, 1);
      notProven.push({ task: t, reason: bad });
    } else done.push([t, regions.lines, scanner.numericUserIds - numericBefore]);
  }
  return {
    done,
    rows: scanner.rows,
    numericUserIds: scanner.numericUserIds,
    noUser: scanner.noUser,
    nullRows: scanner.nullRows,
    minTs: scanner.minTs,
    maxTs: scanner.maxTs,
    users: users.figures(),
    keys: keys?.data() ?? null,
    notProven,
  };
}
