/**
 * Writes the decimal digits of a non-negative integer (< 2^53) into `buf` at `pos` and returns the
 * position after them: the hot loops format numbers without creating strings.
 */
export function writeDigits(buf: Uint8Array, pos: number, n: number): number {
  if (n < 10) {
    buf[pos] = 48 + n;
    return pos + 1;
  }
  let digits = 0;
  for (let m = n; m >= 1; m = Math.floor(m / 10)) digits++;
  let end = pos + digits;
  for (let m = n; end > pos; m = Math.floor(m / 10)) buf[--end] = 48 + (m % 10);
  return pos + digits;
}

/**
 * Copies src[from .. to) into dst at `pos` and returns the position after it. A plain loop: for the
 * short pieces of an event line it beats Buffer#copy, which allocates a view per call.
 */
export function copyBytes(dst: Uint8Array, pos: number, src: Uint8Array, from = 0, to = src.length): number {
  for (let i = from; i < to; i++) dst[pos++] = src[i];
  return pos;
}
