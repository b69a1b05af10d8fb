import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { GetObjectCommand, HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { SparkifyError } from "../../errors";
import { processAlive, sha256File, writeJsonAtomic } from "../../io";
import { ensurePrivateDir } from "./cacheDir";
import { formatS3Url, type S3Location } from "./parseS3Url";
import { s3Error } from "./s3Error";

/** How an object is fetched into the cache. */
export interface DownloadOptions {
  /** Cache folder (made private, mode 0700); objects land in cacheDir/bucket/key (see cachePath). */
  cacheDir: string;
  /** Bytes per ranged GET; default 8 MiB. */
  partSize?: number;
  /** Ranged GETs in flight; default 4. */
  concurrency?: number;
  /** Retries of one part after a broken transfer (each resumes where the bytes stopped); default 5. */
  maxRetries?: number;
  /** Called with the number of new bytes written, for progress. */
  onBytes?: (bytes: number) => void;
}

/** What a download did. */
export interface DownloadResult {
  path: string;
  bytes: number;
  etag: string;
  /** True when a verified copy from an earlier run was used without a transfer. */
  reused: boolean;
  /** Bytes received over the network in this call. */
  fetchedBytes: number;
  /** Ranged GETs that were resumed after a broken connection. */
  resumes: number;
  /** How the ETag was checked: "md5", "multipart-md5", or "unchanged" (ETag equal before and after). */
  verifiedBy: "md5" | "multipart-md5" | "unchanged";
  /** SHA-256 of the cached bytes, recorded at download and checked before each reuse. */
  sha256: string;
  /** True when a cached copy failed that check (changed on disk) and was downloaded again. */
  replacedDamaged: boolean;
}

/** What the cache keeps beside each object (NAME@meta.json). */
interface CacheMeta {
  bucket: string;
  key: string;
  etag: string;
  size: number;
  sha256: string;
  verifiedBy: DownloadResult["verifiedBy"];
  downloadedAt: string;
}

interface PartState {
  etag: string;
  size: number;
  partSize: number;
  /** Bytes already on disk for each part, from its start. */
  done: number[];
}

/** One key segment as a file name: percent-encoded (also ! ' ( ) *), "." and ".." escaped, long ones hashed; never holds "@". */
function segmentName(seg: string): string {
  const enc = encodeURIComponent(seg).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/^\.+$/, (d) => d.replace(/\./g, "%2E"));
  return enc.length <= 200 ? enc : `@h${createHash("sha256").update(seg).digest("hex")}`;
}

/**
 * Cache path of an object. Key segments stay readable but map one-to-one onto names that cannot
 * collide: folders end with "@", an object's file never holds "@" (but for hashed long names), and
 * its side files add "@meta.json", "@partial", "@lock". So keys "a" and "a/part-00000.json" of one
 * prefix live side by side (file "a", folder "a@"), and no key's file is another's side file.
 */
export function cachePath(cacheDir: string, loc: S3Location): string {
  const segs = loc.key.split("/");
  const last = segs.pop() ?? "";
  return path.join(cacheDir, `${segmentName(loc.bucket)}@`, ...segs.map((s) => `${segmentName(s)}@`), segmentName(last));
}

/** How long a download waits for another process's download of the same object before checking again. */
const LOCK_POLL_MS = 200;

interface ObjectLock {
  release(): void;
}

/**
 * Takes the per-object download lock (NAME@lock, holding the pid). Another live holder makes this
 * wait, re-checking `reusable` each time (one downloads, the others reuse its copy); a lock left by a
 * dead process is taken over. Returns `{ reused }` when a finished copy appeared while waiting.
 */
async function lockObject<T>(lockFile: string, reusable: () => Promise<T | null>): Promise<{ lock: ObjectLock } | { reused: T }> {
  for (;;) {
    const ready = await reusable();
    if (ready) return { reused: ready };
    try {
      const fd = fs.openSync(lockFile, "wx", 0o600);
      fs.writeSync(fd, JSON.stringify({ pid: process.pid, at: new Date().toISOString() }));
      fs.closeSync(fd);
      return { lock: { release: () => fs.rmSync(lockFile, { force: true }) } };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    let holder: { pid?: number } | null = null;
    try {
      holder = JSON.parse(fs.readFileSync(lockFile, "utf8"));
    } catch {
      holder = null; // being written, or gone already
    }
    if (holder && typeof holder.pid === "number" && !processAlive(holder.pid)) {
      // Left by a process that died: move it aside (only one taker wins the rename) and retry.
      const aside = `${lockFile}.stale-${process.pid}`;
      try {
        fs.renameSync(lockFile, aside);
        fs.rmSync(aside, { force: true });
      } catch {
        // another process took it over first
      }
      continue;
    }
    await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
  }
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch {
    return null;
  }
}

async function md5OfRanges(file: string, ranges: Array<[number, number]>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const [start, end] of ranges) {
    const h = createHash("md5");
    if (end >= start) for await (const c of fs.createReadStream(file, { start, end, highWaterMark: 1 << 20 })) h.update(c as Buffer);
    out.push(h.digest());
  }
  return out;
}

