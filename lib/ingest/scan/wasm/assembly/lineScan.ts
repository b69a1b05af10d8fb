// The line check of the load's scan, in AssemblyScript compiled to WebAssembly with SIMD
// (`npm run build:wasm`; the module is committed as ../lineScanWasm.ts). The host
// (../../lineScanner.ts) writes the field tables, places the bytes to scan in this module's memory
// and reads back one record per kept event; the rules of what is proven are documented there.
//
// Endless loops are written `while (true)`: AssemblyScript 0.28 took `for (;;) { … break; }` as a
// loop that never ends and dropped the code after it (the counts compiled to constant zeros).
//
// Memory past __heap_base belongs to the host. Every read may run up to 16 bytes past the
// region's end (the host keeps that padding): a line always ends at its newline before that.

/** Most fields the tables hold (field bits are a 32-bit mask). */
const MAX_FIELDS = 32;
/** Kinds of field values (as the host numbers them). */
const STR: u32 = 0;
const INT32: u32 = 1;
const DOUBLE: u32 = 3;
/** Longer lines are left to the strict path (DuckDB's reader stops at 16 MiB). */
const MAX_LINE_BYTES: usize = 16_000_000;
/** Stands for a null itemInSession in key hashes: more digits than the scan accepts. */
const NULL_ITEM: i64 = 1 << 53;
/** Bytes of a record's integer part: 7 int32 (see writeRecord). */
const RECORD_I32_BYTES: usize = 28;

// Tables the host fills (init): per field its name and closing quote as 16 bytes and a byte mask,
// the name's length + 1, the kind, and a lookup of names by (length, first byte).
const KEYS = memory.data(MAX_FIELDS * 16, 16);
const MASKS = memory.data(MAX_FIELDS * 16, 16);
const KEY_LENGTH = memory.data(MAX_FIELDS);
const KIND = memory.data(MAX_FIELDS);
const LOOKUP = memory.data(32 * 128);
/** The key that followed each key (and the line start, at fieldCount) in the last line that had it. */
const NEXT_KEY = memory.data(MAX_FIELDS + 1);
/** Integer values of the current line, by field. */
const NUMS = memory.data(MAX_FIELDS * 8, 8);

let fieldCount: i32 = 0;
let fUser: i32 = 0;
let fTs: i32 = 0;
let fSession: i32 = 0;
let fItem: i32 = 0;
let fReg: i32 = 0;
let requiredMask: u32 = 0;
let optionalMask: u32 = 0;
let normaliseUserId = false;
let dropNoUser = false;

// Counts over every region scanned since init.
let rows: f64 = 0;
let numericUserIds: f64 = 0;
let noUser: f64 = 0;
let nullRows: f64 = 0;
let minTs: f64 = Infinity;
let maxTs: f64 = -Infinity;

// State of the current scan call.
let base: usize = 0;
let recI32: usize = 0;
let recF64: usize = 0;
let recCount: i32 = 0;
let reached: usize = 0;
let lineCount: i32 = 0;
let failure: i32 = 0;
let userStart: usize = 0;
let userEnd: usize = 0;

/** Where the host's memory starts (after this module's static data), 64-byte aligned. */
export function heapBase(): usize {
  return (__heap_base + 63) & ~63;
}
export function keysPtr(): usize { return KEYS; }
export function masksPtr(): usize { return MASKS; }
export function keyLengthPtr(): usize { return KEY_LENGTH; }
export function kindPtr(): usize { return KIND; }
export function lookupPtr(): usize { return LOOKUP; }

/** Sets the fields and rules (after the host filled the tables) and zeroes the counts. */
export function init(count: i32, user: i32, ts: i32, session: i32, item: i32, reg: i32, required: u32, optional: u32, normalise: bool, drop: bool): void {
  fieldCount = count;
  fUser = user;
  fTs = ts;
  fSession = session;
  fItem = item;
  fReg = reg;
  requiredMask = required;
  optionalMask = optional;
  normaliseUserId = normalise;
  dropNoUser = drop;
  memory.fill(NEXT_KEY, 0xff, MAX_FIELDS + 1);
  rows = numericUserIds = noUser = nullRows = 0;
  minTs = Infinity;
  maxTs = -Infinity;
}

