import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { DuckDBInstance } from "@duckdb/node-api";
import { EVENT_COLUMN_TYPES, EVENT_FIELDS } from "../../lib/events/schema";
import { eventsTableDdl } from "../../lib/sql/eventsTableDdl";
import { runEda } from "../../lib/eda";
import { computeFeatures } from "../../lib/features";
import { EventStore, type LoadOptions } from "../../lib/store";
import { resolveStorage } from "../../lib/store/EventStore";
import { formatSamples, sampleEvents } from "../helpers/formatSamples";
import { ORDER, goodEvent, rng, tempDir, toRawFormat } from "./fixtures";

/** Opens `source` in both storages and checks they give the same report, rows, summary and range. */
async function sameInBoth(source: string | string[], options: LoadOptions = {}): Promise<EventStore> {
  const memory = await EventStore.open(source, { quiet: true, ...options, storage: "memory" });
  const files = await EventStore.open(source, { quiet: true, ...options, storage: "files" });
  try {
    assert.equal(memory.storage, "memory");
    assert.equal(files.storage, "files");
    const strip = (r: EventStore["report"]): unknown => ({ ...r, quarantineFile: r.quarantineFile === null ? null : "set" });
    assert.deepEqual(strip(files.report), strip(memory.report));
    assert.deepEqual(await files.rows(`SELECT * FROM events ${ORDER}`), await memory.rows(`SELECT * FROM events ${ORDER}`));
    const summary = await files.summary();
    assert.deepEqual(summary, await memory.summary());
    const counts = Object.values(summary.byPage);
    assert.deepEqual(counts, [...counts].sort((x, y) => y - x), "pages by count, most first");
    assert.equal(summary.events, files.report.kept);
    assert.deepEqual(await files.timeRange(), await memory.timeRange());
    const [kind] = await files.rows(`SELECT table_type FROM information_schema.tables WHERE table_name = 'events'`);
    assert.equal(kind.table_type, "VIEW");
    return files;
  } finally {
    await memory.close();
    await files.close();
  }
}

