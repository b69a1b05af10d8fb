import { EVENT_COLUMN_TYPES, EVENT_FIELDS } from "../../events/schema";
import { OPTIONAL_FIELDS, REQUIRED_FIELDS } from "../validationSql";
import type { KeyLog } from "./keyLog";
import type { UserTable } from "./userTable";

// A one-pass check of JSON-lines events that either proves a line clean or gives up on it.
//
// It is deliberately conservative: it accepts only the plain shape real logs have (one flat
// object, the 18 known keys at most once each, strings, canonical integers, decimal numbers,
// null, spaces between tokens). Any line it accepts is one the strict SQL check
// (validationSql.reasonSql) also accepts, with the same values; anything else (a bad line, but
// also an unusual good one: an exponent, a tab, a \u surrogate, an extra key) is "not proven",
// and the caller hands the input to the strict SQL path, which decides and names the reason.

const STR = 0;
const INT32 = 1;
const INT64 = 2;
const DOUBLE = 3;

const KIND = new Int8Array(EVENT_FIELDS.map((f) => {
  switch (EVENT_COLUMN_TYPES[f]) {
    case "VARCHAR": return STR;
    case "INTEGER": return INT32;
    case "BIGINT": return INT64;
    case "DOUBLE": return DOUBLE;
    default: throw new Error(`no scanner kind for ${EVENT_COLUMN_TYPES[f]}`);
  }
}));
const NAMES = EVENT_FIELDS.map((f) => Buffer.from(f, "latin1"));
const F_USER = EVENT_FIELDS.indexOf("userId");
const F_TS = EVENT_FIELDS.indexOf("ts");
const F_SESSION = EVENT_FIELDS.indexOf("sessionId");
const F_ITEM = EVENT_FIELDS.indexOf("itemInSession");
const F_REG = EVENT_FIELDS.indexOf("registration");
const maskOf = (fields: readonly string[]): number => fields.reduce((m, f) => m | (1 << EVENT_FIELDS.indexOf(f as never)), 0);
/** Stands for a null itemInSession in key hashes: more digits than the scan accepts. */
const NULL_ITEM = 2 ** 53;
/** Longer lines are left to the strict path, which reads them as text (DuckDB's reader stops at 16 MiB). */
const MAX_LINE_BYTES = 16_000_000;
/** Index of the line start in LineScanner.nextKey. */
const LINE_START = EVENT_FIELDS.length;
const REQUIRED_MASK = maskOf(REQUIRED_FIELDS);
const OPTIONAL_MASK = maskOf(OPTIONAL_FIELDS);

/** Key lookup by (length, first byte): the field index, -2 when two names share it, -1 none. */
const KEY_LOOKUP = new Int8Array(32 * 128).fill(-1);
for (let f = 0; f < NAMES.length; f++) {
  const slot = NAMES[f].length * 128 + NAMES[f][0];
  KEY_LOOKUP[slot] = KEY_LOOKUP[slot] === -1 ? f : -2;
}

/** Each name followed by its closing quote, as little-endian 32-bit words with byte masks. */
const KEY_WORDS = new Int32Array(EVENT_FIELDS.length * 4);
const KEY_MASKS = new Int32Array(EVENT_FIELDS.length * 4);
const KEY_LENGTH = new Int8Array(EVENT_FIELDS.length); // name + quote, in bytes
NAMES.forEach((name, f) => {
  const bytes = [...name, 34];
  KEY_LENGTH[f] = bytes.length;
  bytes.forEach((b, i) => {
    KEY_WORDS[f * 4 + (i >> 2)] |= b << ((i & 3) * 8);
    KEY_MASKS[f * 4 + (i >> 2)] |= 0xff << ((i & 3) * 8);
  });
});

