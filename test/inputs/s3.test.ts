import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { CreateBucketCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { createS3Client, downloadToCache, parseS3Url } from "../../lib/inputs/s3";
import { EventStore } from "../../lib/store";
import { sharedRadosgw, startCuttingProxy, startS3rver, stopSharedRadosgw, type S3Server } from "../helpers/s3Servers";
import { formatSamples, sampleText, type SampleFacts } from "../helpers/formatSamples";
import { requireSystem } from "../helpers/systemSuites";
import { ORDER, goodEvent, rejects, tempDir } from "../store/fixtures";


/** ~`mb` MB of distinct event lines (deterministic). */
function bigText(mb: number): string {
  const lines: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < mb * 1e6; i++) {
    const l = JSON.stringify(goodEvent(100 + (i % 50), i));
    lines.push(l);
    bytes += l.length + 1;
  }
  return lines.join("\n") + "\n";
}

describe("parseS3Url", () => {
  it("splits bucket, key and prefix, and rejects other text", () => {
    assert.deepEqual(parseS3Url("s3://bkt/a/b.json"), { bucket: "bkt", key: "a/b.json" });
    assert.deepEqual(parseS3Url("s3://bkt/logs/"), { bucket: "bkt", key: "logs/" });
    assert.deepEqual(parseS3Url("s3://bkt"), { bucket: "bkt", key: "" });
    assert.throws(() => parseS3Url("http://bkt/x"), /not an S3 URL/);
    assert.throws(() => parseS3Url("s3:///x"), /not an S3 URL/);
  });
});

const servers: Array<{ name: string; start: () => Promise<S3Server | null>; shared: boolean }> = [
  { name: "s3rver", start: startS3rver, shared: false },
  { name: "radosgw", start: sharedRadosgw, shared: true },
];

