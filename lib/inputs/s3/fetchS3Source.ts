import { HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { SparkifyError } from "../../errors";
import { defaultS3CacheDir } from "./cacheDir";
import { downloadToCache, type DownloadResult } from "./downloadToCache";
import { hasSuccessMarker, listS3Objects, type S3ObjectInfo } from "./listS3Objects";
import { formatS3Url, parseS3Url, type S3Location } from "./parseS3Url";
import { s3Error } from "./s3Error";

export { defaultS3CacheDir } from "./cacheDir";

/** The objects an s3:// URL names: one key, or every data object under a prefix (part files only with _SUCCESS unless allowIncomplete). */
export async function resolveS3Objects(client: S3Client, url: string, opts: { allowIncomplete?: boolean } = {}): Promise<S3ObjectInfo[]> {
  const loc = parseS3Url(url);
  if (loc.key !== "" && !loc.key.endsWith("/")) {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: loc.bucket, Key: loc.key }));
      return [{ key: loc.key, size: Number(head.ContentLength ?? 0), etag: head.ETag ?? "" }];
    } catch (err) {
      const e = s3Error(err, url);
      if (e.code !== "E_INPUT_MISSING") throw e;
      // Not an object: maybe a prefix written without the trailing slash (listing also tells a
      // missing bucket apart from a missing key, which HEAD cannot).
      const prefix = { bucket: loc.bucket, key: `${loc.key}/` };
      const objs = await listS3Objects(client, prefix);
      if (objs.length === 0) throw new SparkifyError("E_INPUT_MISSING", `S3 object not found: ${url} (no such key, and no objects under ${url}/)`);
      await checkComplete(client, prefix, objs, opts);
      return objs;
    }
  }
  const objs = await listS3Objects(client, loc);
  if (objs.length === 0) throw new SparkifyError("E_INPUT_MISSING", `no objects under ${url}`);
  await checkComplete(client, loc, objs, opts);
  return objs;
}

/** Refuses a prefix of part files (Spark's output) without its _SUCCESS object, unless allowIncomplete. */
async function checkComplete(client: S3Client, prefix: S3Location, objs: S3ObjectInfo[], opts: { allowIncomplete?: boolean }): Promise<void> {
  if (opts.allowIncomplete || !objs.some((o) => o.key.slice(o.key.lastIndexOf("/") + 1).startsWith("part-"))) return;
  if (await hasSuccessMarker(client, prefix)) return;
  throw new SparkifyError(
    "E_INPUT_INCOMPLETE",
    `${formatS3Url(prefix)} holds part files but no _SUCCESS marker: the job that wrote it did not finish or is still writing, so events may be missing. Load it anyway with --allow-incomplete`,
  );
}

/** Downloads everything an s3:// URL names into the cache; returns one result per object. */
export async function fetchS3Source(
  client: S3Client,
  url: string,
  opts: {
    cacheDir?: string; allowIncomplete?: boolean; onTotal?: (bytes: number) => void; onBytes?: (bytes: number) => void; concurrency?: number; partSize?: number;
    /** Called with a warning to show (a cached copy changed on disk and was downloaded again). */
    onWarning?: (message: string) => void;
  },
): Promise<Array<DownloadResult & { url: string }>> {
  const loc = parseS3Url(url);
  const objects = await resolveS3Objects(client, url, opts);
  opts.onTotal?.(objects.reduce((s, o) => s + o.size, 0));
  const out: Array<DownloadResult & { url: string }> = [];
  for (const o of objects) {
    const one = { bucket: loc.bucket, key: o.key };
    const r = await downloadToCache(client, one, {
      cacheDir: opts.cacheDir ?? defaultS3CacheDir(),
      onBytes: opts.onBytes,
      concurrency: opts.concurrency,
      partSize: opts.partSize,
    });
    if (r.reused) opts.onBytes?.(r.bytes);
    if (r.replacedDamaged) opts.onWarning?.(`the cached copy of ${formatS3Url(one)} no longer matched the SHA-256 recorded at download (changed on disk): downloaded again`);
    out.push({ ...r, url: formatS3Url(one) });
  }
  return out;
}