export function getRows(): f64 { return rows; }
export function getNumericUserIds(): f64 { return numericUserIds; }
export function getNoUser(): f64 { return noUser; }
export function getNullRows(): f64 { return nullRows; }
export function getMinTs(): f64 { return minTs; }
export function getMaxTs(): f64 { return maxTs; }
/** Where the last scan call stopped: the next line's start, or the start of the line not proven. */
export function getReached(): usize { return reached; }
/** Lines the last scan call went through (the one not proven included). */
export function getLineCount(): i32 { return lineCount; }
/** 0, or why the last line of the last scan call was not proven (the host's reason number). */
export function getFailure(): i32 { return failure; }

/**
 * Scans the lines of [start, end) (the last one ends with a newline) until the end, a line that is
 * not proven, or `recCap` records; record positions are relative to `regionBase`. Returns the records.
 */
export function scan(regionBase: usize, start: usize, end: usize, i32Out: usize, f64Out: usize, recCap: i32): i32 {
  base = regionBase;
  recI32 = i32Out;
  recF64 = f64Out;
  recCount = 0;
  lineCount = 0;
  failure = 0;
  let p = start;
  while (p < end && recCount < recCap) {
    lineCount++;
    const next = scanLine(p);
    if (next < 0 || <usize>next - p > MAX_LINE_BYTES) {
      failure = next < 0 ? <i32>-next : 9;
      break;
    }
    p = <usize>next;
  }
  reached = p;
  return recCount;
}

// @ts-ignore: decorator
@inline function keyAt(p: usize, f: i32): bool {
  const o = <usize>f << 4;
  return !v128.any_true(v128.and(v128.xor(v128.load(p), v128.load(KEYS + o)), v128.load(MASKS + o)));
}

function sameName(s: usize, f: i32, len: usize): bool {
  const name = KEYS + (<usize>f << 4);
  for (let i: usize = 0; i < len; i++) if (load<u8>(s + i) != load<u8>(name + i)) return false;
  return true;
}

function fieldOf(s: usize, len: usize): i32 {
  if (len == 0 || len >= 32) return -1;
  const c = <usize>load<u8>(s);
  if (c >= 128) return -1;
  const f = <i32>load<i8>(LOOKUP + len * 128 + c);
  if (f >= 0) return sameName(s, f, len) ? f : -1;
  if (f == -1) return -1;
  for (let g = 0; g < fieldCount; g++) {
    if (<usize>load<u8>(KEY_LENGTH + g) == len + 1 && sameName(s, g, len)) return g;
  }
  return -1;
}

// @ts-ignore: decorator
@inline function isHex(c: u32): bool {
  return c - 48 < 10 || (c | 32) - 97 < 6;
}

// @ts-ignore: decorator
@inline function hexValue(c: u32): u32 {
  return c <= 57 ? c - 48 : (c | 32) - 87;
}

/** Position after the escape whose backslash is just before `p`, or -1 when the fast check leaves it. */
function skipEscape(p: usize): isize {
  const e = <u32>load<u8>(p++);
  if (e == 117) {
    const a = <u32>load<u8>(p), b = <u32>load<u8>(p + 1), c = <u32>load<u8>(p + 2), d = <u32>load<u8>(p + 3);
    if (!isHex(a) || !isHex(b) || !isHex(c) || !isHex(d)) return -1;
    const code = (hexValue(a) << 12) | (hexValue(b) << 8) | (hexValue(c) << 4) | hexValue(d);
    // Surrogates (pairs or lone) and NUL are left to the strict path.
    if (code == 0 || (code >= 0xd800 && code <= 0xdfff)) return -1;
    return <isize>(p + 4);
  }
  return e == 34 || e == 92 || e == 47 || e == 98 || e == 102 || e == 110 || e == 114 || e == 116 ? <isize>p : -1;
}

/**
 * Position after the closing quote of a string starting at `p` (after the opening quote), or -1.
 * Sixteen bytes at a time: the first quote, backslash or control byte ends the run.
 */
