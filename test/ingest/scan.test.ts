import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { DuckDBInstance } from "@duckdb/node-api";
import { EVENT_FIELDS } from "../../lib/events/schema";
import { eventsTableDdl } from "../../lib/sql/eventsTableDdl";
import { EventStore } from "../../lib/store";
import { applyTableRules } from "../../lib/ingest/applyTableRules";
import { loadFile, typedRead } from "../../lib/ingest/loadFile";
import { resolveRules } from "../../lib/ingest/rules";
import { countRepeatedKeys, KeyLog } from "../../lib/ingest/scan/keyLog";
import { LineScanner } from "../../lib/ingest/scan/lineScanner";
import { scanFiles, type ScannedInput } from "../../lib/ingest/scan/scanFiles";
import { UserTable } from "../../lib/ingest/scan/userTable";
import type { DataReport } from "../../lib/ingest/dataReport";
import type { SourceFile } from "../../lib/inputs/sourceFile";
import { formatSamples, sampleEvents } from "../helpers/formatSamples";
import { goodEvent, rng, tempDir, toRawFormat } from "../store/fixtures";

const RULES = { normaliseUserId: true, dropNoUser: true };

/** One scanner per rules, reused as a thread reuses its own (an instance per line is slow to make). */
const scanners = new Map<string, LineScanner>();

/** Whether the scanner proves one line (without its newline) clean. */
function proves(line: string | Buffer, rules = RULES): boolean {
  const buf = Buffer.concat([Buffer.isBuffer(line) ? line : Buffer.from(line), Buffer.from("\n")]);
  const key = JSON.stringify(rules);
  if (!scanners.has(key)) scanners.set(key, new LineScanner(rules, new UserTable(), new KeyLog(16)));
  return scanners.get(key)!.scanRegion(buf, 0, buf.length) === 1;
}

function sourceFiles(paths: string[]): SourceFile[] {
  return paths.map((p) => ({ source: p, path: p, bytes: fs.statSync(p).size, gzip: p.endsWith(".gz") }));
}

function compact(e: Record<string, unknown>): string {
  return JSON.stringify(e);
}