/** Whether field f's name and closing quote start at p (word compares; bytes near the end). */
function keyAt(buf: Uint8Array, dv: DataView, p: number, limit: number, f: number): boolean {
  const len = KEY_LENGTH[f];
  if (p + ((len + 3) & ~3) > limit) return sameBytes(buf, p, NAMES[f]) && buf[p + len - 1] === 34;
  for (let w = 0; w < len; w += 4) {
    const k = f * 4 + (w >> 2);
    if (((dv.getInt32(p + w, true) ^ KEY_WORDS[k]) & KEY_MASKS[k]) !== 0) return false;
  }
  return true;
}

function sameBytes(buf: Uint8Array, s: number, name: Uint8Array): boolean {
  for (let i = 0; i < name.length; i++) if (buf[s + i] !== name[i]) return false;
  return true;
}

function fieldOf(buf: Uint8Array, s: number, len: number): number {
  if (len === 0 || len >= 32) return -1;
  const c = buf[s];
  if (c >= 128) return -1;
  const f = KEY_LOOKUP[len * 128 + c];
  if (f >= 0) return sameBytes(buf, s, NAMES[f]) ? f : -1;
  if (f === -1) return -1;
  for (let g = 0; g < NAMES.length; g++) if (NAMES[g].length === len && sameBytes(buf, s, NAMES[g])) return g;
  return -1;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function hexValue(c: number): number {
  return c <= 57 ? c - 48 : (c | 32) - 87;
}

/** 1 for the bytes that end or interrupt a plain string run: control characters, '"' and '\\'. */
const STRING_STOP = new Uint8Array(256);
for (let c = 0; c < 32; c++) STRING_STOP[c] = 1;
STRING_STOP[34] = STRING_STOP[92] = 1;

/**
 * Position after the closing quote of a string starting at `p` (after the opening quote), or -1.
 * Eight bytes at a time while none of them is a stop byte (SWAR: any byte < 0x20, == '"' or
 * == '\\' sets a high bit; exact for "any", which is all the test needs), then byte by byte.
 */
function skipString(buf: Uint8Array, dv: DataView, p: number, limit: number, escapes: boolean): number {
  for (;;) {
    while (p + 8 <= limit) {
      const x = dv.getInt32(p, true);
      const y = dv.getInt32(p + 4, true);
      const stop = ((((x - 0x20202020) | 0) | (((x ^ 0x22222222) - 0x01010101) | 0) | (((x ^ 0x5c5c5c5c) - 0x01010101) | 0)) & ~x)
        | ((((y - 0x20202020) | 0) | (((y ^ 0x22222222) - 0x01010101) | 0) | (((y ^ 0x5c5c5c5c) - 0x01010101) | 0)) & ~y);
      if ((stop & 0x80808080) !== 0) break;
      p += 8;
    }
    let c = buf[p++];
    while (STRING_STOP[c] === 0) c = buf[p++];
    if (c === 34) return p;
    if (c < 32 || !escapes) return -1; // a raw control character (the line's own newline included): not JSON
    p = skipEscape(buf, p); // c is a backslash
    if (p < 0) return -1;
  }
}

/** Position after the escape whose backslash is just before `p`, or -1 when the fast check leaves it. */
function skipEscape(buf: Uint8Array, p: number): number {
  const e = buf[p++];
  if (e === 117) {
    if (!isHex(buf[p]) || !isHex(buf[p + 1]) || !isHex(buf[p + 2]) || !isHex(buf[p + 3])) return -1;
    const code = (hexValue(buf[p]) << 12) | (hexValue(buf[p + 1]) << 8) | (hexValue(buf[p + 2]) << 4) | hexValue(buf[p + 3]);
    // Surrogates (pairs or lone) and NUL are left to the strict path.
    if (code === 0 || (code >= 0xd800 && code <= 0xdfff)) return -1;
    return p + 4;
  }
  return e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116 ? p : -1;
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
  rows = 0;
  numericUserIds = 0;
  noUser = 0;
  nullRows = 0;
  minTs = Infinity;
  maxTs = -Infinity;
  notProven: NotProven | null = null;

  private readonly nums = new Float64Array(EVENT_FIELDS.length);
  /** The key that followed each key (and the line start) in the last line that had it. */
  private readonly nextKey = new Int8Array(EVENT_FIELDS.length + 1).fill(-1);
  private userStart = 0;
  private userEnd = 0;

  constructor(
    private readonly rules: ScanRules,
    readonly users: UserTable,
    private readonly keys: KeyLog | null,
  ) {}

  /**
   * Scans the lines of buf[start, end), which must end with a newline byte (the caller adds one
   * after a last line without it). Returns the number of lines, or -1 when a line is not proven
   * (then `notProven` says which and why; counts are then partial and must not be used).
   */
  scanRegion(buf: Uint8Array, start: number, end: number): number {
    let p = start;
    let lines = 0;
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    while (p < end) {
      lines++;
      const next = this.scanLine(buf, dv, buf.byteLength, p);
      if (next < 0 || next - p > MAX_LINE_BYTES) {
        this.notProven = { line: lines, reason: next < 0 ? REASONS[-next - 1] : `a line over ${MAX_LINE_BYTES} bytes (DuckDB reads JSON objects up to 16 MiB)` };
        return -1;
      }
      p = next;
    }
    return lines;
  }

  /** Scans one line starting at `p`; returns the start of the next line, or -(reason index + 1). */
  private scanLine(buf: Uint8Array, dv: DataView, limit: number, p: number): number {
    const nums = this.nums;
    while (buf[p] === 32) p++;
    if (buf[p] !== 123) return -1;
    p++;
    while (buf[p] === 32) p++;
    let seen = 0;
    let nulls = 0;
    let numericUser = false;
    let prev: number = LINE_START;
    for (;;) {
      if (buf[p] !== 34) return -2;
      const ks = ++p;
      // Files keep one key order: try the key that followed the previous one last time.
      let f = this.nextKey[prev];
      if (f >= 0 && keyAt(buf, dv, ks, limit, f)) {
        p = ks + KEY_LENGTH[f];
      } else {
        let c = buf[p];
        while (c !== 34 && c >= 32 && c !== 92) c = buf[++p];
        if (c !== 34) return -2;
        f = fieldOf(buf, ks, p - ks);
        p++;
        if (f < 0) return -3;
        this.nextKey[prev] = f;
      }
      prev = f;
      const bit = 1 << f;
      if ((seen & bit) !== 0) return -4;
      seen |= bit;
      while (buf[p] === 32) p++;
      if (buf[p] !== 58) return -2;
      p++;
      while (buf[p] === 32) p++;
      let c = buf[p];
      const kind = KIND[f];
      if (c === 110) {
        if (buf[p + 1] !== 117 || buf[p + 2] !== 108 || buf[p + 3] !== 108) return -2;
        p += 4;
        nulls |= bit;
      } else if (c === 34) {
        if (kind !== STR) return -5;
        const vs = p + 1;
        p = skipString(buf, dv, vs, limit, f !== F_USER); // an escaped userId would need decoding to compare
        if (p < 0) return -6;
        if (f === F_USER) {
          this.userStart = vs;
          this.userEnd = p - 1;
        }
      } else if (c === 45 || (c >= 48 && c <= 57)) {
        const vs = p;
        let neg = false;
        if (c === 45) {
          neg = true;
          c = buf[++p];
        }
        const ds = p;
        let v = 0;
        if (c === 48) {
          c = buf[++p];
        } else if (c >= 49 && c <= 57) {
          while (c >= 48 && c <= 57) {
            v = v * 10 + (c - 48);
            c = buf[++p];
          }
        } else return -2;
        const digits = p - ds;
        if (kind === DOUBLE) {
          if (c === 46) {
            c = buf[++p];
            const fs = p;
            while (c >= 48 && c <= 57) c = buf[++p];
            if (p === fs) return -2;
          }
          if (c === 101 || c === 69 || p - vs > 40) return -7; // exponents and huge literals: strict path
        } else {
          if (c === 46 || c === 101 || c === 69) return -7;
          const userAsNumber = f === F_USER;
          if (kind === STR && !(userAsNumber && this.rules.normaliseUserId)) return -5;
          // Up to 15 digits is exact in a double and inside BIGINT; "-0" does not round-trip.
          if (digits > (kind === INT32 ? 9 : 15) || (neg && v === 0)) return -7;
          nums[f] = neg ? -v : v;
          if (userAsNumber) {
            numericUser = true;
            this.userStart = vs;
            this.userEnd = p;
          }
        }
      } else {
        return -5; // true, false, objects, arrays (or not JSON): the strict path names it
      }
      while (buf[p] === 32) p++;
      c = buf[p];
      if (c === 44) {
        p++;
        while (buf[p] === 32) p++;
        continue;
      }
      if (c === 125) {
        p++;
        break;
      }
      return -2;
    }
    if (buf[p] === 13) p++;
    if (buf[p] !== 10) return -2;
    p++;
    const present = seen & ~nulls;
    if ((present & REQUIRED_MASK) !== REQUIRED_MASK) return -8;
    this.rows++;
    if (numericUser) this.numericUserIds++;
    const userBit = 1 << F_USER;
    const hasUser = (present & userBit) !== 0 && this.userEnd > this.userStart;
    if (!hasUser) {
      this.userStart = this.userEnd = 0;
      if (this.rules.dropNoUser) {
        this.noUser++;
        return p;
      }
    }
    if (((~seen | nulls) & OPTIONAL_MASK) !== 0) this.nullRows++;
    const ts = nums[F_TS];
    if (ts < this.minTs) this.minTs = ts;
    if (ts > this.maxTs) this.maxTs = ts;
    const reg = (present & (1 << F_REG)) !== 0 ? nums[F_REG] : -Infinity;
    const us = this.userStart;
    const ue = this.userEnd;
    const userHash = hashBytes(buf, us, ue, 0x9747b28c);
    this.users.add(buf, us, ue, userHash, ts, reg);
    if (this.keys !== null) {
      const item = (present & (1 << F_ITEM)) !== 0 ? nums[F_ITEM] : NULL_ITEM;
      const session = nums[F_SESSION];
      const h1 = finish(mixNumber(mixNumber(mixNumber(userHash, session), item), ts));
      const h2 = finish(mixNumber(mixNumber(mixNumber(hashBytes(buf, us, ue, 0x2545f491), ts), session), item));
      this.keys.add(h1, h2);
    }
    this.userStart = this.userEnd = 0;
    return p;
  }
}

/** Reasons by the negative codes scanLine returns. */
const REASONS = [
  "not a JSON object, or unusual whitespace",
  "JSON syntax the fast check does not take",
  "a key other than the 18 event fields",
  "a key twice",
  "a value of another type than its field's",
  "a string with a control character or an escape the fast check does not take",
  "a number the fast check does not take (exponent, fraction in an integer field, over 15 digits, -0)",
  "a required field missing or null",
];

// 32-bit hashing, kept in this module: a call through another module's export costs a getter
// under tsx. Hashing with Math.imul (MurmurHash3's constants): fast in V8, no BigInt, no allocation.

/** Hash of buf[s, e) with a seed (FNV-style byte loop, MurmurHash3 finaliser). */
function hashBytes(buf: Uint8Array, s: number, e: number, seed: number): number {
  let h = seed | 0;
  for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  return finish(h ^ (e - s));
}

/** Mixes an integer-valued double (|v| ≤ 2^53) into a running hash, both 32-bit words. */
function mixNumber(h: number, v: number): number {
  const lo = v >>> 0; // ToUint32: the low word, for negative values too
  const hi = Math.floor(v / 4294967296) | 0;
  let k = Math.imul(lo, 0xcc9e2d51);
  k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  h ^= k;
  h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  k = Math.imul(hi, 0xcc9e2d51);
  k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  h ^= k;
  return (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's 32-bit finaliser (avalanche). */
function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}
