/** Per-user figures of a scan, as plain arrays that cross threads (structured clone). */
export interface UserFigures {
  ids: string[];
  /** First event time (epoch ms) per user. */
  firstTs: Float64Array;
  /** Latest registration per user, -Infinity when every registration was null. */
  maxRegistration: Float64Array;
}

// Slot layout, 32 bytes (half a cache line), so that a lookup of a short id touches one line:
// float64 [0] first event, [1] latest registration; int32 [4] hash, [5] id length + 1 (0: empty),
// [6..7] the first 8 bytes of the id. Longer ids keep the rest in `arena`.
const SLOT_BYTES = 32;
const F64_PER_SLOT = SLOT_BYTES / 8;
const I32_PER_SLOT = SLOT_BYTES / 4;
const HASH = 4;
const LEN = 5;
const HEAD = 6;
const INLINE_BYTES = 8;

/**
 * The users of a scan: an open-addressing table from userId bytes to each user's first event and
 * latest registration (the registration_after_first_event rule). Ids are compared byte for byte,
 * so two users never merge on a hash collision. One per thread.
 */
export class UserTable {
  private buffer = new ArrayBuffer(SLOT_BYTES << 12);
  private f64 = new Float64Array(this.buffer);
  private i32 = new Int32Array(this.buffer);
  private mask = (1 << 12) - 1;
  /** Bytes past the first 8 of long ids, and where each slot's tail starts. */
  private arena = new Uint8Array(1 << 12);
  private arenaUsed = 0;
  private tails = new Int32Array(1 << 12);
  /** Users so far. */
  size = 0;

  /**
   * Adds one event of the user whose id is buf[s, e) (hash h; w0, w1: its first 8 bytes as
   * little-endian words, zero past its end).
   */
  add(buf: Uint8Array, s: number, e: number, h: number, w0: number, w1: number, ts: number, reg: number): void {
    const len = e - s;
    const i32 = this.i32;
    let slot = h & this.mask;
    for (;;) {
      const b = slot * I32_PER_SLOT;
      const stored = i32[b + LEN];
      if (stored === 0) break;
      if (i32[b + HASH] === h && stored === len + 1 && i32[b + HEAD] === w0 && i32[b + HEAD + 1] === w1 && (len <= INLINE_BYTES || this.sameTail(slot, buf, s, len))) {
        const f = slot * F64_PER_SLOT;
        if (ts < this.f64[f]) this.f64[f] = ts;
        if (reg > this.f64[f + 1]) this.f64[f + 1] = reg;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
    this.insert(slot, buf, s, len, h, w0, w1, ts, reg);
    if (++this.size * 2 > this.mask + 1) this.grow();
  }

  /** The users' ids and figures. */
  figures(): UserFigures {
    const decoder = new TextDecoder();
    const ids: string[] = [];
    const firstTs = new Float64Array(this.size);
    const maxRegistration = new Float64Array(this.size);
    const bytes = new Uint8Array(this.buffer);
    for (let slot = 0, u = 0; slot <= this.mask; slot++) {
      const b = slot * I32_PER_SLOT;
      const len = this.i32[b + LEN] - 1;
      if (len < 0) continue;
      const head = bytes.subarray(slot * SLOT_BYTES + HEAD * 4, slot * SLOT_BYTES + HEAD * 4 + Math.min(len, INLINE_BYTES));
      const tail = len > INLINE_BYTES ? this.arena.subarray(this.tails[slot], this.tails[slot] + len - INLINE_BYTES) : new Uint8Array(0);
      const id = new Uint8Array(len);
      id.set(head);
      id.set(tail, head.length);
      ids.push(decoder.decode(id));
      firstTs[u] = this.f64[slot * F64_PER_SLOT];
      maxRegistration[u] = this.f64[slot * F64_PER_SLOT + 1];
      u++;
    }
    return { ids, firstTs, maxRegistration };
  }

  private sameTail(slot: number, buf: Uint8Array, s: number, len: number): boolean {
    const t = this.tails[slot];
    for (let k = INLINE_BYTES; k < len; k++) if (this.arena[t + k - INLINE_BYTES] !== buf[s + k]) return false;
    return true;
  }

  private insert(slot: number, buf: Uint8Array, s: number, len: number, h: number, w0: number, w1: number, ts: number, reg: number): void {
    const b = slot * I32_PER_SLOT;
    this.i32[b + HASH] = h;
    this.i32[b + LEN] = len + 1;
    this.i32[b + HEAD] = w0;
    this.i32[b + HEAD + 1] = w1;
    this.f64[slot * F64_PER_SLOT] = ts;
    this.f64[slot * F64_PER_SLOT + 1] = reg;
    if (len > INLINE_BYTES) {
      const rest = len - INLINE_BYTES;
      if (this.arenaUsed + rest > this.arena.length) {
        const bigger = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + rest));
        bigger.set(this.arena.subarray(0, this.arenaUsed));
        this.arena = bigger;
      }
      this.arena.set(buf.subarray(s + INLINE_BYTES, s + len), this.arenaUsed);
      this.tails[slot] = this.arenaUsed;
      this.arenaUsed += rest;
    }
  }

  /** Doubles the table, moving every slot (and its tail offset) to its new place. */
  private grow(): void {
    const old = { i32: this.i32, f64: this.f64, tails: this.tails, slots: this.mask + 1 };
    const slots = old.slots * 2;
    this.buffer = new ArrayBuffer(slots * SLOT_BYTES);
    this.i32 = new Int32Array(this.buffer);
    this.f64 = new Float64Array(this.buffer);
    this.tails = new Int32Array(slots);
    this.mask = slots - 1;
    for (let from = 0; from < old.slots; from++) {
      const b = from * I32_PER_SLOT;
      if (old.i32[b + LEN] === 0) continue;
      let to = old.i32[b + HASH] & this.mask;
      while (this.i32[to * I32_PER_SLOT + LEN] !== 0) to = (to + 1) & this.mask;
      this.i32.set(old.i32.subarray(b, b + I32_PER_SLOT), to * I32_PER_SLOT);
      this.tails[to] = old.tails[from];
    }
  }
}