/** Checks the local bytes against the ETag: plain MD5, or MD5 of part MD5s for multipart uploads. */
async function verifyEtag(client: S3Client, loc: S3Location, file: string, etag: string, size: number): Promise<DownloadResult["verifiedBy"]> {
  const clean = etag.replace(/"/g, "");
  const plain = /^[0-9a-f]{32}$/i.exec(clean);
  const multi = /^([0-9a-f]{32})-(\d+)$/i.exec(clean);
  if (plain) {
    const [md5] = await md5OfRanges(file, [[0, size - 1]]);
    if (md5.toString("hex") !== clean.toLowerCase()) {
      throw new SparkifyError("E_S3_CORRUPT", `downloaded ${formatS3Url(loc)} does not match its ETag ${clean} (MD5 ${md5.toString("hex")}); the cached copy was removed, run again`);
    }
    return "md5";
  }
  if (multi) {
    // The ETag of a multipart upload is the MD5 of the parts' MD5s; the part size is not stored.
    // Ask the store (HEAD with PartNumber; radosgw ignores it), then try the part sizes common
    // tools use that give the same part count.
    const parts = Number(multi[2]);
    const candidates: number[] = [];
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: loc.bucket, Key: loc.key, PartNumber: 1 }));
      const p = Number(head.ContentLength ?? 0);
      if (p > 0 && p < size) candidates.push(p);
    } catch {
      // no PartNumber support: the common sizes below remain
    }
    const MiB = 1 << 20;
    for (const m of [5, 8, 16, 10, 32, 64, 100, 128, 256, 512]) candidates.push(m * MiB);
    const fits = [...new Set(candidates)].filter((p) => Math.ceil(size / p) === parts).slice(0, 3);
    for (const partSize of fits) {
      const ranges: Array<[number, number]> = [];
      for (let s = 0; s < size; s += partSize) ranges.push([s, Math.min(size, s + partSize) - 1]);
      const md5s = await md5OfRanges(file, ranges);
      if (createHash("md5").update(Buffer.concat(md5s)).digest("hex") === multi[1].toLowerCase()) return "multipart-md5";
    }
  }
  return "unchanged";
}

/**
 * Downloads one S3 object into the cache with parallel ranged GETs. A broken connection resumes at
 * the byte where it stopped (also across runs: progress is kept beside the partial file); a finished
 * object is verified by size and ETag, its SHA-256 recorded, and reused by later runs while its ETag
 * is unchanged and its bytes still hash to that SHA-256 (else it is downloaded again). Concurrent
 * downloads of one object (threads or processes) are serialised by a lock file: one downloads, the
 * others wait and reuse its copy.
 */
