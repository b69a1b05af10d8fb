import { internalError } from "../../errors";
import { EVENT_COLUMN_TYPES, EVENT_FIELDS, OPTIONAL_FIELDS, REQUIRED_FIELDS, USER_FIELD } from "../../events/schema";
import type { KeyLog } from "./keyLog";
import type { UserTable } from "./userTable";
import { LINE_SCAN_WASM } from "./wasm/lineScanWasm";

// A one-pass check of JSON-lines events that either proves a line clean or gives up on it.
//
// It is deliberately conservative: it accepts only the plain shape real logs have (one flat
// object, the 18 known keys at most once each, strings, canonical integers, decimal numbers,
// null, spaces between tokens). Any line it accepts is one the strict SQL check
// (validationSql.reasonSql) also accepts, with the same values; anything else (a bad line, but
// also an unusual good one: an exponent, a tab, a \u surrogate, an extra key) is "not proven",
// and the caller hands the input to the strict SQL path, which decides and names the reason.
//
// The check itself runs in WebAssembly (wasm/assembly/lineScan.ts, AssemblyScript with SIMD):
// about 1.6× the speed of the same loop in JavaScript, which was the load's bottleneck. It
// writes one record per kept event (user id position, hashes, ts, registration); this class
// feeds them to the user table and the key log.

/** Field kinds as the WebAssembly module numbers them. */
const KIND_NUMBERS: Partial<Record<string, number>> = { VARCHAR: 0, INTEGER: 1, BIGINT: 2, DOUBLE: 3 };
const F_USER = EVENT_FIELDS.indexOf(USER_FIELD);
const maskOf = (fields: readonly string[]): number => fields.reduce((m, f) => m | (1 << EVENT_FIELDS.indexOf(f as never)), 0);
/** Records one scan call writes at most (memory: 44 bytes each). */
const RECORDS = 1 << 14;
/** int32 and float64 slots of a record (see writeRecord in the module). */
const RECORD_I32 = 7;
const RECORD_F64 = 2;
/** Bytes the module may read past a region's end (vector loads), kept readable. */
const PADDING = 64;
const PAGE = 65536;

// The few WebAssembly calls used here (TypeScript types the API only in its DOM library).
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
};

/** The module's exports (see wasm/assembly/lineScan.ts). */
interface LineScanExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  heapBase(): number;
  keysPtr(): number;
  masksPtr(): number;
  keyLengthPtr(): number;
  kindPtr(): number;
  lookupPtr(): number;
  init(count: number, user: number, ts: number, session: number, item: number, reg: number, required: number, optional: number, normalise: number, drop: number): void;
  getRows(): number;
  getNumericUserIds(): number;
  getNoUser(): number;
  getNullRows(): number;
  getMinTs(): number;
  getMaxTs(): number;
  getReached(): number;
  getLineCount(): number;
  getFailure(): number;
  scan(regionBase: number, start: number, end: number, i32Out: number, f64Out: number, recCap: number): number;
}

let bytes: Uint8Array | null = null;
let compiled: object | null = null;
let runs: boolean | null = null;

/** The module's bytes, decoded once. */
function moduleBytes(): Uint8Array {
  bytes ??= Buffer.from(LINE_SCAN_WASM, "base64");
  return bytes;
}

/**
 * Whether this machine runs the line check: WebAssembly SIMD, which V8 has on every ARM64 and every
 * x86-64 processor with SSE4.1 (since 2008). Without it every file takes the strict SQL path.
 */
export function lineCheckRuns(): boolean {
  runs ??= WebAssembly.validate(moduleBytes());
  return runs;
}

/** A new instance of the line check, with the event fields' tables written into its memory. */
function instantiate(rules: ScanRules): LineScanExports {
  compiled ??= new WebAssembly.Module(moduleBytes());
  const w = new WebAssembly.Instance(compiled, {}).exports as unknown as LineScanExports;
  const bytes = new Uint8Array(w.memory.buffer);
  const lookup = new Int8Array(w.memory.buffer, w.lookupPtr(), 32 * 128).fill(-1);
  EVENT_FIELDS.forEach((field, f) => {
    const name = [...Buffer.from(field, "latin1"), 34]; // the name and its closing quote
    if (name.length > 16) throw internalError(`field name ${field} is longer than the line check's 15 bytes`);
    bytes.set(name, w.keysPtr() + f * 16);
    bytes.fill(0xff, w.masksPtr() + f * 16, w.masksPtr() + f * 16 + name.length);
    bytes[w.keyLengthPtr() + f] = name.length;
    const kind = KIND_NUMBERS[EVENT_COLUMN_TYPES[field]];
    if (kind === undefined) throw internalError(`no line check kind for ${EVENT_COLUMN_TYPES[field]}`);
    bytes[w.kindPtr() + f] = kind;
    const slot = (name.length - 1) * 128 + name[0];
    lookup[slot] = lookup[slot] === -1 ? f : -2; // -2: two names share (length, first byte)
  });
  const at = (f: string): number => EVENT_FIELDS.indexOf(f as never);
  w.init(EVENT_FIELDS.length, F_USER, at("ts"), at("sessionId"), at("itemInSession"), at("registration"),
    maskOf(REQUIRED_FIELDS), maskOf(OPTIONAL_FIELDS), rules.normaliseUserId ? 1 : 0, rules.dropNoUser ? 1 : 0);
  return w;
}

