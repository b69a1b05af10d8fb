import type { RemoteLogger } from "./types";

/** Environment variables whose values must never be printed. */
const SECRET_ENV = ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ACCESS_KEY_ID"];

/** Replaces known secret values and signature-like fragments in `text` by "***". */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  const values = [...secrets, ...SECRET_ENV.map((k) => process.env[k] ?? "")]
    // Short values would blank out ordinary words; real keys are 16+ characters.
    .filter((v) => v.length >= 8)
    .sort((a, b) => b.length - a.length);
  for (const v of values) out = out.split(v).join("***");
  return out
    .replace(/(X-Amz-(?:Signature|Credential|Security-Token)=)[^&\s"']+/gi, "$1***")
    .replace(/(Authorization:\s*)[^\n"]+/gi, "$1***")
    .replace(/((?:aws_secret_access_key|aws_session_token|secretAccessKey|sessionToken)["']?\s*[:=]\s*["']?)[^"'\s,}]+/gi, "$1***");
}

/** Wraps a logger so that every line passes through `redact` first. */
export function redactingLogger(inner: RemoteLogger, secrets: readonly string[] = []): RemoteLogger {
  return {
    info: (m) => inner.info(redact(m, secrets)),
    progress: (m) => inner.progress(redact(m, secrets)),
    warn: (m) => inner.warn(redact(m, secrets)),
  };
}
