import { SparkifyError } from "../../errors";

/** Turns an AWS SDK error into a SparkifyError people can act on; `what` names the s3:// location. */
export function s3Error(err: unknown, what: string): SparkifyError {
  if (err instanceof SparkifyError) return err;
  const e = err as { name?: string; Code?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? e.Code ?? e.code ?? "";
  const status = e.$metadata?.httpStatusCode;
  if (name === "NoSuchBucket") {
    return new SparkifyError("E_S3_NO_BUCKET", `S3 bucket not found: ${what} (no such bucket)`, { cause: err });
  }
  if (name === "NoSuchKey" || name === "NotFound" || status === 404) {
    return new SparkifyError("E_INPUT_MISSING", `S3 object not found: ${what}`, { cause: err });
  }
  if (["AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "Forbidden", "InvalidToken", "ExpiredToken"].includes(name) || status === 403) {
    return new SparkifyError(
      "E_S3_ACCESS_DENIED",
      `access denied to ${what} (${name || "HTTP 403"}): check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the profile, and the bucket policy`,
      { cause: err },
    );
  }
  if (["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"].includes(e.code ?? "") || /ECONNREFUSED|ENOTFOUND/.test(e.message ?? "")) {
    return new SparkifyError("E_S3_UNREACHABLE", `cannot reach the S3 endpoint for ${what}: ${e.message}`, { cause: err });
  }
  return new SparkifyError("E_S3_REQUEST", `S3 request for ${what} failed: ${name ? name + ": " : ""}${e.message ?? String(err)}`, { cause: err });
}
