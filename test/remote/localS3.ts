// s3rver on 127.0.0.1 (in-process), the S3-compatible server the store's tests use too.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { AddressInfo } from "node:net";

// s3rver ships no types; this is the little of its API the tests use.
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverCtor = new (opts: Record<string, unknown>) => S3rverInstance;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require("s3rver") as S3rverCtor;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DUMMY_ACCOUNT } = require("s3rver/lib/models/account") as { DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void } };

/** Credentials the local S3 server accepts (distinctive, so tests can look for leaks). */
export const TEST_ACCESS_KEY_ID = "AKIASPARKIFYTEST0001";
export const TEST_SECRET_ACCESS_KEY = "sEcReT/sparkify+remote-test-Zq81xWv";

/** A running local S3 server. */
export interface LocalS3 {
  endpoint: string;
  dir: string;
  close(): Promise<void>;
}

/** Starts s3rver on a free port with the given buckets. */
export async function startLocalS3(buckets: string[]): Promise<LocalS3> {
  DUMMY_ACCOUNT.createKeyPair(TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-remote-s3-"));
  const server = new S3rver({ port: 0, address: "127.0.0.1", directory: dir, silent: true, configureBuckets: buckets.map((name) => ({ name })) });
  const addr = await server.run();
  return {
    endpoint: `http://127.0.0.1:${addr.port}`,
    dir,
    async close() {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
