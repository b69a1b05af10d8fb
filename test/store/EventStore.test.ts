import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { EVENT_COLUMN_TYPES, EVENT_FIELDS } from "../../lib/events/schema";
import { EventStore } from "../../lib/store";
import { formatSamples, sampleEvents, sampleText, type SampleFacts } from "../helpers/formatSamples";
import { ORDER, goodEvent, rejects, tempDir, toRawFormat } from "./fixtures";


// The Spark re-export (sorted keys, omitted nulls, numeric userId), on the sample the project makes
// from simulated events and, with SPARKIFY_CONFORMANCE_DIR, on the real one.
for (const sample of formatSamples()) describe(`EventStore: ${sample.name}`, function () {
  let dir: string;
  let spark: EventStore;
  let SAMPLE_DIR: string;
  let facts: SampleFacts;
  before(async () => {
    dir = tempDir();
    SAMPLE_DIR = await sample.dir();
    facts = await sample.facts();
    spark = await EventStore.open(SAMPLE_DIR, { quiet: true });
  });
  after(async () => {
    await spark.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("loads the Spark re-export: its users, churners and events", async () => {
    const [r] = await spark.rows(
      `SELECT count(*) AS n, count(DISTINCT "userId") AS users,
              count(DISTINCT "userId") FILTER (WHERE page = 'Cancellation Confirmation') AS churners FROM events`,
    );
    assert.deepEqual(r, { n: facts.events, users: facts.users, churners: facts.churners });
    assert.equal(spark.report.lines, facts.events);
    assert.equal(spark.report.kept, facts.events);
    assert.equal(spark.report.flagged.normalise_user_id, facts.events);
    assert.equal(spark.report.sources.length, facts.files.length);
  });

  it("has exactly the schema's columns and types, userId a non-empty string", async () => {
    const cols = await spark.rows(`SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_name = 'events' ORDER BY ordinal_position`);
    assert.deepEqual(cols.map((c) => c.name), [...EVENT_FIELDS]);
    for (const c of cols) assert.equal(c.type, EVENT_COLUMN_TYPES[c.name as keyof typeof EVENT_COLUMN_TYPES], String(c.name));
    const [u] = await spark.rows(`SELECT count(*) AS bad FROM events WHERE "userId" IS NULL OR "userId" = ''`);
    assert.equal(u.bad, 0);
    const [one] = await spark.rows(`SELECT * FROM events WHERE artist IS NULL ORDER BY "userId", ts LIMIT 1`);
    assert.equal(typeof one.ts, "number");
    assert.equal(one.song, null);
    assert.equal(one.length, null);
  });

  it("loads the raw format (all keys, nulls, string userId, logged-out rows) to the same typed events", async () => {
    const raw = path.join(dir, "raw.json");
    fs.writeFileSync(raw, toRawFormat(sampleEvents(SAMPLE_DIR), 40));
    const store = await EventStore.open(raw, { quiet: true });
    try {
      assert.deepEqual(await store.rows(`SELECT * FROM events ${ORDER}`), await spark.rows(`SELECT * FROM events ${ORDER}`));
      assert.equal(store.report.lines, facts.events + 40);
      assert.equal(store.report.dropped.no_user, 40);
      assert.equal(store.report.flagged.normalise_user_id, 0);
    } finally {
      await store.close();
    }
  });

  it("loads gzip, a glob and a list of files to the same events", async () => {
    const gz = path.join(dir, "all.json.gz");
    const text = sampleText(SAMPLE_DIR);
    fs.writeFileSync(gz, zlib.gzipSync(text));
    const expected = await spark.rows(`SELECT * FROM events ${ORDER}`);
    for (const src of [gz, path.join(SAMPLE_DIR, "*.json"), fs.readdirSync(SAMPLE_DIR).map((f) => path.join(SAMPLE_DIR, f))]) {
      const s = await EventStore.open(src, { quiet: true });
      try {
        assert.deepEqual(await s.rows(`SELECT * FROM events ${ORDER}`), expected, String(src));
      } finally {
        await s.close();
      }
    }
  });

  it("summarises by page, auth, level and day", async () => {
    const s = await spark.summary();
    assert.equal(s.events, facts.events);
    assert.equal(s.users, facts.users);
    assert.equal(s.byAuth.Cancelled, facts.churners);
    assert.equal(Object.values(s.byPage).reduce((a, b) => a + b, 0), facts.events);
    assert.equal(s.byDay.reduce((a, d) => a + d.events, 0), facts.events);
    assert.ok(s.byDay[0].day.startsWith(facts.firstDay), `${s.byDay[0].day}, expected ${facts.firstDay}`);
    assert.deepEqual(Object.keys(s.byLevel).sort(), ["free", "paid"]);
  });

  it("hands out DataFrames: query() and chunks()", async () => {
    const df = await spark.query(`SELECT "userId", count(*) AS n FROM events GROUP BY 1 ORDER BY 1`);
    assert.deepEqual(df.shape, [facts.users, 2]);
    assert.deepEqual(df.columns, ["userId", "n"]);
    let total = 0;
    let sizes: number[] = [];
    for await (const chunk of spark.chunks({ rows: 1000 })) {
      sizes.push(chunk.shape[0]);
      total += chunk.shape[0];
      assert.equal(chunk.shape[1], 18);
    }
    assert.equal(total, facts.events);
    assert.ok(sizes.slice(0, -1).every((s) => s === 1000), String(sizes));
    sizes = [];
    for await (const chunk of spark.chunks({ rows: 2, sql: `SELECT DISTINCT "userId" FROM events` })) sizes.push(chunk.shape[0]);
    assert.deepEqual(sizes, Array.from({ length: Math.ceil(facts.users / 2) }, (_, i) => Math.min(2, facts.users - 2 * i)));
  });

  it("runs under a DuckDB memory limit with its own spill folder, removed on close", async () => {
    const before = new Set(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(`sparkify-duckdb-${process.pid}-`)));
    const s = await EventStore.open(SAMPLE_DIR, { quiet: true, memoryLimit: "64MB", threads: 1 });
    const [r] = await s.rows(`SELECT current_setting('memory_limit') AS lim, count(*) AS n FROM events`);
    assert.equal(r.n, facts.events);
    assert.match(String(r.lim), /^6\d(\.\d+)? MiB$/);
    await s.close();
    const after = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(`sparkify-duckdb-${process.pid}-`) && !before.has(f));
    assert.deepEqual(after, []);
  });

  it("writes data-report.json that adds up", async () => {
    const file = path.join(dir, "run", "data-report.json");
    await spark.writeReport(file);
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    const dropped = Object.values(r.dropped as Record<string, number>).reduce((a, b) => a + b, 0);
    assert.equal(r.lines, r.kept + dropped + r.quarantined);
    assert.equal(r.quarantineFile, null);
  });
});

