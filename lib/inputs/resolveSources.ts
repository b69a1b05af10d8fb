import * as fs from "node:fs";
import * as path from "node:path";
import { SparkifyError } from "../errors";
import { ProgressBar } from "../progress";
import { createS3Client, fetchS3Source, isS3Url } from "./s3";
import { isDataKey } from "./s3/listS3Objects";
import { isGzipFile } from "./streamBytes";
import type { SourceFile } from "./sourceFile";
import { convertedEventsFolder, isParquetFile } from "./parquetFiles";

const GLOB_CHARS = /[*?[]/;

/** Regular expression of a glob over "/"-separated paths: `**` any folders, `*` and `?` within one name. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*" && glob[i + 1] === "*") {
      re += glob[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += glob[i + 2] === "/" ? 2 : 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const close = glob.indexOf("]", i);
      if (close < 0) re += "\\[";
      else {
        re += `[${glob.slice(i + 1, close).replace(/^!/, "^")}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith(".") || e.name.startsWith("_")) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile() && isDataKey(e.name)) out.push(p);
  }
  return out.sort();
}

/** Marker file Spark (and `sparkify-churn simulate`) writes last into a finished folder of part files. */
export const SUCCESS_MARKER = "_SUCCESS";

/** True for Spark-style part files ("part-00000.json", "part-00000-<uuid>-c000.json.gz"). */
export function isPartFile(name: string): boolean {
  return name.startsWith("part-");
}

function incompleteError(what: string): SparkifyError {
  return new SparkifyError(
    "E_INPUT_INCOMPLETE",
    `${what} holds part files but no ${SUCCESS_MARKER} marker: the job that wrote it (Spark, or sparkify-churn simulate) did not finish or is still writing, so events may be missing. Load it anyway with --allow-incomplete`,
  );
}

/** Refuses a part-file folder without _SUCCESS (files: what was found in it). */
function checkComplete(folder: string, files: string[], opts: { allowIncomplete?: boolean }): void {
  if (opts.allowIncomplete || !files.some((f) => isPartFile(path.basename(f)))) return;
  if (!fs.existsSync(path.join(folder, SUCCESS_MARKER))) throw incompleteError(`folder ${folder}`);
}

/** The nearest folder from `file`'s up to `base` holding _SUCCESS, or null. */
function markedFolder(file: string, base: string): string | null {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, SUCCESS_MARKER))) return dir;
    if (dir === base || path.dirname(dir) === dir || path.relative(base, dir).startsWith("..")) return null;
  }
}

function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}

/**
 * Local files a path, folder (all part files below it) or glob names; throws when there are none. A
 * path naming an existing file or folder is taken as it is, whatever characters it holds ("events
 * [1].jsonl"); only a path that names nothing is read as a glob. A folder of part files (or part files
 * a glob picks) must hold Spark's _SUCCESS marker unless `allowIncomplete`.
 */
export function resolveLocal(source: string, opts: { allowIncomplete?: boolean } = {}): string[] {
  const literal = statOrNull(source);
  if (!literal && GLOB_CHARS.test(source)) {
    const abs = path.resolve(source).split(path.sep).join("/");
    const parts = abs.split("/");
    const firstGlob = parts.findIndex((p) => GLOB_CHARS.test(p));
    const base = parts.slice(0, firstGlob).join("/") || "/";
    if (!fs.existsSync(base)) throw new SparkifyError("E_INPUT_MISSING", `input not found: ${source} (folder ${base} does not exist)`);
    const re = globToRegExp(abs);
    const files = walk(base).filter((f) => re.test(f.split(path.sep).join("/")));
    if (files.length === 0) throw new SparkifyError("E_INPUT_MISSING", `no files match ${source}`);
    if (!opts.allowIncomplete) {
      for (const f of files) if (isPartFile(path.basename(f)) && !markedFolder(f, base)) throw incompleteError(`folder ${path.dirname(f)} (matched by ${source})`);
    }
    return files;
  }
  if (!literal) throw new SparkifyError("E_INPUT_MISSING", `input not found: ${source}`);
  if (literal.isDirectory()) {
    const converted = convertedEventsFolder(source); // a `convert` output: its events, not its report
    if (converted) return resolveLocal(converted, opts);
    const files = walk(source);
    if (files.length === 0) throw new SparkifyError("E_EMPTY_INPUT", `folder ${source} holds no data files`);
    checkComplete(source, files, opts);
    return files;
  }
  return [source];
}

/** The local files and input folders `sources` name (s3:// URLs skipped), for the output guard. */
export function localInputs(sources: string[], opts: { allowIncomplete?: boolean } = {}): { files: string[]; folders: string[] } {
  const files: string[] = [];
  const folders: string[] = [];
  for (const source of sources) {
    if (isS3Url(source)) continue;
    if (statOrNull(source)?.isDirectory()) folders.push(source);
    files.push(...resolveLocal(source, opts));
  }
  return { files, folders };
}

/**
 * Turns what the user named (paths, folders, globs, s3:// URLs) into local files to load. S3 objects
 * are downloaded into the private cache first (resumable, verified, reused after a hash check).
 */
export async function resolveSources(
  sources: string[],
  opts: { s3Endpoint?: string; cacheDir?: string; quiet?: boolean; allowIncomplete?: boolean } = {},
): Promise<SourceFile[]> {
  if (sources.length === 0) throw new SparkifyError("E_EMPTY_INPUT", "no input given");
  const out: SourceFile[] = [];
  for (const source of sources) {
    if (isS3Url(source)) {
      const client = createS3Client({ endpoint: opts.s3Endpoint });
      const bar = new ProgressBar({ label: "s3 download", totalBytes: 0, quiet: opts.quiet });
      try {
        const got = await fetchS3Source(client, source, {
          cacheDir: opts.cacheDir,
          allowIncomplete: opts.allowIncomplete,
          onWarning: (m) => {
            if (!opts.quiet) process.stderr.write(`warning: ${m}\n`);
          },
          onTotal: (b) => bar.addTotal(b),
          onBytes: (b) => bar.increment(b),
        });
        for (const g of got) out.push({ source: g.url, path: g.path, bytes: g.bytes, gzip: g.bytes >= 2 && isGzipFile(g.path), etag: g.etag, ...(isParquetFile(g.path) ? { format: "parquet" as const } : {}) });
      } finally {
        bar.stop();
        client.destroy();
      }
    } else {
      for (const p of resolveLocal(source, opts)) {
        let bytes: number;
        try {
          fs.accessSync(p, fs.constants.R_OK);
          bytes = fs.statSync(p).size;
        } catch (err) {
          throw new SparkifyError("E_INPUT_UNREADABLE", `cannot read ${p}: ${(err as Error).message}`, { cause: err });
        }
        out.push({ source: p, path: path.resolve(p), bytes, gzip: bytes >= 2 && isGzipFile(p), ...(isParquetFile(p) ? { format: "parquet" as const } : {}) });
      }
    }
  }
  return out;
}