for (const def of servers) {
  describe(`S3 source on ${def.name}`, function () {
    let srv: S3Server | null = null;
    let client: S3Client;
    let dir: string;
    const big = bigText(12);
    // Each Spark-export sample (the made one; the real one with SPARKIFY_CONFORMANCE_DIR) under its own prefix.
    const samples = formatSamples().map((sample, i) => ({ sample, prefix: i === 0 ? "" : `${sample.name.replace(/\W+/g, "-")}/`, dir: "", facts: null as SampleFacts | null }));

    before(async function () {
      this.timeout(180_000);
      if (def.name === "radosgw") requireSystem(this, "radosgw");
      srv = await def.start();
      if (!srv) throw new Error(`${def.name} did not start`);
      client = createS3Client({ endpoint: srv!.endpoint, credentials: srv!.credentials });
      dir = tempDir();
      await client.send(new CreateBucketCommand({ Bucket: "logs" }));
      const put = (Key: string, Body: string | Buffer): Promise<unknown> => client.send(new PutObjectCommand({ Bucket: "logs", Key, Body }));
      for (const s of samples) {
        s.dir = await s.sample.dir();
        s.facts = await s.sample.facts();
        const text = sampleText(s.dir);
        await put(`${s.prefix}sample/all.json`, text);
        const files = fs.readdirSync(s.dir).sort();
        for (const [i, f] of files.entries()) await put(`${s.prefix}parts/part-0000${i}.json`, fs.readFileSync(path.join(s.dir, f)));
        await put(`${s.prefix}parts/_SUCCESS`, "");
        await put(`${s.prefix}gz/all.json.gz`, zlib.gzipSync(text));
      }
      await new Upload({ client, params: { Bucket: "logs", Key: "big/multipart.json", Body: Buffer.from(big) }, partSize: 5 * 1024 * 1024 }).done();
      process.env.AWS_ACCESS_KEY_ID = srv!.credentials.accessKeyId;
      process.env.AWS_SECRET_ACCESS_KEY = srv!.credentials.secretAccessKey;
    });
    after(async () => {
      client?.destroy();
      if (srv && !def.shared) await srv.stop();
      if (def.shared) await stopSharedRadosgw();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
    });

    for (const s of samples) it(`loads one object, a prefix of several parts and a gzip object to the same events as the local files (${s.sample.name})`, async () => {
      const local = await EventStore.open(s.dir, { quiet: true });
      const expected = await local.rows(`SELECT * FROM events ${ORDER}`);
      await local.close();
      const at = `s3://logs/${s.prefix}`;
      const cases = [[`${at}sample/all.json`, "memory"], [`${at}parts/`, "memory"], [`${at}parts`, "files"], [`${at}gz/all.json.gz`, "files"]] as const;
      for (const [url, storage] of cases) {
        // "files" storage reads the cached copies in place.
        const store = await EventStore.open(url, { quiet: true, s3Endpoint: srv!.endpoint, cacheDir: path.join(dir, "cache"), storage });
        try {
          assert.equal(store.storage, storage);
          assert.deepEqual(await store.rows(`SELECT * FROM events ${ORDER}`), expected, url);
          assert.equal(store.report.lines, s.facts!.events);
          assert.ok(store.report.sources.every((x) => x.source.startsWith(at)), url);
          if (url.startsWith(`${at}parts`)) assert.equal(store.report.sources.length, s.facts!.files.length); // _SUCCESS skipped
        } finally {
          await store.close();
        }
      }
    });

    it("finds the endpoint in AWS_ENDPOINT_URL_S3 when no --s3-endpoint is given", async () => {
      process.env.AWS_ENDPOINT_URL_S3 = srv!.endpoint;
      try {
        const s = await EventStore.open("s3://logs/sample/all.json", { quiet: true, cacheDir: path.join(dir, "env-cache") });
        assert.equal(s.report.kept, samples[0].facts!.events);
        await s.close();
      } finally {
        delete process.env.AWS_ENDPOINT_URL_S3;
      }
    });

    it("downloads a multipart object with parallel ranged GETs, verifies it, and reuses it next time", async () => {
      const cacheDir = path.join(dir, "mp-cache");
      const r = await downloadToCache(client, { bucket: "logs", key: "big/multipart.json" }, { cacheDir, partSize: 1 << 20, concurrency: 4 });
      assert.equal(r.reused, false);
      assert.equal(r.fetchedBytes, Buffer.byteLength(big));
      // radosgw gives multipart ETags (MD5 of part MD5s); s3rver gives the MD5 of the whole object.
      if (def.name === "radosgw") assert.match(r.etag, /-\d+"?$/);
      assert.equal(r.verifiedBy, /-\d+"?$/.test(r.etag) ? "multipart-md5" : "md5");
      assert.ok(fs.readFileSync(r.path).equals(Buffer.from(big)));
      const again = await downloadToCache(client, { bucket: "logs", key: "big/multipart.json" }, { cacheDir, partSize: 1 << 20 });
      assert.equal(again.reused, true);
      assert.equal(again.fetchedBytes, 0);
    });

    it("resumes a transfer cut in the middle, within a run and across runs, losing nothing", async () => {
      const proxy = await startCuttingProxy(srv!.endpoint, 300_000, 3);
      try {
        const viaProxy = createS3Client({ endpoint: proxy.endpoint, credentials: srv!.credentials, maxAttempts: 1 });
        const r = await downloadToCache(viaProxy, { bucket: "logs", key: "big/multipart.json" }, { cacheDir: path.join(dir, "cut-cache"), partSize: 4 << 20, concurrency: 2 });
        viaProxy.destroy();
        assert.ok(proxy.cutsDone() >= 1, "the proxy cut no connection");
        assert.ok(r.resumes >= 1, `no resume: ${JSON.stringify(r)}`);
        assert.equal(r.fetchedBytes, Buffer.byteLength(big)); // resumed at the byte where it stopped
        assert.ok(fs.readFileSync(r.path).equals(Buffer.from(big)));
      } finally {
        await proxy.stop();
      }
      // Across runs: a first run that gives up after a cut leaves a partial file; the next resumes.
      const proxy2 = await startCuttingProxy(srv!.endpoint, 2_000_000, 100);
      const cacheDir = path.join(dir, "cut-cache-2");
      try {
        const failing = createS3Client({ endpoint: proxy2.endpoint, credentials: srv!.credentials, maxAttempts: 1 });
        await rejects(downloadToCache(failing, { bucket: "logs", key: "big/multipart.json" }, { cacheDir, partSize: 16 << 20, concurrency: 1, maxRetries: 0 }), "E_S3_TRANSFER", /run again to resume/);
        failing.destroy();
      } finally {
        await proxy2.stop();
      }
      const r2 = await downloadToCache(client, { bucket: "logs", key: "big/multipart.json" }, { cacheDir, partSize: 16 << 20 });
      assert.ok(r2.fetchedBytes < Buffer.byteLength(big), `fetched ${r2.fetchedBytes}: did not resume`);
      assert.ok(fs.readFileSync(r2.path).equals(Buffer.from(big)));
    });

    it("reports wrong credentials, a missing key and a missing bucket clearly", async () => {
      const opts = { quiet: true, s3Endpoint: srv!.endpoint, cacheDir: path.join(dir, "err-cache") };
      await rejects(EventStore.open("s3://logs/nope.json", opts), "E_INPUT_MISSING", /s3:\/\/logs\/nope\.json/);
      await rejects(EventStore.open("s3://logs/nothing-here/", opts), "E_INPUT_MISSING", /no objects under s3:\/\/logs\/nothing-here\//);
      await rejects(EventStore.open("s3://no-such-bucket-x/a.json", opts), "E_S3_NO_BUCKET", /no-such-bucket-x/);
      // s3rver checks only the key id (it does not verify SigV4 signatures); radosgw checks both.
      const bad = createS3Client({ endpoint: srv!.endpoint, credentials: { accessKeyId: "WRONGKEY", secretAccessKey: "wrong-secret" } });
      await rejects(downloadToCache(bad, { bucket: "logs", key: "sample/all.json" }, { cacheDir: opts.cacheDir }), "E_S3_ACCESS_DENIED", /access denied to s3:\/\/logs\/sample\/all\.json/);
      bad.destroy();
      process.env.AWS_ACCESS_KEY_ID = "WRONGKEY";
      try {
        await rejects(EventStore.open("s3://logs/sample/all.json", opts), "E_S3_ACCESS_DENIED", /access denied/);
      } finally {
        process.env.AWS_ACCESS_KEY_ID = srv!.credentials.accessKeyId;
      }
    });
  });
}