export async function downloadToCache(client: S3Client, loc: S3Location, opts: DownloadOptions): Promise<DownloadResult> {
  const url = formatS3Url(loc);
  let head;
  try {
    head = await client.send(new HeadObjectCommand({ Bucket: loc.bucket, Key: loc.key }));
  } catch (err) {
    throw s3Error(err, url);
  }
  const size = Number(head.ContentLength ?? 0);
  const etag = head.ETag ?? "";
  ensurePrivateDir(opts.cacheDir);
  const target = cachePath(opts.cacheDir, loc);
  const metaFile = `${target}@meta.json`;
  const partial = `${target}@partial`;
  const stateFile = `${partial}.json`;
  fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });

  let replacedDamaged = false;
  // A finished copy is reused only if its bytes still hash to what was recorded at download.
  const reusable = async (): Promise<DownloadResult | null> => {
    const meta = readJson<CacheMeta>(metaFile);
    if (!meta || meta.etag !== etag || meta.size !== size || typeof meta.sha256 !== "string") return null;
    let st: fs.Stats;
    try {
      st = fs.statSync(target);
    } catch {
      return null;
    }
    if (st.size === size && (await sha256File(target)) === meta.sha256) {
      return { path: target, bytes: size, etag, reused: true, fetchedBytes: 0, resumes: 0, verifiedBy: meta.verifiedBy, sha256: meta.sha256, replacedDamaged };
    }
    // Changed on disk since it was downloaded: never trusted again.
    replacedDamaged = true;
    fs.rmSync(metaFile, { force: true });
    fs.rmSync(target, { force: true });
    return null;
  };
  const locked = await lockObject(`${target}@lock`, reusable);
  if ("reused" in locked) return locked.reused;
  try {
    const ready = await reusable(); // finished by another process just before the lock was ours
    if (ready) return ready;
    return await transfer();
  } finally {
    locked.lock.release();
  }

  async function transfer(): Promise<DownloadResult> {

  const partSize = Math.max(1 << 16, opts.partSize ?? 8 << 20);
  const nParts = Math.max(1, Math.ceil(size / partSize));
  let state = readJson<PartState>(stateFile);
  if (!state || state.etag !== etag || state.size !== size || state.partSize !== partSize || !fs.existsSync(partial) || fs.statSync(partial).size !== size) {
    state = { etag, size, partSize, done: new Array(nParts).fill(0) };
    fs.writeFileSync(partial, "", { mode: 0o600 });
    fs.truncateSync(partial, size);
  }
  const st = state;
  const fd = fs.openSync(partial, "r+");
  let fetched = 0;
  let resumes = 0;
  let lastSave = 0;
  const save = (force = false): void => {
    if (!force && Date.now() - lastSave < 500) return;
    lastSave = Date.now();
    fs.writeFileSync(stateFile, JSON.stringify(st));
  };

  const fetchPart = async (i: number): Promise<void> => {
    const start = i * partSize;
    const end = Math.min(size, start + partSize) - 1;
    let attempt = 0;
    while (start + st.done[i] <= end) {
      try {
        const res = await client.send(
          new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key, Range: `bytes=${start + st.done[i]}-${end}`, IfMatch: etag || undefined }),
        );
        const body = res.Body as AsyncIterable<Uint8Array> | undefined;
        if (!body) throw new SparkifyError("E_S3_TRANSFER", "empty response body");
        for await (const chunk of body) {
          const room = end + 1 - (start + st.done[i]);
          const buf = chunk.length > room ? chunk.subarray(0, room) : chunk;
          fs.writeSync(fd, buf, 0, buf.length, start + st.done[i]);
          st.done[i] += buf.length;
          fetched += buf.length;
          opts.onBytes?.(buf.length);
          save();
        }
        if (start + st.done[i] <= end) throw new SparkifyError("E_S3_TRANSFER", `connection ended ${end + 1 - start - st.done[i]} bytes early`);
      } catch (err) {
        const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
        if (e.name === "PreconditionFailed" || e.$metadata?.httpStatusCode === 412) {
          throw new SparkifyError("E_INPUT_CHANGED", `${url} changed during the download (ETag no longer ${etag}); run again`, { cause: err });
        }
        if (e.$metadata?.httpStatusCode && e.$metadata.httpStatusCode < 500) throw s3Error(err, url);
        if (++attempt > (opts.maxRetries ?? 5)) {
          save(true);
          throw new SparkifyError("E_S3_TRANSFER", `download of ${url} failed after ${attempt} tries at byte ${start + st.done[i]}; run again to resume`, { cause: err });
        }
        resumes++;
        await new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** attempt)));
      }
    }
  };

  try {
    const queue = st.done.map((d, i) => i).filter((i) => i * partSize + st.done[i] <= Math.min(size, (i + 1) * partSize) - 1);
    const workers = Array.from({ length: Math.min(opts.concurrency ?? 4, queue.length) }, async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) await fetchPart(i);
    });
    await Promise.all(workers);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
    save(true);
  }

  if (fs.statSync(partial).size !== size) {
    throw new SparkifyError("E_S3_CORRUPT", `downloaded ${url} has ${fs.statSync(partial).size} bytes, expected ${size}`);
  }
  let verifiedBy: DownloadResult["verifiedBy"];
  try {
    verifiedBy = await verifyEtag(client, loc, partial, etag, size);
  } catch (err) {
    fs.rmSync(partial, { force: true });
    fs.rmSync(stateFile, { force: true });
    throw err;
  }
  const sha256 = await sha256File(partial);
  fs.rmSync(metaFile, { force: true });
  fs.renameSync(partial, target);
  const meta: CacheMeta = { bucket: loc.bucket, key: loc.key, etag, size, sha256, verifiedBy, downloadedAt: new Date().toISOString() };
  writeJsonAtomic(metaFile, meta, { mode: 0o600 });
  fs.rmSync(stateFile, { force: true });
  return { path: target, bytes: size, etag, reused: false, fetchedBytes: fetched, resumes, verifiedBy, sha256, replacedDamaged };
  }
}
