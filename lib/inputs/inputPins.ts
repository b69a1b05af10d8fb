import * as fs from "node:fs";
import { SparkifyError } from "../errors";
import type { SourceFile } from "./sourceFile";

/** The identity of one input file when the load began: what must not change while the run reads it. */
export interface InputPin {
  /** What the user named (path or s3:// URL). */
  source: string;
  /** The local file read. */
  path: string;
  bytes: number;
  mtimeMs: number;
  ino: number;
  dev: number;
  /** The S3 object's ETag, for objects read from the cache. */
  etag?: string;
}

function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}

/** Records size, mtime and inode of every input file (throws if one already differs from its listing). */
export function pinInputs(files: SourceFile[]): InputPin[] {
  return files.map((f) => {
    const st = statOrNull(f.path);
    if (!st || st.size !== f.bytes) throw changed(f.source, f.path, st ? `${f.bytes} bytes when listed, ${st.size} now` : "it is gone");
    return { source: f.source, path: f.path, bytes: st.size, mtimeMs: st.mtimeMs, ino: st.ino, dev: st.dev, ...(f.etag ? { etag: f.etag } : {}) };
  });
}

function changed(source: string, file: string, how: string): SparkifyError {
  const where = source === file ? file : `${source} (${file})`;
  return new SparkifyError("E_INPUT_CHANGED", `input changed while being read: ${where}: ${how}. Results would mix two versions of it; run again once it no longer changes`);
}

/** Throws E_INPUT_CHANGED ("input changed while being read: FILE") if any pinned file changed. */
export function checkPins(pins: readonly InputPin[]): void {
  for (const p of pins) {
    const st = statOrNull(p.path);
    if (!st) throw changed(p.source, p.path, "it was removed or renamed");
    if (st.ino !== p.ino || st.dev !== p.dev) throw changed(p.source, p.path, "it was replaced by another file");
    if (st.size !== p.bytes) throw changed(p.source, p.path, `${p.bytes} bytes at the start, ${st.size} now`);
    if (st.mtimeMs !== p.mtimeMs) throw changed(p.source, p.path, `modified at ${new Date(st.mtimeMs).toISOString()}, after the load began`);
  }
}
