import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { GetObjectCommand, HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { SparkifyError } from "../../errors";
import { formatS3Url, type S3Location } from "./parseS3Url";
import { s3Error } from "./s3Error";

/** How an object is fetched into the cache. */
export interface DownloadOptions {
  /** Cache folder; objects land in cacheDir/bucket/key. */
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
}

interface PartState {
  etag: string;
  size: number;
  partSize: number;
  /** Bytes already on disk for each part, from its start. */
  done: number[];
}

/** Cache path of an object (bucket and key kept readable, unsafe characters escaped). */
export function cachePath(cacheDir: string, loc: S3Location): string {
  const safe = loc.key.split("/").map((p) => encodeURIComponent(p).replace(/^\.+$/, (d) => d.replace(/\./g, "%2E")));
  return path.join(cacheDir, encodeURIComponent(loc.bucket), ...safe);
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
 * object is verified by size and ETag and reused by later runs while its ETag is unchanged.
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
  const target = cachePath(opts.cacheDir, loc);
  const metaFile = `${target}.meta.json`;
  const partial = `${target}.partial`;
  const stateFile = `${partial}.json`;
  fs.mkdirSync(path.dirname(target), { recursive: true });

  const meta = readJson<{ etag: string; size: number; verifiedBy: DownloadResult["verifiedBy"] }>(metaFile);
  if (meta && meta.etag === etag && meta.size === size && fs.existsSync(target) && fs.statSync(target).size === size) {
    return { path: target, bytes: size, etag, reused: true, fetchedBytes: 0, resumes: 0, verifiedBy: meta.verifiedBy };
  }

  const partSize = Math.max(1 << 16, opts.partSize ?? 8 << 20);
  const nParts = Math.max(1, Math.ceil(size / partSize));
  let state = readJson<PartState>(stateFile);
  if (!state || state.etag !== etag || state.size !== size || state.partSize !== partSize || !fs.existsSync(partial) || fs.statSync(partial).size !== size) {
    state = { etag, size, partSize, done: new Array(nParts).fill(0) };
    fs.writeFileSync(partial, "");
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
        if (!body) throw new Error("empty response body");
        for await (const chunk of body) {
          const room = end + 1 - (start + st.done[i]);
          const buf = chunk.length > room ? chunk.subarray(0, room) : chunk;
          fs.writeSync(fd, buf, 0, buf.length, start + st.done[i]);
          st.done[i] += buf.length;
          fetched += buf.length;
          opts.onBytes?.(buf.length);
          save();
        }
        if (start + st.done[i] <= end) throw new Error(`connection ended ${end + 1 - start - st.done[i]} bytes early`);
      } catch (err) {
        const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
        if (e.name === "PreconditionFailed" || e.$metadata?.httpStatusCode === 412) {
          throw new SparkifyError("E_S3_CHANGED", `${url} changed during the download (ETag no longer ${etag}); run again`, { cause: err });
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
  fs.renameSync(partial, target);
  fs.writeFileSync(metaFile, JSON.stringify({ etag, size, verifiedBy }));
  fs.rmSync(stateFile, { force: true });
  return { path: target, bytes: size, etag, reused: false, fetchedBytes: fetched, resumes, verifiedBy };
}
