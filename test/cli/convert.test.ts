import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { EVENT_COLUMN_TYPES, EVENT_FIELDS } from "../../lib/events/schema";
import { computeFeatures } from "../../lib/features";
import { writeSimulation } from "../../lib/simulate";
import { EventStore } from "../../lib/store";
import { convertEvents } from "../../lib/store/convertEvents";
import { runConvertCommand } from "../../lib/cli/commands/convert";
import { ORDER, goodEvent, rejects, tempDir } from "../store/fixtures";

const BIN = path.resolve(__dirname, "../../bin/sparkify-churn.js");
const CUTOFF = Date.parse("2018-10-15T00:00:00Z");

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(":memory:");
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** Rows, report and forward features of a store opened on `source`. */
async function load(source: string, storage: "memory" | "files") {
  const store = await EventStore.open(source, { quiet: true, storage });
  try {
    const features = await computeFeatures(store, { mode: "forward", cutoff: CUTOFF });
    return { rows: await store.rows(`SELECT * FROM events ${ORDER}`), report: store.report, features: features.rows };
  } finally {
    await store.close();
  }
}

/** Files and folders in `dir` whose names start with a dot (temporary folders left behind). */
const hidden = (dir: string): string[] => fs.readdirSync(dir).filter((n) => n.startsWith("."));