function skipString(p: usize, escapes: bool): isize {
  const quote = i8x16.splat(34);
  const backslash = i8x16.splat(92);
  const space = i8x16.splat(32);
  while (true) {
    const v = v128.load(p);
    const stops = i8x16.bitmask(v128.or(v128.or(i8x16.eq(v, quote), i8x16.eq(v, backslash)), i8x16.lt_u(v, space)));
    if (stops == 0) {
      p += 16;
      continue;
    }
    p += <usize>ctz(stops);
    const c = load<u8>(p++);
    if (c == 34) return <isize>p;
    if (c < 32 || !escapes) return -1; // a raw control character (the line's own newline included): not JSON
    const q = skipEscape(p); // c is a backslash
    if (q < 0) return -1;
    p = <usize>q;
  }
}

/** Scans one line starting at `p`; returns the start of the next line, or -(reason number). */
function scanLine(p: usize): isize {
  while (load<u8>(p) == 32) p++;
  if (load<u8>(p) != 123) return -1;
  p++;
  while (load<u8>(p) == 32) p++;
  let seen: u32 = 0;
  let nulls: u32 = 0;
  let numericUser = false;
  let prev = fieldCount;
  userStart = userEnd = 0;
  while (true) {
    if (load<u8>(p) != 34) return -2;
    const ks = ++p;
    // Files keep one key order: try the key that followed the previous one last time.
    let f = <i32>load<i8>(NEXT_KEY + prev);
    if (f >= 0 && keyAt(ks, f)) {
      p = ks + <usize>load<u8>(KEY_LENGTH + f);
    } else {
      let c = <u32>load<u8>(p);
      while (c != 34 && c >= 32 && c != 92) c = load<u8>(++p);
      if (c != 34) return -2;
      f = fieldOf(ks, p - ks);
      p++;
      if (f < 0) return -3;
      store<i8>(NEXT_KEY + prev, f);
    }
    prev = f;
    const bit: u32 = 1 << f;
    if ((seen & bit) != 0) return -4;
    seen |= bit;
    while (load<u8>(p) == 32) p++;
    if (load<u8>(p) != 58) return -2;
    p++;
    while (load<u8>(p) == 32) p++;
    let c = <u32>load<u8>(p);
    const kind = <u32>load<u8>(KIND + f);
    if (c == 110) {
      if (load<u8>(p + 1) != 117 || load<u8>(p + 2) != 108 || load<u8>(p + 3) != 108) return -2;
      p += 4;
      nulls |= bit;
    } else if (c == 34) {
      if (kind != STR) return -5;
      const vs = p + 1;
      const e = skipString(vs, f != fUser); // an escaped userId would need decoding to compare
      if (e < 0) return -6;
      p = <usize>e;
      if (f == fUser) {
        userStart = vs;
        userEnd = p - 1;
      }
    } else if (c == 45 || c - 48 < 10) {
      const vs = p;
      let neg = false;
      if (c == 45) {
        neg = true;
        c = load<u8>(++p);
      }
      const ds = p;
      let v: i64 = 0;
      if (c == 48) {
        c = load<u8>(++p);
      } else if (c - 49 < 9) {
        while (c - 48 < 10) {
          v = v * 10 + <i64>(c - 48);
          c = load<u8>(++p);
        }
      } else return -2;
      const digits = p - ds;
      if (kind == DOUBLE) {
        if (c == 46) {
          c = load<u8>(++p);
          const fs = p;
          while (c - 48 < 10) c = load<u8>(++p);
          if (p == fs) return -2;
        }
        if (c == 101 || c == 69 || p - vs > 40) return -7; // exponents and huge literals: strict path
      } else {
        if (c == 46 || c == 101 || c == 69) return -7;
        const userAsNumber = f == fUser;
        if (kind == STR && !(userAsNumber && normaliseUserId)) return -5;
        // Up to 15 digits is exact in a double and inside BIGINT; "-0" does not round-trip.
        if (digits > (kind == INT32 ? 9 : 15) || (neg && v == 0)) return -7;
        store<i64>(NUMS + (<usize>f << 3), neg ? -v : v);
        if (userAsNumber) {
          numericUser = true;
          userStart = vs;
          userEnd = p;
        }
      }
    } else {
      return -5; // true, false, objects, arrays (or not JSON): the strict path names it
    }
    while (load<u8>(p) == 32) p++;
    c = load<u8>(p);
    if (c == 44) {
      p++;
      while (load<u8>(p) == 32) p++;
      continue;
    }
    if (c == 125) {
      p++;
      break;
    }
    return -2;
  }
  if (load<u8>(p) == 13) p++;
  if (load<u8>(p) != 10) return -2;
  p++;
  const present = seen & ~nulls;
  if ((present & requiredMask) != requiredMask) return -8;
  rows++;
  if (numericUser) numericUserIds++;
  const hasUser = (present & (<u32>1 << fUser)) != 0 && userEnd > userStart;
  if (!hasUser) {
    userStart = userEnd = p; // the empty id
    if (dropNoUser) {
      noUser++;
      return <isize>p;
    }
  }
  if (((~seen | nulls) & optionalMask) != 0) nullRows++;
  writeRecord(present);
  return <isize>p;
}

