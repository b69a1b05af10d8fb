import { createHash } from "node:crypto";
import * as fs from "node:fs";

/** SHA-256 of a file's bytes as lowercase hex, read in 1 MiB pieces. */
export async function sha256File(file: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest("hex");
}