describe("EventStore storage: events left in their files give what the in-memory table gives", () => {
  let dir: string;
  before(() => (dir = tempDir()));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const sample of formatSamples()) it(`the Spark re-export (${sample.name}), the raw format with logged-out rows, and gzip`, async () => {
    const SAMPLE_DIR = await sample.dir();
    await sameInBoth(SAMPLE_DIR);
    const raw = path.join(dir, "raw.json");
    fs.writeFileSync(raw, toRawFormat(sampleEvents(SAMPLE_DIR), 40));
    await sameInBoth(raw);
    const gz = path.join(dir, "raw.json.gz");
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(raw)));
    await sameInBoth([gz, SAMPLE_DIR]);
  });

  it("duplicates within and across files, no-user rows, late registrations, nulls, with rules on and off", async () => {
    const a = [goodEvent(1, 0), goodEvent(1, 1), goodEvent(1, 1), goodEvent(2, 2), { ...goodEvent(0, 3), userId: "" }, { ...goodEvent(0, 3), userId: "" }];
    a[3] = { ...a[3], registration: 1538352000000 + 2 * 1000 + 5 };
    // Same key (user, session, item, ts), different page: not a duplicate, must stay.
    const b = [goodEvent(1, 1), goodEvent(1, 0), { ...goodEvent(1, 0), page: "Settings" }, goodEvent(3, 9)];
    const fa = path.join(dir, "dups-a.jsonl");
    const fb = path.join(dir, "dups-b.jsonl");
    fs.writeFileSync(fa, a.map((e) => JSON.stringify(e)).join("\n") + "\n");
    fs.writeFileSync(fb, b.map((e) => JSON.stringify(e)).join("\n") + "\n");
    const s = await sameInBoth([fa, fb]);
    assert.deepEqual(s.report.dropped, { blank_line: 0, no_user: 2, duplicate: 3 });
    assert.equal(s.report.kept, 5);
    assert.equal(s.report.flagged.registration_after_first_event, 1);
    await sameInBoth([fa, fb], { rules: { duplicate: false } });
    await sameInBoth([fa, fb], { rules: { no_user: false } });
    await sameInBoth([fa, fb], { rules: { no_user: false, duplicate: false, registration_after_first_event: false } });
  });

  it("a folder where some part files have bad and blank lines: those load line by line, the rest stay in place", async () => {
    const folder = path.join(dir, "parts");
    fs.mkdirSync(folder);
    const random = rng(7);
    for (let p = 0; p < 4; p++) {
      const lines = Array.from({ length: 400 }, (_, i) => JSON.stringify(goodEvent(1 + Math.floor(random() * 9), p * 1000 + i)));
      if (p === 1) lines.splice(17, 0, "{broken", "", JSON.stringify({ ...goodEvent(2, 5), ts: "soon" }));
      // Values that must survive the line-by-line rows' trip through a JSON-lines file unchanged.
      if (p === 1) {
        const lengths = ["0.30000000000000004", "-0.0", "1e21", "5e-324", "1.7976931348623157e308"];
        const songs = ["quote \" and \\ backslash", "emoji 😀", "\u2028 tab\t", "", "東京"];
        lines.push(...lengths.map((length, i) => JSON.stringify({ ...goodEvent(3, 1900 + i), length: 1, song: songs[i] }).replace('"length":1', `"length":${length}`)));
      }
      if (p === 3) lines.splice(3, 0, JSON.stringify(goodEvent(4, 3005))); // a duplicate of line 6 of this part
      fs.writeFileSync(path.join(folder, `part-0000${p}.json`), lines.join("\n") + "\n");
    }
    fs.writeFileSync(path.join(folder, "_SUCCESS"), ""); // a finished folder (part folders without it are refused)
    const s = await sameInBoth(folder, { maxBadFraction: 0.01, quarantineDir: path.join(dir, "q") });
    assert.equal(s.report.quarantined, 2);
    assert.equal(s.report.dropped.blank_line, 1);
    assert.equal(s.report.lines, 1609);
  });

  it("every way a file loads, in one input: proven by the scan, clean but left to the SQL check, read line by line, Parquet", async () => {
    const write = (name: string, lines: string[]): string => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, lines.join("\n") + "\n");
      return file;
    };
    const proven = write("mix-proven.jsonl", Array.from({ length: 50 }, (_, i) => JSON.stringify(goodEvent(1 + (i % 3), i))));
    // An exponent is valid JSON the scan does not take: the file is clean but only the SQL check says so.
    const unusual = write("mix-unusual.jsonl", Array.from({ length: 40 }, (_, i) => JSON.stringify({ ...goodEvent(4, 100 + i), length: 1 }).replace('"length":1', '"length":2.5e2')));
    const bad = path.join(dir, "mix-bad.jsonl.gz");
    const badLines = Array.from({ length: 60 }, (_, i) => JSON.stringify(goodEvent(5, 200 + i)));
    badLines.splice(7, 0, JSON.stringify({ ...goodEvent(5, 7), sessionId: "x" }));
    fs.writeFileSync(bad, zlib.gzipSync(badLines.join("\n") + "\n"));
    const parquet = path.join(dir, "mix.parquet");
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    try {
      const json = write("mix-for-parquet.jsonl", Array.from({ length: 30 }, (_, i) => JSON.stringify(goodEvent(6, 300 + i))));
      await conn.run(`${eventsTableDdl("e")}; INSERT INTO e SELECT * FROM read_json('${json}', columns = {${EVENT_FIELDS.map((f) => `'${f}': '${EVENT_COLUMN_TYPES[f]}'`).join(", ")}})`);
      await conn.run(`COPY e TO '${parquet}' (FORMAT parquet)`);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
    // All clean: the files the scan cannot prove pass the one validation scan.
    const clean = await sameInBoth([proven, unusual, parquet]);
    assert.deepEqual([clean.report.lines, clean.report.kept, clean.report.quarantined], [120, 120, 0]);
    assert.deepEqual(clean.report.sources.map((s) => s.lines), [50, 40, 30]);
    // A bad line too: the unproven files go file by file, the bad one line by line.
    const mixed = await sameInBoth([proven, unusual, bad, parquet], { maxBadFraction: 0.1, quarantineDir: path.join(dir, "mix-q") });
    assert.deepEqual([mixed.report.lines, mixed.report.kept, mixed.report.quarantined], [181, 180, 1]);
    assert.deepEqual(mixed.report.sources.map((s) => s.lines), [50, 40, 61, 30]);
  });

  for (const sample of formatSamples()) it(`gives the same feature table in forward and full-history mode (${sample.name})`, async () => {
    const raw = path.join(dir, "features.json");
    fs.writeFileSync(raw, toRawFormat(sampleEvents(await sample.dir()), 25));
    const memory = await EventStore.open(raw, { quiet: true, storage: "memory" });
    const files = await EventStore.open(raw, { quiet: true, storage: "files" });
    try {
      for (const mode of ["forward", "full-history"] as const) {
        const options = mode === "forward" ? { mode, horizonDays: 20 } : { mode };
        const [a, b] = [await computeFeatures(files, options), await computeFeatures(memory, options)];
        assert.deepEqual(a.columns, b.columns, mode);
        assert.equal(a.rows.length, b.rows.length, mode);
        assert.ok(a.rows.length >= 5, mode);
        // Sums of doubles depend on the order DuckDB's threads add them in: equal to 1e-12, not bitwise.
        a.rows.forEach((row, i) => {
          for (const [k, v] of Object.entries(row)) {
            const w = (b.rows[i] as Record<string, unknown>)[k];
            if (typeof v === "number" && typeof w === "number" && !Number.isInteger(v)) assert.ok(Math.abs(v - w) <= 1e-12 * Math.max(1, Math.abs(w)), `${mode} ${k}: ${v} vs ${w}`);
            else assert.deepEqual(v, w, `${mode} row ${i} ${k}`);
          }
        });
      }
    } finally {
      await memory.close();
      await files.close();
    }
  });

  for (const sample of formatSamples()) it(`gives the same EDA data, read through one temporary copy (${sample.name})`, async () => {
    const memory = await EventStore.open(await sample.dir(), { quiet: true, storage: "memory" });
    const files = await EventStore.open(await sample.dir(), { quiet: true, storage: "files" });
    try {
      assert.deepEqual(await runEda(files), await runEda(memory));
    } finally {
      await memory.close();
      await files.close();
    }
  });

  /** The copies' Parquet files in this process's spill folders. */
  const copies = (): string[] => fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith(`sparkify-duckdb-${process.pid}-`))
    .flatMap((d) => (fs.existsSync(path.join(os.tmpdir(), d)) ? fs.readdirSync(path.join(os.tmpdir(), d)) : []).filter((f) => f.startsWith("events-copy-")));

  for (const sample of formatSamples()) it(`withEventsCopy: one temporary copy shadows the view while work reads it, then the view is back (${sample.name})`, async () => {
    const { events } = await sample.facts();
    const s = await EventStore.open(await sample.dir(), { quiet: true, storage: "files" });
    try {
      const kind = async (): Promise<unknown[]> => (await s.rows(`SELECT table_catalog, table_type FROM information_schema.tables WHERE table_name = 'events' ORDER BY 2 DESC`)).map((r) => `${r.table_catalog}:${r.table_type}`);
      const all = await s.rows(`SELECT * FROM events ${ORDER}`);
      assert.deepEqual(await kind(), ["memory:VIEW"]);
      const inside = await s.withEventsCopy(async () => {
        assert.deepEqual(await kind(), ["memory:VIEW", "temp:VIEW"], "a temporary view over the copy's Parquet file");
        assert.equal(copies().length, 1, "one copy, in the store's spill folder");
        const nested = await s.withEventsCopy(async () => (await s.rows("SELECT count(*) AS n FROM events"))[0].n, ["ts"]);
        assert.equal(nested, events);
        return s.rows(`SELECT * FROM events ${ORDER}`);
      });
      assert.deepEqual(inside, all);
      await assert.rejects(s.withEventsCopy(() => s.withEventsCopy(async () => 0), ["ts"]), /outer copy of the events lacks artist, auth/);
      assert.deepEqual(await kind(), ["memory:VIEW"]);
      // A row filter makes the copy smaller; nested work cannot ask for rows it left out.
      const early = `ts < 1540000000000 OR page = 'Cancellation Confirmation'`;
      const [{ n: expected }] = await s.rows(`SELECT count(*) AS n FROM events WHERE ${early}`);
      assert.ok(Number(expected) > 0 && Number(expected) < events);
      assert.equal(await s.withEventsCopy(async () => (await s.rows("SELECT count(*) AS n FROM events"))[0].n, ["ts", "page"], early), expected);
      await assert.rejects(s.withEventsCopy(() => s.withEventsCopy(async () => 0, ["ts"]), ["ts", "page"], early), /holds only rows where/);
      await assert.rejects(s.withEventsCopy(async () => { throw new Error("boom"); }), /boom/);
      assert.deepEqual(await kind(), ["memory:VIEW"], "the copy is dropped when the work fails");
      assert.deepEqual(copies(), [], "and its file removed");
    } finally {
      await s.close();
    }
  });

  it("fromEvents keeps its file while a files store reads it, and removes it on close", async () => {
    const s = await EventStore.fromEvents([goodEvent(1, 1), goodEvent(2, 2)], { storage: "files" });
    const [r] = await s.rows("SELECT count(*) AS n FROM events");
    assert.equal(r.n, 2);
    const [src] = await s.rows(`SELECT sql FROM duckdb_views() WHERE view_name = '_raw_events'`);
    const file = /'([^']*events\.jsonl)'/.exec(String(src.sql))![1];
    assert.ok(fs.existsSync(file));
    await s.close();
    assert.ok(!fs.existsSync(file));
  });

  it("auto picks memory for small inputs and files past 512 MiB of JSON (gzip counted inflated)", () => {
    const f = (bytes: number, gzip = false) => ({ source: "x", path: "x", bytes, gzip });
    assert.equal(resolveStorage(undefined, [f(100e6)]), "memory");
    assert.equal(resolveStorage("auto", [f(300e6), f(300e6)]), "files");
    assert.equal(resolveStorage(undefined, [f(100e6, true)]), "files");
    assert.equal(resolveStorage("memory", [f(10e9)]), "memory");
    assert.equal(resolveStorage("files", [f(10)]), "files");
    assert.throws(() => resolveStorage("disk" as "files", [f(10)]), /storage must be auto, memory or files/);
  });
});
