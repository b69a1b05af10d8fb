import { S3Client } from "@aws-sdk/client-s3";

/** Options of createS3Client; credentials come from the usual AWS chain unless given. */
export interface S3ClientOptions {
  /** S3-compatible endpoint (s3rver, radosgw, MinIO); default AWS_ENDPOINT_URL_S3, else AWS itself. */
  endpoint?: string;
  /** Region; default AWS_REGION, else us-east-1. */
  region?: string;
  /** Explicit credentials (tests); default the AWS credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** SDK attempts per request; default 3. */
  maxAttempts?: number;
}

/**
 * An S3 client that works with AWS and S3-compatible stores alike: path-style addressing, and
 * checksums only when required (newer SDKs otherwise send aws-chunked uploads that s3rver stores
 * verbatim and radosgw refuses with HTTP 411).
 */
export function createS3Client(opts: S3ClientOptions = {}): S3Client {
  const endpoint = opts.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL ?? undefined;
  return new S3Client({
    endpoint,
    region: opts.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
    forcePathStyle: true,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    credentials: opts.credentials,
    maxAttempts: opts.maxAttempts ?? 3,
  });
}
