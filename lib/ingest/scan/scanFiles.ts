import { SparkifyError, internalError } from "../../errors";
import * as fs from "node:fs";
import * as os from "node:os";
import { startModuleWorker } from "../../threads/startModuleWorker";
import type { SourceFile } from "../../inputs";
import { countRepeatedKeys, type KeyLogData } from "./keyLog";
import { lineCheckRuns, type ScanRules } from "./lineScanner";
import { ABORT, CONTROL_SLOTS, KIB_READ, scanTasks, type ScanTask, type ScanTasksInput, type ScanTasksOutput } from "./scanTasks";

/** Everything the load needs from input that the scan proved clean. */
export interface ScannedInput {
  proven: true;
  /** Lines of each file, in the order given. */
  lines: number[];
  rows: number;
  numericUserIds: number;
  /** Events without a user (counted whether or not the rule drops them; 0 when it is off). */
  noUser: number;
  /** Kept events with an absent or null optional field (before duplicates are removed). */
  nullRows: number;
  /** Distinct users of the kept events. */
  users: number;
  /** Users whose latest registration is after their first event. */
  lateUsers: number;
  minTs: number | null;
  maxTs: number | null;
  /**
   * Keys (userId, sessionId, itemInSession, ts) met more than once among kept events, by 64-bit
   * fingerprint. 0 proves there are no exact duplicates; more means there may be (the rows must
   * then be compared). Null when duplicates were not looked for.
   */
  repeatedKeys: number | null;
}

/** What the scan proved of one file: its lines and JSON-number userIds. */
export interface ProvenFile {
  lines: number;
  numericUserIds: number;
}

/** The input holds lines the scan could not prove clean: the strict SQL path decides for their files. */
export interface UnprovenInput {
  proven: false;
  /** The first file (and part of it) with such a line, and which line and why. */
  source: string;
  reason: string;
  /** Per file, in the order given: what was proven when every line of it was, else null. */
  files: Array<ProvenFile | null>;
}

/** How to scan. */
export interface ScanFilesOptions extends ScanRules {
  /** Look for repeated event keys (8 bytes of memory per kept event while scanning). */
  dedupe: boolean;
  /** Threads (default: the machine's cores, and small inputs in this thread; given: always that many). */
  threads?: number;
  /** Size of the pieces plain files are cut into (default 256 MiB). */
  pieceBytes?: number;
  onRaw?: (bytes: number) => void;
}

/** Plain files are cut into pieces of about this size so every core has work. */
const PIECE_BYTES = 256 << 20;
/** Below this much input, starting worker threads costs more than it saves. */
const THREAD_MIN_BYTES = 96 << 20;
/** Average line length assumed when sizing the key log (real and simulated logs: 300–460 bytes). */
const BYTES_PER_LINE_GUESS = 400;
/** Uncompressed bytes assumed per gzip byte when sizing (as the storage choice does). */
const GZIP_RATIO_GUESS = 8;

/** The first line start at or after byte `at` of a plain file (the file size when none). */
function lineStartAfter(fd: number, at: number, size: number): number {
  const buf = Buffer.allocUnsafe(1 << 16);
  for (let pos = at - 1; pos < size; pos += buf.length) {
    const n = fs.readSync(fd, buf, 0, buf.length, pos);
    const i = buf.subarray(0, n).indexOf(10);
    if (i >= 0) return pos + i + 1;
  }
  return size;
}

/** The scan's tasks: gzip files whole, plain files in pieces cut at line starts. */
export function planTasks(files: SourceFile[], pieceBytes: number = PIECE_BYTES): ScanTask[] {
  const tasks: ScanTask[] = [];
  files.forEach((f, file) => {
    if (f.gzip || f.bytes <= pieceBytes) {
      tasks.push({ file, path: f.path, gzip: f.gzip, start: 0, end: f.bytes });
      return;
    }
    const fd = fs.openSync(f.path, "r");
    try {
      let start = 0;
      while (start < f.bytes) {
        const end = start + pieceBytes >= f.bytes ? f.bytes : lineStartAfter(fd, start + pieceBytes, f.bytes);
        tasks.push({ file, path: f.path, gzip: false, start, end });
        start = end;
      }
    } finally {
      fs.closeSync(fd);
    }
  });
  return tasks;
}

function runWorker(input: ScanTasksInput): Promise<ScanTasksOutput> {
  return new Promise((resolve, reject) => {
    const worker = startModuleWorker(__dirname, "scanWorker", input);
    worker.once("message", (m: { result?: ScanTasksOutput; error?: string }) => {
      if (m.result) resolve(m.result);
      else reject(new SparkifyError("E_WORKER", `scan worker failed: ${m.error}`));
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new SparkifyError("E_WORKER", `scan worker exited with code ${code}`)));
  });
}

