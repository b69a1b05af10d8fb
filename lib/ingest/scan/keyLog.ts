/** Partitions of a key log, by the top bits of the first hash. */
export const KEY_PARTITIONS = 256;

/** One thread's key log, as it crosses to the main thread (the buffers are transferred). */
export interface KeyLogData {
  /** Per partition: pairs of 32-bit hashes, `counts[p]` pairs used. */
  parts: ArrayBuffer[];
  counts: number[];
}

/**
 * The event keys a thread met, as 64-bit fingerprints (two 32-bit hashes) appended to one of 256
 * partitions. Appends are sequential writes into a few hot cache lines; a shared hash table was
 * measured 5× slower here, as every insert was a cache and TLB miss in a table of hundreds of MB.
 * Repeats are found afterwards, one cache-sized partition at a time (countRepeatedKeys).
 */
export class KeyLog {
  private readonly parts: Int32Array[] = [];
  private readonly counts = new Int32Array(KEY_PARTITIONS);

  constructor(expectedKeys: number) {
    const start = Math.max(256, Math.ceil((expectedKeys / KEY_PARTITIONS) * 1.1)) * 2;
    for (let p = 0; p < KEY_PARTITIONS; p++) this.parts.push(new Int32Array(start));
  }

  /** Appends one key's fingerprint. */
  add(h1: number, h2: number): void {
    const p = h1 >>> 24;
    let part = this.parts[p];
    const i = this.counts[p] * 2;
    if (i === part.length) {
      const bigger = new Int32Array(part.length * 2);
      bigger.set(part);
      this.parts[p] = part = bigger;
    }
    part[i] = h1;
    part[i + 1] = h2;
    this.counts[p]++;
  }

  /** The log's partitions, to transfer to the main thread. */
  data(): KeyLogData {
    return { parts: this.parts.map((a) => a.buffer as ArrayBuffer), counts: Array.from(this.counts) };
  }
}

/**
 * Keys met more than once across the logs of all threads (a fingerprint repeat is a candidate:
 * it can also be two different keys with equal 64-bit hashes, which the caller settles exactly).
 */
export function countRepeatedKeys(logs: KeyLogData[]): number {
  let repeats = 0;
  let slots = new Int32Array(1 << 10);
  for (let p = 0; p < KEY_PARTITIONS; p++) {
    const total = logs.reduce((s, l) => s + l.counts[p], 0);
    let size = 1 << 10;
    while (size < total * 2) size *= 2;
    if (slots.length !== size) slots = new Int32Array(size);
    else slots.fill(0);
    const mask = size - 1;
    const views = logs.map((log) => new Int32Array(log.parts[p], 0, log.counts[p] * 2));
    // Slots hold (log, entry) as entry * logs.length + log + 1.
    for (let l = 0; l < logs.length; l++) {
      const pairs = views[l];
      for (let e = 0; e < pairs.length; e += 2) {
        const h1 = pairs[e];
        const h2 = pairs[e + 1];
        let i = h1 & mask;
        for (;;) {
          const s = slots[i];
          if (s === 0) {
            slots[i] = (e >> 1) * logs.length + l + 1;
            break;
          }
          const ol = (s - 1) % logs.length;
          const oe = ((s - 1 - ol) / logs.length) * 2;
          const other = views[ol];
          if (other[oe] === h1 && other[oe + 1] === h2) {
            repeats++;
            break;
          }
          i = (i + 1) & mask;
        }
      }
    }
  }
  return repeats;
}
