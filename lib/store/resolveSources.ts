import * as fs from "node:fs";
import * as path from "node:path";
import { SparkifyError } from "../errors";
import { ProgressBar } from "../progress";
import { createS3Client, fetchS3Source, isS3Url } from "./s3";
import { isDataKey } from "./s3/listS3Objects";
import { isGzipFile } from "./streamBytes";
import type { SourceFile } from "./types";

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

/** Local files a path, folder (all part files below it) or glob names; throws when there are none. */
export function resolveLocal(source: string): string[] {
  if (GLOB_CHARS.test(source)) {
    const abs = path.resolve(source).split(path.sep).join("/");
    const parts = abs.split("/");
    const firstGlob = parts.findIndex((p) => GLOB_CHARS.test(p));
    const base = parts.slice(0, firstGlob).join("/") || "/";
    if (!fs.existsSync(base)) throw new SparkifyError("E_INPUT_MISSING", `input not found: ${source} (folder ${base} does not exist)`);
    const re = globToRegExp(abs);
    const files = walk(base).filter((f) => re.test(f.split(path.sep).join("/")));
    if (files.length === 0) throw new SparkifyError("E_INPUT_MISSING", `no files match ${source}`);
    return files;
  }
  let st: fs.Stats;
  try {
    st = fs.statSync(source);
  } catch {
    throw new SparkifyError("E_INPUT_MISSING", `input not found: ${source}`);
  }
  if (st.isDirectory()) {
    const files = walk(source);
    if (files.length === 0) throw new SparkifyError("E_EMPTY_INPUT", `folder ${source} holds no data files`);
    return files;
  }
  return [source];
}

/**
 * Turns what the user named (paths, folders, globs, s3:// URLs) into local files to load. S3 objects
 * are downloaded into the cache first (resumable, verified, reused).
 */
export async function resolveSources(
  sources: string[],
  opts: { s3Endpoint?: string; cacheDir?: string; quiet?: boolean } = {},
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
          onTotal: (b) => bar.addTotal(b),
          onBytes: (b) => bar.increment(b),
        });
        for (const g of got) out.push({ source: g.url, path: g.path, bytes: g.bytes, gzip: g.bytes >= 2 && isGzipFile(g.path) });
      } finally {
        bar.stop();
        client.destroy();
      }
    } else {
      for (const p of resolveLocal(source)) {
        let bytes: number;
        try {
          fs.accessSync(p, fs.constants.R_OK);
          bytes = fs.statSync(p).size;
        } catch (err) {
          throw new SparkifyError("E_INPUT_UNREADABLE", `cannot read ${p}: ${(err as Error).message}`, { cause: err });
        }
        out.push({ source: p, path: path.resolve(p), bytes, gzip: bytes >= 2 && isGzipFile(p) });
      }
    }
  }
  return out;
}
