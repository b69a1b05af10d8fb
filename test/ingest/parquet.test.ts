import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { EVENT_COLUMN_TYPES, EVENT_FIELDS } from "../../lib/events/schema";
import { computeFeatures } from "../../lib/features";
import { writeSimulation } from "../../lib/simulate";
import { EventStore, type LoadOptions } from "../../lib/store";
import { resolveStorage } from "../../lib/store/EventStore";
import { ORDER, goodEvent, rejects, tempDir } from "../store/fixtures";

/** Runs SQL in a fresh in-memory DuckDB (the tests write their Parquet inputs with DuckDB's COPY). */
async function duck(sql: string): Promise<void> {
  const db = await DuckDBInstance.create(":memory:");
  const conn = await db.connect();
  try {
    await conn.run(sql);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

const q = (s: string): string => `'${s.replace(/'/g, "''")}'`;
/** read_ndjson of `file` with every field typed as the events table types it. */
const typedJson = (file: string): string =>
  `read_ndjson(${q(file)}, columns={${EVENT_FIELDS.map((f) => `${q(f)}: ${q(EVENT_COLUMN_TYPES[f])}`).join(", ")}})`;
/** The same columns as Spark's JSON reader types a re-export: integers as long, userId long (null when logged out). */
const SPARK_COLUMNS = EVENT_FIELDS.map((f) =>
  f === "userId" ? `CAST(NULLIF("userId", '') AS BIGINT) AS "userId"` : EVENT_COLUMN_TYPES[f] === "INTEGER" ? `CAST("${f}" AS BIGINT) AS "${f}"` : `"${f}"`,
).join(", ");

/** Opens `source` in both storages; checks they agree and returns memory's rows and report. */
async function bothStorages(source: string | string[], options: LoadOptions = {}): Promise<{ rows: Record<string, unknown>[]; report: EventStore["report"]; features: unknown }> {
  const out: Array<{ rows: Record<string, unknown>[]; report: EventStore["report"]; features: unknown }> = [];
  for (const storage of ["memory", "files"] as const) {
    const store = await EventStore.open(source, { quiet: true, ...options, storage });
    try {
      assert.equal(store.storage, storage);
      const features = await computeFeatures(store, { mode: "forward", cutoff: Date.parse("2018-10-15T00:00:00Z") });
      out.push({ rows: await store.rows(`SELECT * FROM events ${ORDER}`), report: store.report, features: features.rows });
    } finally {
      await store.close();
    }
  }
  const strip = (r: EventStore["report"]): unknown => ({ ...r, quarantineFile: r.quarantineFile === null ? null : "set" });
  assert.deepEqual(strip(out[1].report), strip(out[0].report), "files storage reports what memory storage reports");
  assert.deepEqual(out[1].rows, out[0].rows, "files storage holds memory storage's rows");
  assert.deepEqual(out[1].features, out[0].features);
  return out[0];
}

/** The report's counts without where they came from. */
const counts = (r: EventStore["report"]): unknown => ({ lines: r.lines, kept: r.kept, dropped: r.dropped, quarantined: r.quarantined, flagged: r.flagged });

describe("Parquet input: files and folders of parts, with the JSON path's checks, rules and accounting", function () {
  this.timeout(120_000);
  let dir: string;
  let json: string;
  let reference: Awaited<ReturnType<typeof bothStorages>>;

  before(async () => {
    dir = tempDir("sparkify-parquet-test-");
    const simulated = path.join(dir, "simulated.jsonl");
    await writeSimulation({ preset: "mini", users: 30, seed: 11, end: "2018-10-25T00:00:00Z", out: simulated, quiet: true });
    // Exact duplicates and no-user rows, so the table-wide rules have work on both paths.
    const lines = fs.readFileSync(simulated, "utf8").trimEnd().split("\n");
    json = path.join(dir, "events.jsonl");
    fs.writeFileSync(json, [...lines, lines[5], lines[7], lines[7], JSON.stringify({ ...goodEvent(0, 4), userId: "" })].join("\n") + "\n");
    reference = await bothStorages(json);
    assert.ok((reference.features as unknown[]).length > 10, "the feature comparisons compare some rows");
    assert.ok(reference.report.dropped.duplicate === 3 && reference.report.dropped.no_user! > 1, JSON.stringify(reference.report));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("one Parquet file with the table's types: the same rows, report counts and features as the JSON", async () => {
    const file = path.join(dir, "events.parquet");
    await duck(`COPY (SELECT * FROM ${typedJson(json)}) TO ${q(file)} (FORMAT parquet, COMPRESSION zstd)`);
    const got = await bothStorages(file);
    assert.deepEqual(got.rows, reference.rows);
    assert.deepEqual(counts(got.report), counts(reference.report));
    assert.deepEqual(got.report.sources, [{ source: file, lines: reference.report.lines, bytes: fs.statSync(file).size }]);
    assert.deepEqual(got.features, reference.features);
    assert.equal(got.report.convertedFiles, undefined, "a plain Parquet file is accounted for itself");
  });

  it("a Spark folder of parts (userId and integers as long, no-user rows null, a .crc side file): the same as the JSON; without _SUCCESS it is refused", async () => {
    const folder = path.join(dir, "spark");
    fs.mkdirSync(folder);
    for (const [i, where] of [[0, "rowid % 3 = 0"], [1, "rowid % 3 = 1"], [2, "rowid % 3 = 2"]] as const) {
      await duck(`COPY (SELECT ${SPARK_COLUMNS} FROM (SELECT *, row_number() OVER () AS rowid FROM ${typedJson(json)}) WHERE ${where}) TO ${q(path.join(folder, `part-0000${i}-7d1e-c000.snappy.parquet`))} (FORMAT parquet, COMPRESSION snappy)`);
    }
    fs.writeFileSync(path.join(folder, ".part-00000-7d1e-c000.snappy.parquet.crc"), "crc");
    await rejects(EventStore.open(folder, { quiet: true }), "E_INPUT_INCOMPLETE", /no _SUCCESS marker/);
    fs.writeFileSync(path.join(folder, "_SUCCESS"), "");
    const got = await bothStorages(folder);
    assert.deepEqual(got.rows, reference.rows);
    // Every loaded row with a user had a numeric userId (duplicates too: the rule counts before they are dropped).
    const users = reference.report.kept + reference.report.dropped.duplicate!;
    assert.deepEqual(counts(got.report), counts({ ...reference.report, flagged: { ...reference.report.flagged, normalise_user_id: users } }));
    assert.equal(got.report.sources.length, 3);
    assert.deepEqual(got.features, reference.features);
    // normalise_user_id off: every row with a user is quarantined with the JSON path's reason.
    await rejects(EventStore.open(folder, { quiet: true, rules: { normalise_user_id: false } }), "E_TOO_MANY_BAD_LINES", /:\d+ wrong type for "userId": bigint, expected a string/);
  });

  it("bad rows are quarantined with file, row number and reason; the rest load; both storages agree", async () => {
    const file = path.join(dir, "bad-rows.parquet");
    const good = Array.from({ length: 300 }, (_, i) => goodEvent(1 + (i % 5), i));
    const src = path.join(dir, "bad-rows.jsonl");
    fs.writeFileSync(src, good.map((e) => JSON.stringify(e)).join("\n") + "\n");
    // Row 11 has no ts, row 21 a status past 32 bits, row 31 a NaN length (Spark writes longs and doubles).
    await duck(`COPY (SELECT * REPLACE (
        CASE WHEN n = 11 THEN NULL ELSE ts END AS ts,
        CASE WHEN n = 21 THEN 3000000000 ELSE status END::BIGINT AS status,
        CASE WHEN n = 31 THEN 'nan'::DOUBLE ELSE length END AS length)
      FROM (SELECT *, row_number() OVER () AS n FROM ${typedJson(src)}) ORDER BY n) TO ${q(file)} (FORMAT parquet)`);
    await duck(`COPY (SELECT * EXCLUDE (n) FROM read_parquet(${q(file)}) ORDER BY n) TO ${q(file + ".tmp")} (FORMAT parquet)`);
    fs.renameSync(file + ".tmp", file);
    const got = await bothStorages(file, { maxBadFraction: 0.05 });
    assert.equal(got.report.lines, 300);
    assert.equal(got.report.quarantined, 3);
    assert.equal(got.report.kept, 297);
    const q2 = fs.readFileSync(got.report.quarantineFile!, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(q2.map((e) => [e.file, e.line, e.reason]), [
      [file, 11, 'missing field "ts"'],
      [file, 21, 'wrong type for "status": bigint 3000000000, expected a 32-bit integer'],
      [file, 31, 'wrong type for "length": nan, expected a finite number'],
    ]);
    assert.match(q2[1].text, /"status":3000000000/);
    // The JSON path names a missing ts the same way.
    const jsonBad = path.join(dir, "bad-rows-ts.jsonl");
    fs.writeFileSync(jsonBad, good.map((e, i) => JSON.stringify(i === 10 ? { ...e, ts: null } : e)).join("\n") + "\n");
    const js = await EventStore.open(jsonBad, { quiet: true, maxBadFraction: 0.05 });
    try {
      assert.equal(JSON.parse(fs.readFileSync(js.report.quarantineFile!, "utf8").split("\n")[0]).reason, 'missing field "ts"');
    } finally {
      await js.close();
    }
  });

  it("a Parquet file of another schema is an error naming the file and the column; an always-null column of another type is accepted", async () => {
    const src = path.join(dir, "few.jsonl");
    fs.writeFileSync(src, Array.from({ length: 20 }, (_, i) => JSON.stringify(goodEvent(1, i))).join("\n") + "\n");
    const tsText = path.join(dir, "ts-as-text.parquet");
    await duck(`COPY (SELECT * REPLACE (CAST(ts AS VARCHAR) AS ts) FROM ${typedJson(src)}) TO ${q(tsText)} (FORMAT parquet)`);
    await rejects(EventStore.open(tsText, { quiet: true }), "E_INPUT_FORMAT", new RegExp(`${tsText.replace(/[.]/g, "\\.")} is a Parquet file of another schema: column "ts" is VARCHAR \\(20 non-null values\\), expected an integer \\(BIGINT, epoch milliseconds\\)`));
    const noArtist = path.join(dir, "no-artist.parquet");
    await duck(`COPY (SELECT * EXCLUDE (artist, song) FROM ${typedJson(src)}) TO ${q(noArtist)} (FORMAT parquet)`);
    await rejects(EventStore.open(noArtist, { quiet: true, storage: "files" }), "E_INPUT_FORMAT", /no-artist\.parquet is a Parquet file of another schema: it has no column "artist", "song"/);
    const struct = path.join(dir, "nested.parquet");
    await duck(`COPY (SELECT * REPLACE ({'name': page} AS page) FROM ${typedJson(src)}) TO ${q(struct)} (FORMAT parquet)`);
    await rejects(EventStore.open(struct, { quiet: true }), "E_INPUT_FORMAT", /nested\.parquet .*column "page" is STRUCT\("name" VARCHAR\)/);
    // Spark types a JSON field that is always null as a string: no value, nothing wrong.
    const nullLength = path.join(dir, "null-length.parquet");
    await duck(`COPY (SELECT * REPLACE (CAST(NULL AS VARCHAR) AS length) FROM ${typedJson(src)}) TO ${q(nullLength)} (FORMAT parquet)`);
    const got = await bothStorages(nullLength);
    assert.equal(got.report.kept, 20);
    assert.ok(got.rows.every((r) => r.length === null));
    const notParquet = path.join(dir, "broken.parquet");
    fs.writeFileSync(notParquet, Buffer.concat([Buffer.from("PAR1"), Buffer.alloc(64)]));
    await rejects(EventStore.open(notParquet, { quiet: true }), "E_INPUT_FORMAT", /broken\.parquet is not a readable Parquet file/);
  });

  it("JSON and Parquet inputs together are accounted for file by file, in the order given", async () => {
    const file = path.join(dir, "events.parquet");
    const other = path.join(dir, "other.jsonl");
    fs.writeFileSync(other, Array.from({ length: 10 }, (_, i) => JSON.stringify(goodEvent(99, i))).join("\n") + "\n");
    const got = await bothStorages([other, file]);
    assert.deepEqual(got.report.sources.map((s) => [s.source, s.lines]), [[other, 10], [file, reference.report.lines]]);
    assert.equal(got.report.kept, reference.report.kept + 10);
  });

  it("storage auto counts Parquet bytes as the larger JSON they stand for", () => {
    const f = (bytes: number, format?: "parquet") => ({ source: "x", path: "x", bytes, gzip: false, ...(format ? { format } : {}) });
    assert.equal(resolveStorage("auto", [f(100 * 2 ** 20)]), "memory");
    assert.equal(resolveStorage("auto", [f(100 * 2 ** 20, "parquet")]), "files");
  });
});
