// Shared set-up of the remote tests: s3rver, the fake EMR Serverless / Athena endpoint, options.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createS3Client, listObjects, parseS3Url } from "../../lib/inputs/s3";
import type { RemoteLogger, RemoteOptions } from "../../lib/remote/types";
import { formatSamples } from "../helpers/formatSamples";
import { FakeAwsEndpoint } from "./fakeAwsEndpoint";
import { startLocalS3, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, type LocalS3 } from "./localS3";

/** The test's EMR Serverless application (known to the fake endpoint). */
export const APP_ID = "00fakeapp0000001";
/** The test's execution role. */
export const ROLE_ARN = "arn:aws:iam::123456789012:role/sparkify-emr-job";
/** The events prefix the remote engine reads. */
export const INPUT = "s3://events/logs/";
/** The staging prefix. */
export const STAGING = "s3://staging/sparkify/";

/** A logger that keeps every line, and lets a test react to progress lines. */
export class CapturingLogger implements RemoteLogger {
  readonly lines: string[] = [];
  onProgress: (m: string) => void = () => undefined;
  info(m: string): void { this.lines.push(`info: ${m}`); }
  warn(m: string): void { this.lines.push(`warn: ${m}`); }
  progress(m: string): void { this.lines.push(`progress: ${m}`); this.onProgress(m); }
  text(): string { return this.lines.join("\n"); }
}

/** Everything a remote test needs, started once per file. */
export class RemoteHarness {
  private saved: Record<string, string | undefined> = {};
  private dirs: string[] = [];
  private constructor(readonly s3server: LocalS3, readonly fake: FakeAwsEndpoint, readonly s3: S3Client) {}

  /** Starts s3rver and the fake endpoint, and puts the test credentials in the environment. */
  static async start(): Promise<RemoteHarness> {
    const s3server = await startLocalS3(["events", "staging"]);
    const fake = await FakeAwsEndpoint.start();
    const s3 = createS3Client({ region: "us-east-1", endpoint: s3server.endpoint, credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY } });
    const h = new RemoteHarness(s3server, fake, s3);
    // The SDK's default chain reads them from here, as it would on a user's machine.
    for (const [k, v] of Object.entries({ AWS_ACCESS_KEY_ID: TEST_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY, AWS_REGION: undefined, AWS_PROFILE: undefined, AWS_SESSION_TOKEN: undefined })) {
      h.saved[k] = process.env[k];
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    return h;
  }

  /** start(), with the committed sample's part files put under INPUT; returns the local files too. */
  static async startWithSample(): Promise<{ h: RemoteHarness; files: string[] }> {
    const dir = await formatSamples()[0].dir();
    const files = fs.readdirSync(dir).sort().map((f) => path.join(dir, f));
    const h = await RemoteHarness.start();
    for (const f of files) await h.put(`${INPUT}${path.basename(f)}`, fs.readFileSync(f, "utf8"));
    return { h, files };
  }

  /** Stops both servers and restores the environment. */
  async close(): Promise<void> {
    for (const [k, v] of Object.entries(this.saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    this.s3.destroy();
    await this.fake.close();
    await this.s3server.close();
    for (const d of this.dirs) fs.rmSync(d, { recursive: true, force: true });
  }

  /** A fresh run folder under /tmp (removed by close). */
  outDir(): string {
    return this.tempDir("sparkify-remote-out-");
  }

  /** A fresh scratch folder under /tmp (removed by close). */
  tempDir(prefix = "sparkify-remote-"): string {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    this.dirs.push(d);
    return d;
  }

  /** Options pointing every client at the local stand-ins. */
  options(logger: RemoteLogger, extra: Partial<RemoteOptions> = {}): RemoteOptions {
    return {
      input: INPUT,
      features: { mode: "full-history", cutoffs: [], horizonDays: 14, label: "cancel" },
      outDir: this.outDir(),
      region: "us-east-1",
      endpoints: { emrServerless: this.fake.url, athena: this.fake.url, s3: this.s3server.endpoint },
      applicationId: APP_ID,
      executionRoleArn: ROLE_ARN,
      staging: STAGING,
      athenaDatabase: "sparkify_test",
      athenaWorkgroup: "sparkify-wg",
      timeoutSeconds: 30,
      pollSeconds: 0.02,
      logger,
      handleSigint: false,
      ...extra,
    };
  }

  /** Writes a text object, as a finished job would. */
  async put(url: string, body: string): Promise<void> {
    const { bucket, key } = parseS3Url(url);
    await this.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from(body) }));
  }

  /** Keys under a prefix. */
  async keys(prefix: string): Promise<string[]> {
    return (await listObjects(this.s3, prefix)).map((o) => o.url);
  }
}
