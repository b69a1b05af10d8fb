import * as os from "node:os";
import * as path from "node:path";
import { HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { SparkifyError } from "../../errors";
import { downloadToCache, type DownloadResult } from "./downloadToCache";
import { listS3Objects, type S3ObjectInfo } from "./listS3Objects";
import { formatS3Url, parseS3Url } from "./parseS3Url";
import { s3Error } from "./s3Error";

/** Default cache of downloaded objects. */
export function defaultS3CacheDir(): string {
  return path.join(os.tmpdir(), "sparkify-s3-cache");
}

/** The objects an s3:// URL names: one key, or every data object under a prefix. */
export async function resolveS3Objects(client: S3Client, url: string): Promise<S3ObjectInfo[]> {
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
      const objs = await listS3Objects(client, { bucket: loc.bucket, key: `${loc.key}/` });
      if (objs.length === 0) throw new SparkifyError("E_INPUT_MISSING", `S3 object not found: ${url} (no such key, and no objects under ${url}/)`);
      return objs;
    }
  }
  const objs = await listS3Objects(client, loc);
  if (objs.length === 0) throw new SparkifyError("E_INPUT_MISSING", `no objects under ${url}`);
  return objs;
}

/** Downloads everything an s3:// URL names into the cache; returns one result per object. */
export async function fetchS3Source(
  client: S3Client,
  url: string,
  opts: { cacheDir?: string; onTotal?: (bytes: number) => void; onBytes?: (bytes: number) => void; concurrency?: number; partSize?: number },
): Promise<Array<DownloadResult & { url: string }>> {
  const loc = parseS3Url(url);
  const objects = await resolveS3Objects(client, url);
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
    out.push({ ...r, url: formatS3Url(one) });
  }
  return out;
}