/**
 * Appends the kept event's record: int32 [user start, user end (relative to the region), user
 * hash, first 8 bytes of the id as two little-endian words, the two halves of the key's
 * fingerprint], float64 [ts, latest registration or -Infinity].
 */
function writeRecord(present: u32): void {
  const ts = load<i64>(NUMS + (<usize>fTs << 3));
  const tsf = <f64>ts;
  if (tsf < minTs) minTs = tsf;
  if (tsf > maxTs) maxTs = tsf;
  const reg: f64 = (present & (<u32>1 << fReg)) != 0 ? <f64>load<i64>(NUMS + (<usize>fReg << 3)) : -Infinity;
  const item: i64 = (present & (<u32>1 << fItem)) != 0 ? load<i64>(NUMS + (<usize>fItem << 3)) : NULL_ITEM;
  const session = load<i64>(NUMS + (<usize>fSession << 3));
  const us = userStart;
  const ue = userEnd;
  const len = ue - us;
  // Two byte hashes of the id in one loop (FNV-style, MurmurHash3 finaliser).
  let a: u32 = 0x9747b28c;
  let b: u32 = 0x2545f491;
  for (let i = us; i < ue; i++) {
    const byte = <u32>load<u8>(i);
    a = (a ^ byte) * 0x01000193;
    b = (b ^ byte) * 0x01000193;
  }
  const userHash = finish(a ^ <u32>len);
  const h1 = finish(mixNumber(mixNumber(mixNumber(userHash, session), item), ts));
  const h2 = finish(mixNumber(mixNumber(mixNumber(finish(b ^ <u32>len), ts), session), item));
  let head = load<u64>(us);
  if (len < 8) head &= (<u64>1 << (<u64>len << 3)) - 1;
  const r = <usize>recCount;
  recCount++;
  const o = recI32 + r * RECORD_I32_BYTES;
  store<i32>(o, <i32>(us - base));
  store<i32>(o, <i32>(ue - base), 4);
  store<u32>(o, userHash, 8);
  store<u32>(o, <u32>head, 12);
  store<u32>(o, <u32>(head >> 32), 16);
  store<u32>(o, h1, 20);
  store<u32>(o, h2, 24);
  store<f64>(recF64 + (r << 4), tsf);
  store<f64>(recF64 + (r << 4), reg, 8);
}

/** Mixes a 64-bit integer into a running hash, both 32-bit words (MurmurHash3's block step). */
// @ts-ignore: decorator
@inline function mixNumber(h: u32, v: i64): u32 {
  h = mixWord(h, <u32>v);
  return mixWord(h, <u32>(v >> 32));
}

// @ts-ignore: decorator
@inline function mixWord(h: u32, w: u32): u32 {
  let k = w * 0xcc9e2d51;
  k = rotl<u32>(k, 15) * 0x1b873593;
  h ^= k;
  return rotl<u32>(h, 13) * 5 + 0xe6546b64;
}

/** MurmurHash3's 32-bit finaliser (avalanche). */
// @ts-ignore: decorator
@inline function finish(h: u32): u32 {
  h ^= h >> 16;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  h *= 0xc2b2ae35;
  return h ^ (h >> 16);
}