describe("EventStore: cleaning rules", () => {
  it("drops no-user rows and exact duplicates, flags late registrations, counts nulls", async () => {
    const events = [goodEvent(1, 0), goodEvent(1, 1), goodEvent(1, 1), goodEvent(1, 1), goodEvent(2, 2), { ...goodEvent(0, 3), userId: "" }];
    events[4] = { ...events[4], registration: 1538352000000 + 2 * 1000 + 5 }; // registered after its first event
    const s = await EventStore.fromEvents(events);
    try {
      assert.equal(s.report.lines, 6);
      assert.deepEqual(s.report.dropped, { blank_line: 0, no_user: 1, duplicate: 2 });
      assert.equal(s.report.kept, 3);
      assert.equal(s.report.flagged.registration_after_first_event, 1);
      assert.equal(s.report.flagged.nulls_kept, 1); // goodEvent(1, 0) has null artist/song/length
      const [r] = await s.rows(`SELECT count(*) AS n FROM events`);
      assert.equal(r.n, 3);
    } finally {
      await s.close();
    }
  });

  it("lets users turn rules off", async () => {
    const qdir = tempDir();
    const events = [goodEvent(1, 1), goodEvent(1, 1), { ...goodEvent(0, 3), userId: "" }];
    const s = await EventStore.fromEvents(events, { rules: { duplicate: false, no_user: false } });
    try {
      assert.equal(s.report.kept, 3);
      assert.deepEqual(s.report.dropped, { blank_line: 0 });
    } finally {
      await s.close();
    }
    const strict = await EventStore.fromEvents([{ ...goodEvent(1, 1), userId: 7 as unknown as string }, goodEvent(2, 2)], {
      rules: { normalise_user_id: false }, maxBadFraction: 1, quarantineDir: qdir,
    });
    try {
      assert.equal(strict.report.quarantined, 1);
      assert.equal(strict.report.kept, 1);
    } finally {
      await strict.close();
      fs.rmSync(qdir, { recursive: true, force: true });
    }
    await rejects(EventStore.fromEvents([goodEvent(1, 1)], { rules: { nope: false } }), "E_BAD_OPTION", /unknown cleaning rule "nope"/);
    await rejects(EventStore.fromEvents([goodEvent(1, 1)], { rules: { blank_line: false } }), "E_BAD_OPTION", /cannot be turned off/);
  });
});

