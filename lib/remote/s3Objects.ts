// The few S3 object operations lib/remote needs beyond lib/store's client and URL parsing:
// small text uploads (the staged script), listing an output prefix, whole-object downloads.
import * as fs from "node:fs";
import { pipeline } from "node:stream/promises";
import type { Readable } from "node:stream";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { SparkifyError } from "../errors";
import { formatS3Url, parseS3Url, type S3Location } from "../inputs/s3";

/** Parses an s3:// URL given for `what` (a flag name), naming it in the error. */
export function requireS3Url(url: string, what: string): S3Location {
  try {
    return parseS3Url(url);
  } catch (err) {
    throw new SparkifyError("E_BAD_S3_URL", `${what}: ${(err as Error).message}`, { cause: err });
  }
}

/** Joins an `s3://` prefix and relative parts with single slashes. */
export function joinS3(prefix: string, ...parts: string[]): string {
  let out = prefix.replace(/\/+$/, "");
  for (const p of parts) out += "/" + p.replace(/^\/+/, "");
  return out;
}

/** Uploads a text object. */
export async function putText(s3: S3Client, url: string, body: string, contentType = "text/plain"): Promise<void> {
  const { bucket, key } = parseS3Url(url);
  await s3Call(url, () => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType })));
}

/** Reads a whole text object. */
export async function getText(s3: S3Client, url: string): Promise<string> {
  const { bucket, key } = parseS3Url(url);
  const res = await s3Call(url, () => s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
  if (!res.Body) throw new SparkifyError("E_S3_REQUEST", `Empty response body for ${url}.`);
  return await res.Body.transformToString("utf8");
}

/** One listed object. */
export interface S3Listed {
  url: string;
  key: string;
  size: number;
}

/** Lists every object under an `s3://bucket/prefix/`, following continuation tokens, sorted by key. */
export async function listObjects(s3: S3Client, prefixUrl: string): Promise<S3Listed[]> {
  const { bucket, key } = parseS3Url(prefixUrl);
  const out: S3Listed[] = [];
  let token: string | undefined;
  do {
    const res = await s3Call(prefixUrl, () =>
      s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, ContinuationToken: token })),
    );
    for (const o of res.Contents ?? []) {
      if (o.Key === undefined) continue;
      out.push({ url: formatS3Url({ bucket, key: o.Key }), key: o.Key, size: o.Size ?? 0 });
    }
    token = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (token);
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Streams an object to a local file; returns the bytes written. */
export async function downloadToFile(s3: S3Client, url: string, file: string): Promise<number> {
  const { bucket, key } = parseS3Url(url);
  const res = await s3Call(url, () => s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
  if (!res.Body) throw new SparkifyError("E_S3_REQUEST", `Empty response body for ${url}.`);
  await pipeline(res.Body as Readable, fs.createWriteStream(file));
  return fs.statSync(file).size;
}

/** Runs an S3 call and turns the common failures into messages that name the location. */
async function s3Call<T>(url: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const name = (err as { name?: string }).name ?? "";
    const msg = (err as Error).message ?? String(err);
    if (name === "NoSuchBucket") throw new SparkifyError("E_S3_NO_BUCKET", `Bucket of ${url} does not exist.`, { cause: err });
    if (name === "NoSuchKey") throw new SparkifyError("E_INPUT_MISSING", `${url} does not exist.`, { cause: err });
    if (name === "AccessDenied" || name === "InvalidAccessKeyId" || name === "SignatureDoesNotMatch") {
      throw new SparkifyError("E_S3_ACCESS_DENIED", `Access to ${url} was denied (${name}): check the credentials and the bucket policy.`, { cause: err });
    }
    throw new SparkifyError("E_S3_REQUEST", `S3 request for ${url} failed: ${name ? name + ": " : ""}${msg}`, { cause: err });
  }
}
