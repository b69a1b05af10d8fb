import { SparkifyError } from "../../errors";

/** Bucket and key of an s3:// URL; `key` is "" for a whole bucket and ends with "/" for a prefix. */
export interface S3Location {
  bucket: string;
  key: string;
}

/** True for strings naming an S3 location (s3://...). */
export function isS3Url(source: string): boolean {
  return /^s3:\/\//i.test(source);
}

/** Splits `s3://bucket/key` into bucket and key; throws a clear error on anything else. */
export function parseS3Url(url: string): S3Location {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/i.exec(url);
  if (!m || !/^[a-z0-9][a-z0-9.\-_]{1,62}$/i.test(m[1])) {
    throw new SparkifyError("E_BAD_S3_URL", `not an S3 URL: "${url}"; expected s3://bucket/key or s3://bucket/prefix/`);
  }
  return { bucket: m[1], key: m[2] ?? "" };
}

/** s3://bucket/key text of a location. */
export function formatS3Url(loc: S3Location): string {
  return `s3://${loc.bucket}/${loc.key}`;
}