describe("convert: cleaned, accounted events as Parquet, read back as the JSON they came from", function () {
  this.timeout(180_000);
  let dir: string;
  let json: string;
  let out: string;
  let reference: Awaited<ReturnType<typeof load>>;

  before(async () => {
    dir = tempDir("sparkify-convert-test-");
    const simulated = path.join(dir, "simulated.jsonl");
    await writeSimulation({ preset: "mini", users: 30, seed: 5, end: "2018-10-25T00:00:00Z", out: simulated, quiet: true });
    const lines = fs.readFileSync(simulated, "utf8").trimEnd().split("\n");
    json = path.join(dir, "events.jsonl");
    // A bad line, a blank line, duplicates and a no-user row: every rule has something to count.
    fs.writeFileSync(json, [...lines.slice(0, 100), "{broken", "", ...lines.slice(100), lines[3], lines[3], JSON.stringify({ ...goodEvent(0, 1), userId: "" })].join("\n") + "\n");
    reference = await load(json, "memory");
    assert.ok(reference.features.length > 10);
    out = path.join(dir, "interim", "events");
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("the command writes events/ (one zstd part sorted by user and time, the 18 typed fields, _SUCCESS), data-report.json and quarantine.jsonl, and nothing else", async () => {
    const r = spawnSync(process.execPath, [BIN, "convert", "--input", json, "--out", out, "--quiet"], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(out).sort(), ["data-report.json", "events", "quarantine.jsonl"]);
    assert.deepEqual(fs.readdirSync(path.join(out, "events")).sort(), ["_SUCCESS", "part-00000.parquet"]);
    assert.deepEqual(hidden(path.dirname(out)), [], "no temporary folder left");
    const part = path.join(out, "events", "part-00000.parquet");
    const schema = await query(`DESCRIBE SELECT * FROM read_parquet('${part}')`);
    assert.deepEqual(schema.map((c) => [c.column_name, c.column_type]), EVENT_FIELDS.map((f) => [f, EVENT_COLUMN_TYPES[f]]));
    const codecs = await query(`SELECT DISTINCT compression FROM parquet_metadata('${part}')`);
    assert.deepEqual(codecs.map((c) => c.compression), ["ZSTD"]);
    const order = await query(`SELECT "userId", ts FROM read_parquet('${part}')`);
    for (let i = 1; i < order.length; i++) {
      const [a, b] = [order[i - 1], order[i]];
      assert.ok(String(a.userId) < String(b.userId) || (a.userId === b.userId && Number(a.ts) <= Number(b.ts)), `row ${i} out of order`);
    }
    const report = JSON.parse(fs.readFileSync(path.join(out, "data-report.json"), "utf8"));
    const { quarantineFile, ...counts } = reference.report;
    assert.deepEqual({ ...report, quarantineFile: null }, { ...counts, quarantineFile: null });
    assert.equal(report.quarantineFile, path.join(out, "quarantine.jsonl"));
    assert.equal(report.quarantined, 1);
    assert.equal(report.dropped.blank_line, 1);
    assert.match(JSON.parse(fs.readFileSync(path.join(out, "quarantine.jsonl"), "utf8")).text, /\{broken/);
    assert.ok(quarantineFile);
  });

  for (const storage of ["memory", "files"] as const) {
    it(`read back (${storage} storage, the folder or its events/): the JSON's rows, report counts and features`, async () => {
      for (const source of [out, path.join(out, "events")]) {
        const got = await load(source, storage);
        assert.deepEqual(got.rows, reference.rows);
        const { quarantineFile: q1, convertedFiles, ...counts } = got.report;
        const { quarantineFile: q0, ...expected } = reference.report;
        assert.deepEqual(counts, expected, "the original input's accounting, source by source");
        assert.equal(q1, path.join(out, "quarantine.jsonl"));
        assert.ok(q0);
        assert.deepEqual(convertedFiles, [{ source: path.join(source === out ? path.join(out, "events") : source, "part-00000.parquet"), rows: reference.report.kept, bytes: fs.statSync(path.join(out, "events", "part-00000.parquet")).size }]);
        assert.deepEqual(got.features, reference.features);
      }
    });
  }

  it("features --input DIR (the command line): the same features.csv and data report counts as from the JSON", () => {
    const features = (input: string, name: string): { csv: string; report: Record<string, unknown> } => {
      const csv = path.join(dir, `${name}.csv`);
      const report = path.join(dir, `${name}-report.json`);
      const r = spawnSync(process.execPath, [BIN, "features", "--input", input, "--cutoff", "2018-10-15", "--out", csv, "--report", report, "--quiet"], { encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      return { csv: fs.readFileSync(csv, "utf8"), report: JSON.parse(fs.readFileSync(report, "utf8")) };
    };
    const fromJson = features(json, "from-json");
    const fromParquet = features(out, "from-parquet");
    assert.ok(fromJson.csv.split("\n").length > 10);
    assert.equal(fromParquet.csv, fromJson.csv);
    const { quarantineFile: _a, convertedFiles, ...counts } = fromParquet.report;
    const { quarantineFile: _b, ...expected } = fromJson.report;
    assert.deepEqual(counts, expected);
    assert.ok(Array.isArray(convertedFiles));
  });

  it("Ctrl-C during a conversion leaves neither the output folder nor its temporary folder", async () => {
    const big = path.join(dir, "big.jsonl");
    await writeSimulation({ preset: "mini", users: 150, seed: 9, out: big, quiet: true });
    const target = path.join(dir, "interrupted", "events");
    fs.mkdirSync(path.dirname(target));
    const child = spawn(process.execPath, [BIN, "convert", "--input", big, "--out", target, "--quiet"], { stdio: "ignore" });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
    let done = false;
    void exited.then(() => (done = true));
    // Interrupted once its temporary folder exists, i.e. while it loads or writes. The output guard's
    // writability probe is hidden too, but it comes before the signal handler exists: a signal then
    // ends the process the default way, so the probe is not the moment to wait for.
    const convertTemp = (): string[] => hidden(path.dirname(target)).filter((n) => n.includes(".convert-"));
    while (!done && convertTemp().length === 0) await new Promise((r) => setTimeout(r, 5));
    assert.ok(!done, "the conversion ended before it could be interrupted");
    child.kill("SIGINT");
    const { signal } = await exited;
    assert.equal(signal, "SIGINT", "it dies of the signal, as without the handler");
    assert.deepEqual(fs.readdirSync(path.dirname(target)), [], "no output, no temporary folder");
  });

  it("a second conversion replaces the first whole; a folder that is not a conversion, the input itself, and a failed load are refused, leaving what was there", async () => {
    const other = path.join(dir, "other.jsonl");
    fs.writeFileSync(other, Array.from({ length: 40 }, (_, i) => JSON.stringify(goodEvent(1 + (i % 4), i))).join("\n") + "\n");
    const r = await runConvertCommand({ input: other, out, quiet: true });
    assert.equal(r.report.kept, 40);
    assert.deepEqual(fs.readdirSync(out).sort(), ["data-report.json", "events"], "the old quarantine went with the old conversion");
    assert.deepEqual(hidden(path.dirname(out)), []);
    const back = await load(out, "memory");
    assert.equal(back.rows.length, 40);
    assert.equal(back.report.quarantineFile, null);

    const empty = path.join(dir, "empty");
    fs.mkdirSync(empty);
    assert.equal((await convertEvents(other, empty, { quiet: true })).report.kept, 40, "an empty folder is filled");
    assert.deepEqual(fs.readdirSync(empty).sort(), ["data-report.json", "events"]);

    const mine = path.join(dir, "mine");
    fs.mkdirSync(mine);
    fs.writeFileSync(path.join(mine, "notes.txt"), "keep me");
    await rejects(convertEvents(other, mine, { quiet: true }), "E_OUTPUT_REFUSED", /refusing to replace .*mine: it holds notes\.txt and is not an earlier convert output/);
    assert.deepEqual(fs.readdirSync(mine), ["notes.txt"]);

    await rejects(runConvertCommand({ input: out, out: path.join(out, "again"), quiet: true }), "E_OUTPUT_REFUSED", /inside the input folder/);

    const bad = path.join(dir, "mostly-bad.jsonl");
    fs.writeFileSync(bad, ["{x", "{y", JSON.stringify(goodEvent(1, 1))].join("\n") + "\n");
    await rejects(runConvertCommand({ input: bad, out, quiet: true }), "E_TOO_MANY_BAD_LINES", new RegExp(`2 of 3 lines.*All of them are in ${out}\\.quarantine\\.jsonl`));
    assert.equal(fs.readFileSync(`${out}.quarantine.jsonl`, "utf8").trim().split("\n").length, 2, "the bad lines are kept beside the output");
    assert.equal((await load(out, "files")).rows.length, 40, "the earlier conversion is untouched");
    assert.deepEqual(hidden(path.dirname(out)), [], "the failed conversion's temporary folder is removed");
    fs.rmSync(`${out}.quarantine.jsonl`);
  });
});