/**
 * One pass over the input, on every core, that proves each line a clean event and counts what the
 * load reports (lines, JSON-number userIds, the cleaning rules, users, time range, repeated
 * event keys). Returns UnprovenInput when some line could not be proven (it may be bad, or good in
 * a form the fast check leaves to the strict SQL path), saying which files were proven all the same.
 */
export async function scanFiles(files: SourceFile[], opts: ScanFilesOptions): Promise<ScannedInput | UnprovenInput> {
  if (!lineCheckRuns()) {
    return { proven: false, source: files.map((f) => f.source).join(", "), reason: "this machine has no WebAssembly SIMD for the line check", files: files.map(() => null) };
  }
  const tasks = planTasks(files, opts.pieceBytes);
  const control = new SharedArrayBuffer((CONTROL_SLOTS + files.length) * 4);
  const totalBytes = files.reduce((s, f) => s + f.bytes * (f.gzip ? GZIP_RATIO_GUESS : 1), 0);
  const threads = Math.max(1, Math.min(opts.threads ?? os.cpus().length, tasks.length));
  const expectedKeys = opts.dedupe ? Math.ceil(totalBytes / BYTES_PER_LINE_GUESS / threads) : null;
  const input: ScanTasksInput = { tasks, rules: { normaliseUserId: opts.normaliseUserId, dropNoUser: opts.dropNoUser }, expectedKeys, control };
  const counters = new Int32Array(control);
  let reported = 0;
  const report = (): void => {
    const kib = Atomics.load(counters, KIB_READ);
    if (kib > reported) opts.onRaw?.((kib - reported) * 1024);
    reported = kib;
  };
  let outputs: ScanTasksOutput[];
  if (threads === 1 || (opts.threads === undefined && totalBytes < THREAD_MIN_BYTES)) {
    outputs = [await scanTasks(input)];
  } else {
    const timer = setInterval(report, 200);
    try {
      outputs = await Promise.all(Array.from({ length: threads }, () => runWorker(input)));
    } catch (err) {
      Atomics.store(counters, ABORT, 1);
      throw err;
    } finally {
      clearInterval(timer);
    }
  }
  report();
  return merge(files, tasks, outputs);
}

function merge(files: SourceFile[], tasks: ScanTask[], outputs: ScanTasksOutput[]): ScannedInput | UnprovenInput {
  const perFile = files.map((): ProvenFile | null => ({ lines: 0, numericUserIds: 0 }));
  let doneTasks = 0;
  for (const o of outputs) {
    for (const [t, n, numeric] of o.done) {
      const f = perFile[tasks[t].file]!;
      f.lines += n;
      f.numericUserIds += numeric;
    }
    doneTasks += o.done.length;
  }
  const failed = outputs.flatMap((o) => o.notProven);
  if (failed.length > 0) {
    for (const { task } of failed) perFile[tasks[task].file] = null;
    const first = failed.filter((f) => f.reason !== null).sort((a, b) => a.task - b.task)[0];
    const task = tasks[first.task];
    const where = task.start > 0 ? ` (in the part from byte ${task.start})` : "";
    return { proven: false, source: `${files[task.file].source}${where}`, reason: first.reason!, files: perFile };
  }
  if (doneTasks !== tasks.length) throw internalError(`scan finished ${doneTasks} of ${tasks.length} tasks without an error`);
  const lines = perFile.map((f) => f!.lines);
  const users = new Map<string, [number, number]>();
  for (const o of outputs) {
    o.users.ids.forEach((id, u) => {
      const first = o.users.firstTs[u];
      const reg = o.users.maxRegistration[u];
      const seen = users.get(id);
      if (seen === undefined) users.set(id, [first, reg]);
      else users.set(id, [Math.min(seen[0], first), Math.max(seen[1], reg)]);
    });
  }
  let late = 0;
  for (const [first, reg] of users.values()) if (reg > first) late++;
  const sum = (k: "rows" | "numericUserIds" | "noUser" | "nullRows"): number => outputs.reduce((s, o) => s + o[k], 0);
  const minTs = Math.min(...outputs.map((o) => o.minTs));
  const maxTs = Math.max(...outputs.map((o) => o.maxTs));
  const logs = outputs.map((o) => o.keys).filter((k): k is KeyLogData => k !== null);
  return {
    proven: true,
    lines,
    rows: sum("rows"),
    numericUserIds: sum("numericUserIds"),
    noUser: sum("noUser"),
    nullRows: sum("nullRows"),
    users: users.size,
    lateUsers: late,
    minTs: Number.isFinite(minTs) ? minTs : null,
    maxTs: Number.isFinite(maxTs) ? maxTs : null,
    repeatedKeys: logs.length === 0 ? null : countRepeatedKeys(logs),
  };
}
