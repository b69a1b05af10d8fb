import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CreateBucketCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { cachePath, createS3Client, defaultS3CacheDir, downloadToCache, ensurePrivateDir, userCacheDir } from "../../lib/inputs/s3";
import { EventStore } from "../../lib/store";
import { startS3rver, type S3Server } from "../helpers/s3Servers";
import { goodEvent, rejects, tempDir } from "../store/fixtures";

const TSX_CJS = require.resolve("tsx/cjs");
const ROOT = path.resolve(__dirname, "../..");

function lines(n: number, user = 1, from = 0): string {
  return Array.from({ length: n }, (_, i) => JSON.stringify(goodEvent(user + (i % 7), from + i))).join("\n") + "\n";
}

describe("store: the private, verified S3 cache (s3rver)", function () {
  this.timeout(120_000);
  let srv: S3Server;
  let client: S3Client;
  let dir: string;
  const big = lines(40_000); // ~10 MB: several ranged parts
  const put = (Key: string, Body: string): Promise<unknown> => client.send(new PutObjectCommand({ Bucket: "cache", Key, Body }));

  const savedEnv = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  before(async () => {
    srv = await startS3rver();
    process.env.AWS_ACCESS_KEY_ID = srv.credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = srv.credentials.secretAccessKey;
    client = createS3Client({ endpoint: srv.endpoint, credentials: srv.credentials });
    dir = tempDir();
    await client.send(new CreateBucketCommand({ Bucket: "cache" }));
    await put("big.json", big);
    await put("a", lines(30));
    await put("a/part-00000.json", lines(20, 30, 100));
    await put("a/_SUCCESS", "");
    await put("half/part-00000.json", lines(10));
    await put("x.json", lines(5));
    await put("x.json@meta.json", lines(6, 50, 900));
  });
  after(async () => {
    for (const [k, v] of [["AWS_ACCESS_KEY_ID", savedEnv.id], ["AWS_SECRET_ACCESS_KEY", savedEnv.secret]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    client.destroy();
    await srv.stop();
  });

  it("lives in the user's cache folder (XDG_CACHE_HOME, else ~/.cache), never the shared temp folder, and is made private", () => {
    assert.equal(userCacheDir({ XDG_CACHE_HOME: "/home/u/.xdg" }), "/home/u/.xdg/sparkify-churn");
    assert.equal(userCacheDir({ XDG_CACHE_HOME: "relative/ignored" }), path.join(os.homedir(), ".cache", "sparkify-churn"));
    assert.equal(userCacheDir({ SPARKIFY_CHURN_CACHE: "/srv/cache", XDG_CACHE_HOME: "/x" }), "/srv/cache");
    assert.ok(!defaultS3CacheDir().startsWith(os.tmpdir() + path.sep), defaultS3CacheDir());
    const open = path.join(dir, "world-open");
    fs.mkdirSync(open, { mode: 0o777 });
    fs.chmodSync(open, 0o777);
    ensurePrivateDir(open);
    assert.equal(fs.statSync(open).mode & 0o777, 0o700);
    const fresh = path.join(dir, "fresh", "s3");
    ensurePrivateDir(fresh);
    assert.equal(fs.statSync(fresh).mode & 0o777, 0o700);
    if (process.getuid?.() === 0) {
      const foreign = path.join(dir, "foreign");
      fs.mkdirSync(foreign, { mode: 0o700 });
      fs.chownSync(foreign, 65534, 65534);
      assert.throws(() => ensurePrivateDir(foreign), /belongs to another user \(uid 65534\)/);
    }
  });

  it("two concurrent downloads of one object: one transfers, the other waits and reuses it (in one process and across processes)", async () => {
    const cacheDir = path.join(dir, "concurrent");
    const loc = { bucket: "cache", key: "big.json" };
    const [a, b] = await Promise.all([
      downloadToCache(client, loc, { cacheDir, partSize: 1 << 20, concurrency: 2 }),
      downloadToCache(client, loc, { cacheDir, partSize: 1 << 20, concurrency: 2 }),
    ]);
    assert.equal(a.path, b.path);
    assert.deepEqual([a.reused, b.reused].sort(), [false, true], "exactly one transfer");
    assert.equal(a.fetchedBytes + b.fetchedBytes, Buffer.byteLength(big));
    assert.equal(fs.readFileSync(a.path, "utf8"), big);
    // Two processes loading the same object into a fresh cache at once both succeed.
    const shared = path.join(dir, "two-processes");
    const script = path.join(dir, "load.ts");
    fs.writeFileSync(script, `import { EventStore } from ${JSON.stringify(path.join(ROOT, "lib/store"))};
EventStore.open("s3://cache/big.json", { quiet: true, s3Endpoint: ${JSON.stringify(srv.endpoint)}, cacheDir: ${JSON.stringify(shared)} })
  .then(async (s) => { console.log("kept " + s.report.kept); await s.close(); })
  .catch((e) => { console.log("error " + e.message); process.exitCode = 1; });
`);
    const env = { ...process.env, AWS_ACCESS_KEY_ID: srv.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: srv.credentials.secretAccessKey };
    const runOne = (): Promise<string> => new Promise((resolve) => {
      const child = spawn(process.execPath, ["-r", TSX_CJS, script], { env, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (out += d));
      child.on("exit", () => resolve(out.trim()));
    });
    const outs = await Promise.all([runOne(), runOne()]);
    for (const o of outs) assert.match(o, /kept 40000$/, o);
    assert.deepEqual(fs.readdirSync(path.dirname(cachePath(shared, loc))).sort(), ["big.json", "big.json@meta.json"], "no partial or lock file left");
  });

  it("a cached copy edited in place (same size) is detected by its SHA-256 and downloaded again", async () => {
    const cacheDir = path.join(dir, "tamper");
    const loc = { bucket: "cache", key: "big.json" };
    const first = await downloadToCache(client, loc, { cacheDir });
    assert.match(first.sha256, /^[0-9a-f]{64}$/);
    const fd = fs.openSync(first.path, "r+");
    fs.writeSync(fd, Buffer.from("X"), 0, 1, 12345); // one byte changed, size and mtime aside
    fs.closeSync(fd);
    const again = await downloadToCache(client, loc, { cacheDir });
    assert.equal(again.reused, false);
    assert.equal(again.replacedDamaged, true);
    assert.equal(fs.readFileSync(again.path, "utf8"), big);
    const third = await downloadToCache(client, loc, { cacheDir });
    assert.equal(third.reused, true, "the repaired copy is trusted again");
    assert.equal(third.replacedDamaged, false);
  });

  it("keys 'a' and 'a/part-00000.json' of one prefix, and a key named like a side file, share a cache without colliding", async () => {
    const cacheDir = path.join(dir, "collide");
    for (const order of [["s3://cache/a", "s3://cache/a/"], ["s3://cache/a/", "s3://cache/a"]]) {
      const c = path.join(cacheDir, order[0].endsWith("/") ? "prefix-first" : "object-first");
      const kept: number[] = [];
      for (const url of order) {
        const s = await EventStore.open(url, { quiet: true, s3Endpoint: srv.endpoint, cacheDir: c });
        kept.push(s.report.kept);
        await s.close();
      }
      assert.deepEqual(kept.sort((x, y) => x - y), [20, 30]);
    }
    const x = await downloadToCache(client, { bucket: "cache", key: "x.json" }, { cacheDir });
    const meta = await downloadToCache(client, { bucket: "cache", key: "x.json@meta.json" }, { cacheDir });
    assert.notEqual(x.path, meta.path);
    assert.equal(fs.readFileSync(x.path, "utf8"), lines(5));
    assert.equal(fs.readFileSync(meta.path, "utf8"), lines(6, 50, 900));
    const again = await downloadToCache(client, { bucket: "cache", key: "x.json" }, { cacheDir });
    assert.equal(again.reused, true, "the object's own side file was not overwritten by the other key");
  });

  it("a prefix of part files without _SUCCESS is refused unless allowIncomplete", async () => {
    const opts = { quiet: true, s3Endpoint: srv.endpoint, cacheDir: path.join(dir, "half") };
    await rejects(EventStore.open("s3://cache/half/", opts), "E_INPUT_INCOMPLETE", /s3:\/\/cache\/half\/ holds part files but no _SUCCESS marker.*--allow-incomplete/);
    const s = await EventStore.open("s3://cache/half/", { ...opts, allowIncomplete: true });
    assert.equal(s.report.kept, 10);
    assert.equal(s.inputs[0].etag?.replace(/"/g, "").length, 32, "the ETag is pinned with the file");
    await s.close();
  });
});
