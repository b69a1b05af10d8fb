import * as fs from "node:fs";
import * as zlib from "node:zlib";
import { SparkifyError } from "../errors";
import type { SourceFile } from "./sourceFile";

/** True when the file starts with the gzip magic bytes (extension is not trusted). */
export function isGzipFile(path: string): boolean {
  const fd = fs.openSync(path, "r");
  try {
    const b = Buffer.alloc(2);
    const n = fs.readSync(fd, b, 0, 2, 0);
    return n === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Feeds the (decompressed) bytes of a file to `onChunk`, in order. `onRaw` gets the count of bytes
 * read from disk, for progress. A broken gzip stream becomes a SparkifyError naming the file and the
 * compressed byte offset where it broke.
 */
export async function streamBytes(
  file: SourceFile,
  onChunk: (chunk: Buffer) => void | Promise<void>,
  onRaw?: (bytes: number) => void,
): Promise<void> {
  const input = fs.createReadStream(file.path, { highWaterMark: 4 << 20 });
  input.on("data", (c) => onRaw?.(c.length));
  if (!file.gzip) {
    for await (const chunk of input) await onChunk(chunk as Buffer);
    return;
  }
  const gunzip = zlib.createGunzip({ chunkSize: 1 << 20 });
  input.on("error", (e) => gunzip.destroy(e));
  input.pipe(gunzip);
  try {
    for await (const chunk of gunzip) await onChunk(chunk as Buffer);
  } catch (err) {
    input.destroy();
    const e = err as NodeJS.ErrnoException;
    if (e.code === "ENOENT" || e.code === "EACCES") throw err;
    const offset = gunzip.bytesWritten;
    if (e.code === "Z_BUF_ERROR" || /unexpected end of file/i.test(e.message)) {
      throw new SparkifyError(
        "E_GZIP_CORRUPT",
        `truncated gzip: ${file.source} ends at byte ${offset} of the compressed stream before the gzip end marker (file is ${file.bytes} bytes); re-copy or re-download it`,
        { cause: err },
      );
    }
    throw new SparkifyError("E_GZIP_CORRUPT", `corrupt gzip: ${file.source} at compressed byte ${offset}: ${e.message}`, { cause: err });
  } finally {
    input.destroy();
  }
}

/**
 * Newline bytes in `buf`. Four bytes at a time (SWAR on a Uint32Array view): a per-line indexOf
 * call costs more than the bytes themselves, and counting runs beside DuckDB's scan on every load.
 */
export function countNewlines(buf: Uint8Array): number {
  let n = 0;
  const head = Math.min(buf.length, (4 - (buf.byteOffset & 3)) & 3);
  for (let i = 0; i < head; i++) if (buf[i] === 10) n++;
  const words = (buf.length - head) >>> 2;
  const w = new Uint32Array(buf.buffer, buf.byteOffset + head, words);
  for (let i = 0; i < words; i++) {
    const x = w[i] ^ 0x0a0a0a0a; // bytes equal to "\n" become 0
    const nonZero = ((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x; // high bit set in every non-zero byte
    const zero = ~nonZero & 0x80808080;
    if (zero !== 0) n += Math.imul(zero >>> 7, 0x01010101) >>> 24;
  }
  for (let i = head + words * 4; i < buf.length; i++) if (buf[i] === 10) n++;
  return n;
}

/** Read size of the line counter (one buffer reused for the whole file). */
const COUNT_CHUNK = 8 << 20;

/** Line count of a file: newline bytes, plus one for a last line without a newline. */
export async function countLines(file: SourceFile, onRaw?: (bytes: number) => void): Promise<number> {
  let lines = 0;
  let last = 10;
  if (!file.gzip) {
    const fh = await fs.promises.open(file.path, "r");
    try {
      const buf = Buffer.allocUnsafe(COUNT_CHUNK);
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, COUNT_CHUNK, null);
        if (bytesRead === 0) break;
        lines += countNewlines(buf.subarray(0, bytesRead));
        last = buf[bytesRead - 1];
        onRaw?.(bytesRead);
      }
    } finally {
      await fh.close();
    }
    return last === 10 ? lines : lines + 1;
  }
  await streamBytes(
    file,
    (chunk) => {
      lines += countNewlines(chunk);
      if (chunk.length > 0) last = chunk[chunk.length - 1];
    },
    onRaw,
  );
  return last === 10 ? lines : lines + 1;
}

/**
 * Calls `onLine(line, lineNumber)` for every line (1-based, without the newline or a trailing CR).
 * The buffer is only valid during the call. Works on gzip and on lines of any length.
 */
export async function forEachLine(
  file: SourceFile,
  onLine: (line: Buffer, lineNumber: number) => void | Promise<void>,
  onRaw?: (bytes: number) => void,
): Promise<number> {
  let n = 0;
  let carry: Buffer[] = [];
  const emit = async (buf: Buffer): Promise<void> => {
    n++;
    const end = buf.length > 0 && buf[buf.length - 1] === 13 ? buf.length - 1 : buf.length;
    await onLine(buf.subarray(0, end), n);
  };
  await streamBytes(
    file,
    async (chunk) => {
      let start = 0;
      let i = chunk.indexOf(10);
      while (i !== -1) {
        if (carry.length > 0) {
          carry.push(chunk.subarray(start, i));
          const whole = Buffer.concat(carry);
          carry = [];
          await emit(whole);
        } else {
          await emit(chunk.subarray(start, i));
        }
        start = i + 1;
        i = chunk.indexOf(10, start);
      }
      // The chunk buffer is reused by no one, but copy so the carry never pins huge chunks.
      if (start < chunk.length) carry.push(Buffer.from(chunk.subarray(start)));
    },
    onRaw,
  );
  if (carry.length > 0) await emit(Buffer.concat(carry));
  return n;
}
