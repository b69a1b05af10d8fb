import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { CreateBucketCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createS3Client } from "../../lib/inputs";
import { EventStore, convertEvents } from "../../lib/store";
import { startS3rver, type S3Server } from "../helpers/s3Servers";
import { ORDER, goodEvent, tempDir } from "./fixtures";

describe("Parquet on S3: a convert output's events uploaded to a prefix load as the local folder does", function () {
  this.timeout(120_000);
  let srv: S3Server;
  let client: S3Client;
  let dir: string;

  before(async () => {
    srv = await startS3rver();
    client = createS3Client({ endpoint: srv.endpoint, credentials: srv.credentials });
    dir = tempDir("sparkify-parquet-s3-");
    await client.send(new CreateBucketCommand({ Bucket: "lake" }));
    process.env.AWS_ACCESS_KEY_ID = srv.credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = srv.credentials.secretAccessKey;
  });
  after(async () => {
    client?.destroy();
    await srv?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
  });

  it("s3://bucket/prefix/events/ in both storages: the local rows and the conversion's accounting", async () => {
    const json = path.join(dir, "events.jsonl");
    const events = Array.from({ length: 200 }, (_, i) => goodEvent(1 + (i % 7), i));
    fs.writeFileSync(json, [...events, events[3], { ...events[4], userId: "" }].map((e) => JSON.stringify(e)).join("\n") + "\n");
    const converted = await convertEvents(json, path.join(dir, "interim"), { quiet: true });
    for (const name of fs.readdirSync(converted.eventsDir)) {
      await client.send(new PutObjectCommand({ Bucket: "lake", Key: `interim/events/${name}`, Body: fs.readFileSync(path.join(converted.eventsDir, name)) }));
    }
    const local = await EventStore.open(converted.outDir, { quiet: true });
    const expected = await local.rows(`SELECT * FROM events ${ORDER}`);
    await local.close();
    assert.equal(expected.length, 200);
    for (const storage of ["memory", "files"] as const) {
      const store = await EventStore.open("s3://lake/interim/events/", { quiet: true, s3Endpoint: srv.endpoint, cacheDir: path.join(dir, "cache"), storage });
      try {
        assert.deepEqual(await store.rows(`SELECT * FROM events ${ORDER}`), expected);
        const { quarantineFile, convertedFiles, ...counts } = store.report;
        const { quarantineFile: _q, ...original } = converted.report;
        assert.deepEqual(counts, original, "the conversion's accounting of the JSON lines");
        assert.deepEqual(store.report.dropped, { blank_line: 0, no_user: 1, duplicate: 1 });
        assert.equal(quarantineFile, null);
        assert.deepEqual(convertedFiles!.map((f) => f.source), ["s3://lake/interim/events/part-00000.parquet"]);
      } finally {
        await store.close();
      }
    }
  });
});