describe("EventStore: bad lines and errors", () => {
  let dir: string;
  before(() => (dir = tempDir()));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("quarantines bad lines with file, line number and reason, and goes on", async () => {
    const good = Array.from({ length: 300 }, (_, i) => JSON.stringify(goodEvent(1 + (i % 5), i)));
    const lines = [...good];
    lines.splice(10, 0, "{not json");
    lines.splice(20, 0, "");
    lines.splice(30, 0, JSON.stringify({ ...goodEvent(1, 999), ts: "yesterday" }));
    lines.splice(40, 0, JSON.stringify({ ...goodEvent(1, 998), page: undefined }));
    lines.splice(50, 0, "[1,2,3]");
    const file = path.join(dir, "bad.jsonl");
    fs.writeFileSync(file, lines.join("\r\n") + "\r\n");
    const qdir = path.join(dir, "q");
    const s = await EventStore.open(file, { quiet: true, maxBadFraction: 0.05, quarantineDir: qdir });
    try {
      assert.equal(s.report.lines, 305);
      assert.equal(s.report.kept, 300);
      assert.equal(s.report.quarantined, 4);
      assert.equal(s.report.dropped.blank_line, 1);
      assert.equal(s.report.quarantineFile, path.join(qdir, "quarantine.jsonl"));
      const q = fs.readFileSync(s.report.quarantineFile!, "utf8").trim().split("\n").map((l) => JSON.parse(l));
      assert.deepEqual(q.map((e) => [e.line, e.reason]), [
        [11, "invalid JSON"],
        [31, 'wrong type for "ts": varchar, expected a 64-bit integer'],
        [41, 'missing field "page"'],
        [51, "not a JSON object: array"],
      ]);
      assert.ok(q.every((e) => e.file === file));
    } finally {
      await s.close();
    }
  });

  it("stops when more than 1% of lines are bad, naming the first bad lines", async () => {
    const lines = Array.from({ length: 100 }, (_, i) => JSON.stringify(goodEvent(1, i)));
    lines[7] = "oops";
    lines[60] = '{"ts": 1}';
    const file = path.join(dir, "toobad.jsonl");
    fs.writeFileSync(file, lines.join("\n"));
    await rejects(EventStore.open(file, { quiet: true, quarantineDir: path.join(dir, "q-toobad") }), "E_TOO_MANY_BAD_LINES", /2 of 100 lines.*toobad\.jsonl:8 invalid JSON; .*toobad\.jsonl:61 missing field "page"/);
  });

  it("reports a missing file, an empty input and a file that is not JSON lines", async () => {
    await rejects(EventStore.open(path.join(dir, "nope.jsonl"), { quiet: true }), "E_INPUT_MISSING", /nope\.jsonl/);
    fs.writeFileSync(path.join(dir, "empty.jsonl"), "");
    await rejects(EventStore.open(path.join(dir, "empty.jsonl"), { quiet: true }), "E_EMPTY_INPUT", /empty input/);
    fs.writeFileSync(path.join(dir, "blank.jsonl"), "\n  \n\n");
    await rejects(EventStore.open(path.join(dir, "blank.jsonl"), { quiet: true }), "E_EMPTY_INPUT", /3 lines, all blank/);
    fs.writeFileSync(path.join(dir, "table.csv"), "userId,ts,page\n1,2,Home\n");
    await rejects(EventStore.open(path.join(dir, "table.csv"), { quiet: true, maxBadFraction: 1 }), "E_INPUT_FORMAT", /table\.csv is not JSON lines.*"userId,ts,page"/);
    fs.writeFileSync(path.join(dir, "big.csv"), Array.from({ length: 120_000 }, (_, i) => `${i},1538352000000,Home`).join("\n"));
    await rejects(EventStore.open(path.join(dir, "big.csv"), { quiet: true, maxBadFraction: 1 }), "E_INPUT_FORMAT", /big\.csv is not JSON lines: none of its 100000 non-blank lines read so far/);
    fs.writeFileSync(path.join(dir, "pretty.json"), JSON.stringify([goodEvent(1, 1), goodEvent(1, 2)], null, 2));
    await rejects(EventStore.open(path.join(dir, "pretty.json"), { quiet: true, maxBadFraction: 1 }), "E_INPUT_FORMAT", /pretty\.json/);
  });

  it("reads a file that starts with a UTF-8 byte order mark without losing its first event", async () => {
    const lines = Array.from({ length: 20 }, (_, i) => JSON.stringify(goodEvent(1 + (i % 3), i)));
    const file = path.join(dir, "bom.jsonl");
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join("\n") + "\n")]));
    for (const storage of ["memory", "files"] as const) {
      const s = await EventStore.open(file, { quiet: true, storage });
      try {
        assert.equal(s.report.quarantined, 0, storage);
        assert.equal(s.report.kept, 20, storage);
        const [first] = await s.rows(`SELECT ts FROM events ORDER BY ts LIMIT 1`);
        assert.equal(first.ts, goodEvent(1, 0).ts);
      } finally {
        await s.close();
      }
    }
  });

  it("reports a truncated gzip with the file and byte offset", async () => {
    const text = Array.from({ length: 5000 }, (_, i) => JSON.stringify(goodEvent(1, i))).join("\n") + "\n";
    const gz = zlib.gzipSync(text);
    const file = path.join(dir, "cut.jsonl.gz");
    fs.writeFileSync(file, gz.subarray(0, Math.floor(gz.length / 2)));
    const err = await rejects(EventStore.open(file, { quiet: true }), "E_GZIP_CORRUPT", /truncated gzip: .*cut\.jsonl\.gz ends at byte \d+/);
    const offset = Number(/at byte (\d+)/.exec(err.message)![1]);
    assert.equal(offset, Math.floor(gz.length / 2));
  });
});