/** Options of a scan: the rules that decide what is kept and counted. */
export interface ScanRules {
  /** A JSON-integer userId is accepted (and counted) rather than a wrong type. */
  normaliseUserId: boolean;
  /** Events without a user are dropped (counted, not added to users or duplicates). */
  dropNoUser: boolean;
}

/** Why the last line was not proven, and where (1-based line of the region). */
export interface NotProven {
  line: number;
  reason: string;
}

/**
 * Scans regions of JSON lines and accumulates the load's counts: rows, JSON-number userIds,
 * events without a user, kept events with nulls, kept time range, per-user first event and
 * registration (UserTable), and the fingerprints of the duplicate keys (KeyLog). One instance per thread;
 * no object is made per event.
 */
export class LineScanner {
  notProven: NotProven | null = null;

  private readonly wasm: LineScanExports;
  private readonly i32Out: number;
  private readonly f64Out: number;
  /** Where the region the caller fills starts in the module's memory. */
  private readonly regionStart: number;
  private regionView: Buffer | null = null;
  private i32 = new Int32Array(0);
  private f64 = new Float64Array(0);

  constructor(
    rules: ScanRules,
    private readonly users: UserTable,
    private readonly keys: KeyLog | null,
  ) {
    this.wasm = instantiate(rules);
    this.i32Out = this.wasm.heapBase();
    this.f64Out = this.i32Out + RECORDS * RECORD_I32 * 4;
    this.regionStart = this.f64Out + RECORDS * RECORD_F64 * 8;
  }

  get rows(): number { return this.wasm.getRows(); }
  get numericUserIds(): number { return this.wasm.getNumericUserIds(); }
  get noUser(): number { return this.wasm.getNoUser(); }
  get nullRows(): number { return this.wasm.getNullRows(); }
  get minTs(): number { return this.wasm.getMinTs(); }
  get maxTs(): number { return this.wasm.getMaxTs(); }

  /**
   * A buffer of at least `bytes` bytes in the scanner's own memory, holding what the previous one
   * held: bytes read into it are scanned where they lie (scanRegion copies any other buffer).
   */
  region(bytes: number): Buffer {
    const memory = this.wasm.memory;
    const needed = this.regionStart + bytes + PADDING;
    if (needed > memory.buffer.byteLength) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE));
    if (this.regionView === null || this.regionView.buffer !== memory.buffer || this.regionView.length < bytes) {
      this.regionView = Buffer.from(memory.buffer, this.regionStart, memory.buffer.byteLength - this.regionStart - PADDING);
    }
    return this.regionView;
  }

  /**
   * Scans the lines of buf[start, end), which must end with a newline byte (the caller adds one
   * after a last line without it). Returns the number of lines, or -1 when a line is not proven
   * (then `notProven` says which and why; counts are then partial and must not be used).
   */
  scanRegion(buf: Uint8Array, start: number, end: number): number {
    let region = this.region(0);
    if (buf.buffer !== region.buffer || buf.byteOffset !== region.byteOffset) {
      region = this.region(end - start);
      region.set(buf.subarray(start, end));
      end -= start;
      start = 0;
    }
    const w = this.wasm;
    if (this.i32.buffer !== w.memory.buffer) {
      this.i32 = new Int32Array(w.memory.buffer, this.i32Out, RECORDS * RECORD_I32);
      this.f64 = new Float64Array(w.memory.buffer, this.f64Out, RECORDS * RECORD_F64);
    }
    let lines = 0;
    let p = this.regionStart + start;
    const stop = this.regionStart + end;
    while (p < stop) {
      const records = w.scan(this.regionStart, p, stop, this.i32Out, this.f64Out, RECORDS);
      this.addRecords(region, records);
      const failure = w.getFailure();
      if (failure !== 0) {
        this.notProven = { line: lines + w.getLineCount(), reason: REASONS[failure - 1] };
        return -1;
      }
      lines += w.getLineCount();
      p = w.getReached();
    }
    return lines;
  }

  /** Feeds the kept events' records to the user table and the key log. */
  private addRecords(region: Uint8Array, records: number): void {
    const { i32, f64, users, keys } = this;
    for (let r = 0; r < records; r++) {
      const b = r * RECORD_I32;
      users.add(region, i32[b], i32[b + 1], i32[b + 2], i32[b + 3], i32[b + 4], f64[r * RECORD_F64], f64[r * RECORD_F64 + 1]);
      if (keys !== null) keys.add(i32[b + 5], i32[b + 6]);
    }
  }
}

/** Reasons by the module's failure numbers (1-based; scanLine in wasm/assembly/lineScan.ts). */
const REASONS = [
  "not a JSON object, or unusual whitespace",
  "JSON syntax the fast check does not take",
  "a key other than the 18 event fields",
  "a key twice",
  "a value of another type than its field's",
  "a string with a control character or an escape the fast check does not take",
  "a number the fast check does not take (exponent, fraction in an integer field, over 15 digits, -0)",
  "a required field missing or null",
  "a line over 16,000,000 bytes (DuckDB reads JSON objects up to 16 MiB)",
];
