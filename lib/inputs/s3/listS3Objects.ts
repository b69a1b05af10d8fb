import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { formatS3Url, type S3Location } from "./parseS3Url";
import { s3Error } from "./s3Error";

/** One listed object. */
export interface S3ObjectInfo {
  key: string;
  size: number;
  etag: string;
}

/** True for part files worth loading: not a "folder" marker, not _SUCCESS/.crc-style side files. */
export function isDataKey(key: string): boolean {
  if (key.endsWith("/")) return false;
  const base = key.slice(key.lastIndexOf("/") + 1);
  return !base.startsWith("_") && !base.startsWith(".") && !base.endsWith(".crc");
}

/** Every object under a prefix (all pages, markers and side files included), sorted by key. */
export async function listAllObjects(client: S3Client, loc: S3Location): Promise<S3ObjectInfo[]> {
  const out: S3ObjectInfo[] = [];
  let token: string | undefined;
  do {
    let page;
    try {
      page = await client.send(new ListObjectsV2Command({ Bucket: loc.bucket, Prefix: loc.key, ContinuationToken: token }));
    } catch (err) {
      throw s3Error(err, formatS3Url(loc));
    }
    for (const o of page.Contents ?? []) {
      if (o.Key !== undefined) out.push({ key: o.Key, size: Number(o.Size ?? 0), etag: o.ETag ?? "" });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Every data object under a prefix (all pages), sorted by key. */
export async function listS3Objects(client: S3Client, loc: S3Location): Promise<S3ObjectInfo[]> {
  return (await listAllObjects(client, loc)).filter((o) => isDataKey(o.key));
}

/** True when the prefix holds Spark's _SUCCESS marker object (a finished job's output). */
export async function hasSuccessMarker(client: S3Client, prefix: S3Location): Promise<boolean> {
  const dir = prefix.key === "" || prefix.key.endsWith("/") ? prefix.key : `${prefix.key}/`;
  try {
    const page = await client.send(new ListObjectsV2Command({ Bucket: prefix.bucket, Prefix: `${dir}_SUCCESS`, MaxKeys: 1 }));
    return (page.Contents ?? []).some((o) => o.Key === `${dir}_SUCCESS`);
  } catch (err) {
    throw s3Error(err, formatS3Url(prefix));
  }
}