/** Seeded variants of event lines: plain ones, unusual good ones and bad ones of every kind. */
function variants(seed: number, n: number): string[] {
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const e: Record<string, unknown> = goodEvent(1 + Math.floor(r() * 9), i);
    const field = pick([...EVENT_FIELDS]);
    const mutate = r() < 0.4;
    const value = pick<unknown>([
      null, undefined, 0, -0, 1, -1, 7.25, -3.5, 1e21, 1e-7, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 53, 123456789012345, 1234567890123456,
      "", "x", "é ü 東京", "quote \" and \\ backslash", "tab\there", "new\nline", "nul\u0000", "emoji 😀", "\u2028", "123", "1.5",
      true, false, [], [1], {}, { a: 1 },
    ]);
    if (mutate && value === undefined) delete e[field];
    else if (mutate) e[field] = value;
    let line = compact(e);
    const form = r();
    if (form < 0.1) line = JSON.stringify(e, null, 1).replace(/\n/g, ""); // spaces after ":" and ","
    else if (form < 0.15) line = line.replace(/,"/g, ',\t"');
    else if (form < 0.2) line = ` ${line} `;
    else if (form < 0.25) line = line.replace(/"ts":(\d+)/, '"ts":$1.0');
    else if (form < 0.3) line = line.replace(/"ts":(\d+)/, '"ts":1.5e12');
    else if (form < 0.35) line = line.replace(/"status":(\d+)/, '"status":0$1');
    else if (form < 0.4) line = line.replace(/"status":(\d+)/, '"status":-0');
    else if (form < 0.45) line = line.replace(/}$/, ',"extra":1}');
    else if (form < 0.5) line = line.replace(/}$/, `,"page":"Home"}`);
    else if (form < 0.55) line = line.slice(0, Math.floor(r() * line.length));
    else if (form < 0.6) line = line.replace(/"userId":"(\d+)"/, '"userId":$1');
    else if (form < 0.65) line = line.replace(/"location":"/, '"location":"\\u00e9\\ud83d\\ude00\\/');
    else if (form < 0.7) line = line.replace(/"song":"/, '"song":"\\x');
    else if (form < 0.72) line = line.replace(/"length":([\d.]+)/, '"length":$1e2');
    else if (form < 0.74) line = line.replace(/"userId":"/, '"userId":"\\u0041');
    else if (form < 0.76) line = `${line}\r`;
    else if (form < 0.78) line = `[${line}]`;
    out.push(line);
  }
  return out;
}

describe("scan: the one-pass check that proves lines clean", function () {
  this.timeout(120_000);
  let dir: string;
  before(() => (dir = tempDir("sparkify-scan-test-")));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("proves the plain forms of Spark-export and raw-format events, and not a single bad one", async () => {
    for (const sample of formatSamples()) {
      const events = sampleEvents(await sample.dir());
      for (const e of events) assert.ok(proves(compact(e)), `${sample.name}: ${compact(e)}`);
      for (const line of toRawFormat(events.slice(0, 200), 50).trim().split("\n")) assert.ok(proves(line), `${sample.name}: ${line}`);
    }
    const e = goodEvent(4, 7);
    const bad = [
      "", " ", "{}", "null", "[]", "{\"ts\":1}", compact(e).slice(0, -1), `${compact(e)}x`, `${compact(e)},`,
      compact({ ...e, ts: "1538352000000" }), compact({ ...e, ts: 1.5 }), compact({ ...e, page: 5 }), compact({ ...e, page: null }),
      compact({ ...e, itemInSession: 2 ** 31 }), compact({ ...e, artist: true }), compact({ ...e, length: "2" }),
      compact({ ...e, status: [200] }), compact({ ...e, userId: { id: 1 } }), compact({ ...e, song: "ab" }).replace("ab", "a\u0001b"), // a raw control byte
      compact(e).replace('"auth":"Logged In",', ""), compact(e).replace('"page"', '"Page"'),
    ];
    for (const line of bad) assert.equal(proves(line), false, line);
    // A JSON-number userId is good only while the normalise_user_id rule is on.
    const numeric = compact({ ...e, userId: 42 });
    assert.equal(proves(numeric), true);
    assert.equal(proves(numeric, { normaliseUserId: false, dropNoUser: true }), false);
    // Invalid UTF-8 is left to the strict path by the caller's check, not by the line scan.
    assert.ok(proves(Buffer.from(compact({ ...e, song: "é" }), "utf8")));
  });

  for (const seed of [11, 12, 13]) {
    it(`every line it proves, the strict SQL check accepts, and DuckDB reads the values JSON.parse gives (seed ${seed})`, async () => {
      const lines = variants(seed, 1500);
      const proven = lines.filter((l) => proves(l));
      const refused = lines.length - proven.length;
      // Both sides must be exercised: plenty proven, plenty left to the strict path.
      assert.ok(proven.length > 400 && refused > 400, `${proven.length} proven, ${refused} refused`);
      const file = path.join(dir, `proven-${seed}.jsonl`);
      fs.writeFileSync(file, proven.join("\n") + "\n");
      const instance = await DuckDBInstance.create(":memory:");
      const conn = await instance.connect();
      try {
        await conn.run(eventsTableDdl("events"));
        const r = await loadFile(conn, sourceFiles([file])[0], { normaliseUserId: true, target: "events" });
        assert.deepEqual(r.quarantine.map((q) => `${q.line}: ${q.reason}`), []);
        if (r.mode === "fast") await conn.run(`INSERT INTO events ${typedRead(sourceFiles([file]))}`);
        assert.equal(r.inserted, proven.length);
        const got = (await conn.runAndReadAll(`SELECT ${EVENT_FIELDS.map((f) => `"${f}"`).join(", ")} FROM events`)).getRowObjectsJS();
        const expected = proven.map((l) => {
          const o = JSON.parse(l) as Record<string, unknown>;
          return Object.fromEntries(EVENT_FIELDS.map((f) => {
            const v = o[f] ?? null;
            if (f === "userId") return [f, v === null ? "" : String(v)];
            return [f, typeof v === "number" && ["ts", "registration", "sessionId"].includes(f) ? BigInt(v) : v];
          }));
        });
        const key = (o: Record<string, unknown>): string => JSON.stringify(o, (_k, v) => (typeof v === "bigint" ? `${v}n` : Object.is(v, -0) ? "-0" : v));
        assert.deepEqual(got.map(key).sort(), expected.map(key).sort());
      } finally {
        conn.closeSync();
        instance.closeSync();
      }
    });
  }

  for (const sample of formatSamples()) it(`counts what the SQL rules count: lines, no-user rows, nulls, users, late registrations, time range, numeric ids (${sample.name})`, async () => {
    const SAMPLE_DIR = await sample.dir();
    const raw = path.join(dir, "raw.json");
    // The sample's users renamed, so that no event repeats one of the sample folder's.
    fs.writeFileSync(raw, toRawFormat(sampleEvents(SAMPLE_DIR).map((e) => ({ ...e, userId: `r${String(e.userId)}` })), 60));
    const extra = path.join(dir, "extra.jsonl.gz");
    const events = Array.from({ length: 300 }, (_, i) => goodEvent(100 + (i % 5), i));
    events[10] = { ...events[10], registration: 1538352000000 + 9_999_000 }; // user 100 registers late
    events[20] = { ...events[20], userId: null };
    events[21] = { ...events[21], userId: 104 };
    // Long ids that share their first 8 bytes (the user table keeps those inline) are distinct users.
    for (let i = 40; i < 100; i++) events[i] = { ...events[i], userId: `listener-0000${i % 4}`, registration: i === 41 ? 1538352000000 + 99_000 : 1538000000000 };
    fs.writeFileSync(extra, zlib.gzipSync(events.map(compact).join("\n"))); // no final newline
    const paths = [raw, extra, ...fs.readdirSync(SAMPLE_DIR).map((f) => path.join(SAMPLE_DIR, f))];
    for (const rules of [{}, { no_user: false }, { registration_after_first_event: false, duplicate: false }]) {
      const scan = await scanFiles(sourceFiles(paths), { normaliseUserId: true, dropNoUser: (rules as { no_user?: boolean }).no_user !== false, dedupe: true });
      assert.ok(scan.proven, JSON.stringify(scan));
      // The reference: the strict per-file load and the table rules in SQL, without the scan.
      const instance = await DuckDBInstance.create(":memory:");
      const conn = await instance.connect();
      try {
        await conn.run(eventsTableDdl("events"));
        const r: DataReport = { lines: 0, kept: 0, dropped: {}, flagged: {}, quarantined: 0, quarantineFile: null, sources: [] };
        let numeric = 0;
        for (const f of sourceFiles(paths)) {
          const loaded = await loadFile(conn, f, { normaliseUserId: true, target: "events" });
          if (loaded.mode === "fast") await conn.run(`INSERT INTO events ${typedRead([f])}`);
          r.lines += loaded.lines;
          r.kept += loaded.inserted;
          numeric += loaded.numericUserIds;
          r.sources.push({ source: f.source, lines: loaded.lines, bytes: f.bytes });
        }
        await applyTableRules(conn, resolveRules(rules), r);
        assert.equal(scan.rows, r.lines);
        assert.deepEqual(scan.lines, r.sources.map((x) => x.lines));
        assert.equal(scan.numericUserIds, numeric);
        assert.equal(scan.noUser, r.dropped.no_user ?? 0);
        assert.equal(scan.nullRows, r.flagged.nulls_kept);
        if (r.flagged.registration_after_first_event !== undefined) assert.equal(scan.lateUsers, r.flagged.registration_after_first_event);
        assert.ok(scan.lateUsers >= 1);
        const [[users, lo, hi]] = (await conn.runAndReadAll(`SELECT count(DISTINCT "userId"), min(ts), max(ts) FROM events`)).getRows();
        assert.equal(scan.users, Number(users));
        assert.equal(scan.minTs, Number(lo));
        assert.equal(scan.maxTs, Number(hi));
        assert.equal(scan.repeatedKeys, 0);
      } finally {
        conn.closeSync();
        instance.closeSync();
      }
    }
  });

  it("gives the same counts on one thread and on worker threads with files cut into pieces", async () => {
    const file = path.join(dir, "pieces.jsonl");
    const body = Array.from({ length: 5000 }, (_, i) => compact(goodEvent(1 + (i % 37), i))).join("\n");
    fs.writeFileSync(file, body); // no final newline: the last piece ends mid-buffer
    const gz = path.join(dir, "pieces.jsonl.gz");
    fs.writeFileSync(gz, zlib.gzipSync(body + "\n"));
    const files = sourceFiles([file, gz]);
    const opts = { ...RULES, dedupe: true };
    const one = (await scanFiles(files, { ...opts, threads: 1 })) as ScannedInput;
    assert.deepEqual(one.lines, [5000, 5000]);
    for (const pieceBytes of [1000, 4096, 77_777]) {
      assert.deepEqual(await scanFiles(files, { ...opts, threads: 2, pieceBytes }), one);
    }
    // Every event of the gzip copy repeats one of the plain file: all keys repeat.
    assert.equal(one.repeatedKeys, 5000);
  });

  it("carries users, time range and repeated keys across record batches, and names the exact bad line past them", async () => {
    // 40,000 events in one region: the module hands back at most 16,384 records a call.
    const file = path.join(dir, "batches.jsonl");
    const events = Array.from({ length: 40_000 }, (_, i) => goodEvent(1 + (i % 997), i));
    for (const at of [5, 16_383, 16_384, 30_000]) events.push(events[at]); // exact repeats on both sides of batch edges
    events[20_000] = { ...events[20_000], userId: "a-listener-with-a-long-id", registration: events[20_000].ts as number + 1 };
    fs.writeFileSync(file, events.map(compact).join("\n") + "\n");
    const scan = (await scanFiles(sourceFiles([file]), { ...RULES, dedupe: true, threads: 1 })) as ScannedInput;
    assert.ok(scan.proven);
    assert.equal(scan.rows, 40_004);
    assert.equal(scan.users, 998);
    assert.equal(scan.lateUsers, 1);
    assert.equal(scan.repeatedKeys, 4);
    assert.equal(scan.minTs, 1538352000000);
    assert.equal(scan.maxTs, 1538352000000 + 39_999 * 1000);
    // A bad line after two full batches is named by its line number in the file.
    const bad = path.join(dir, "batches-bad.jsonl");
    const lines = events.slice(0, 40_000).map(compact);
    lines[35_000] = lines[35_000].replace('"status":200', '"status":"200"');
    fs.writeFileSync(bad, lines.join("\n") + "\n");
    const r = await scanFiles(sourceFiles([bad]), { ...RULES, dedupe: true, threads: 1 });
    assert.equal(r.proven, false);
    if (!r.proven) assert.match(r.reason, /^line 35001: a value of another type than its field's$/);
  });

  it("reads lines that end at a region's last byte, and a buffer of its own or the caller's", () => {
    const lines = Array.from({ length: 50 }, (_, i) => compact(goodEvent(1 + (i % 3), i)));
    const text = Buffer.from(lines.join("\n") + "\n");
    const scanner = new LineScanner(RULES, new UserTable(), new KeyLog(16));
    const own = scanner.region(text.length);
    const at = own.length - text.length; // the last line ends at the view's last byte: vector loads run into the padding
    text.copy(own, at);
    assert.equal(scanner.scanRegion(own, at, own.length), 50);
    const copied = new LineScanner(RULES, new UserTable(), new KeyLog(16));
    assert.equal(copied.scanRegion(text, 0, text.length), 50);
    for (const s of [scanner, copied]) assert.deepEqual([s.rows, s.minTs, s.maxTs], [50, 1538352000000, 1538352049000]);
    // A region grown past its first size keeps the bytes it held.
    const end = own.length; // the view is detached once the memory grows
    const grown = scanner.region(end + (1 << 20));
    assert.equal(grown.subarray(at, end).toString(), text.toString());
  });

  it("leaves a clean line past DuckDB's 16 MiB object limit to the strict path, which keeps it", async () => {
    const file = path.join(dir, "huge-line.jsonl");
    const huge = compact({ ...goodEvent(2, 1), song: "la".repeat(8_500_000) });
    fs.writeFileSync(file, [compact(goodEvent(2, 0)), huge, compact(goodEvent(2, 2))].join("\n") + "\n");
    const r = await scanFiles(sourceFiles([file]), { ...RULES, dedupe: true });
    assert.equal(r.proven, false);
    if (!r.proven) assert.match(r.reason, /line 2: a line over/);
    for (const storage of ["memory", "files"] as const) {
      const s = await EventStore.open(file, { quiet: true, storage });
      try {
        assert.equal(s.report.kept, 3, storage);
        const [row] = await s.rows(`SELECT length(song) AS n FROM events WHERE "itemInSession" = 1`);
        assert.equal(Number(row.n), 17_000_000, storage);
      } finally {
        await s.close();
      }
    }
  });

  it("gives up on a file at its first line it cannot prove, says where, and still proves the other files", async () => {
    const file = path.join(dir, "late-bad.jsonl");
    const lines = Array.from({ length: 3000 }, (_, i) => compact(goodEvent(1, i)));
    lines[2500] = '{"ts": oops}';
    fs.writeFileSync(file, lines.join("\n") + "\n");
    const good = path.join(dir, "good.jsonl");
    fs.writeFileSync(good, lines.slice(0, 2000).map((l, i) => (i % 10 === 0 ? compact({ ...goodEvent(2, i), userId: 2 }) : l)).join("\n"));
    for (const threads of [1, 2]) {
      const r = await scanFiles(sourceFiles([good, file, good]), { ...RULES, dedupe: false, threads, pieceBytes: 50_000 });
      assert.equal(r.proven, false);
      if (r.proven) continue;
      assert.match(`${r.source} ${r.reason}`, /late-bad\.jsonl \(in the part from byte \d+\) line \d+: a value of another type than its field's/);
      assert.deepEqual(r.files, [{ lines: 2000, numericUserIds: 200 }, null, { lines: 2000, numericUserIds: 200 }]);
    }
    const missing = await scanFiles(sourceFiles([file]).map((f) => ({ ...f, path: `${f.path}.gone` })), { ...RULES, dedupe: false });
    assert.equal(missing.proven, false);
    if (!missing.proven) assert.match(missing.reason, /read error/);
  });

  it("finds repeated keys across threads, and tells different keys apart", () => {
    const logs = [new KeyLog(10), new KeyLog(10)];
    for (let i = 0; i < 5000; i++) logs[i % 2].add(Math.imul(i, 0x9e3779b1), i);
    assert.equal(countRepeatedKeys(logs.map((l) => l.data())), 0);
    const again = [new KeyLog(10), new KeyLog(10)];
    for (let i = 0; i < 5000; i++) again[i % 2].add(Math.imul(i, 0x9e3779b1), i);
    again[0].add(Math.imul(3, 0x9e3779b1), 3); // same as entry 3 (logged by the other thread)
    again[1].add(Math.imul(3, 0x9e3779b1), 4); // same first hash, different second: a different key
    assert.equal(countRepeatedKeys(again.map((l) => l.data())), 1);
  });
});
