// Whole-object S3 operations beside the cache's ranged downloads: small text uploads and reads (the
// remote engines' staged script and reports), listing every object under a prefix, and streaming one
// object to a file. Errors go through the one mapping (s3Error), so every caller gets the same codes.
import * as fs from "node:fs";
import { pipeline } from "node:stream/promises";
import type { Readable } from "node:stream";
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { SparkifyError } from "../../errors";
import { listAllObjects } from "./listS3Objects";
import { formatS3Url, parseS3Url, type S3Location } from "./parseS3Url";
import { s3Error } from "./s3Error";

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

/** Runs one S3 request, turning its failure into the SparkifyError that names `url`. */
async function s3Call<T>(url: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw s3Error(err, url);
  }
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

/** One listed object, with its URL. */
export interface S3Listed {
  url: string;
  key: string;
  size: number;
}

/** Every object under an `s3://bucket/prefix/` (markers and side files included), sorted by key. */
export async function listObjects(s3: S3Client, prefixUrl: string): Promise<S3Listed[]> {
  const loc = parseS3Url(prefixUrl);
  return (await listAllObjects(s3, loc)).map((o) => ({ url: formatS3Url({ bucket: loc.bucket, key: o.key }), key: o.key, size: o.size }));
}

/** Streams an object to a local file; returns the bytes written. */
export async function downloadToFile(s3: S3Client, url: string, file: string): Promise<number> {
  const { bucket, key } = parseS3Url(url);
  const res = await s3Call(url, () => s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
  if (!res.Body) throw new SparkifyError("E_S3_REQUEST", `Empty response body for ${url}.`);
  await pipeline(res.Body as Readable, fs.createWriteStream(file));
  return fs.statSync(file).size;
}
