import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import {
  EVENT_COLUMN_TYPES,
  EVENT_FIELDS,
  OPTIONAL_FIELDS,
  REQUIRED_FIELDS,
  USER_FIELD,
  type EventField,
  type SparkifyEvent,
} from "../../lib/events/schema";
import { eventsTableDdl } from "../../lib/sql/eventsTableDdl";
import { reasonSql } from "../../lib/ingest/validationSql";
import { LineScanner } from "../../lib/ingest/scan/lineScanner";
import { UserTable } from "../../lib/ingest/scan/userTable";
import { renderAthenaReportQuery, withCleanEvents } from "../../lib/remote/athena";
import { renderPysparkEntry } from "../../lib/remote/pysparkEntry";
import { EventStore } from "../../lib/store";
import { goodEvent } from "../store/fixtures";

// The fields SparkifyEvent types as never null, spelled out: tsc fails here if the type changes.
type NonNullFields = { [K in EventField]: null extends SparkifyEvent[K] ? never : K }[EventField];
const NON_NULL: Record<NonNullFields, true> = {
  auth: true, itemInSession: true, level: true, method: true, page: true, sessionId: true, status: true, ts: true, userId: true,
};

/** Runs `fn` while `field` is one of REQUIRED_FIELDS (and not optional), as if the schema said so. */
async function withRequired<T>(field: EventField, fn: () => Promise<T> | T): Promise<T> {
  const required = REQUIRED_FIELDS as EventField[];
  const optional = OPTIONAL_FIELDS as EventField[];
  const at = optional.indexOf(field);
  required.push(field);
  optional.splice(at, 1);
  try {
    return await fn();
  } finally {
    required.pop();
    optional.splice(at, 0, field);
  }
}

describe("events/schema: the one list of fields, types, required and optional", () => {
  it("parts the 18 fields into required, the user field and optional, each typed", () => {
    assert.equal(EVENT_FIELDS.length, 18);
    const all = [...REQUIRED_FIELDS, USER_FIELD, ...OPTIONAL_FIELDS].sort();
    assert.deepEqual(all, [...EVENT_FIELDS].sort());
    assert.equal(new Set(all).size, 18);
    assert.deepEqual([...REQUIRED_FIELDS], ["ts", "page", "sessionId", "auth"]);
    for (const f of EVENT_FIELDS) assert.ok(["VARCHAR", "INTEGER", "BIGINT", "DOUBLE"].includes(EVENT_COLUMN_TYPES[f]), f);
    // A required field is never null in the typed event.
    for (const f of REQUIRED_FIELDS) assert.ok(f in NON_NULL, `${f} is required but SparkifyEvent allows null`);
  });

  it("every check reads the required fields from lib/events: a field made required there is required everywhere", async () => {
    await withRequired("level", async () => {
      // The validation SQL (JSON lines, both the fast and the line-by-line path).
      assert.match(reasonSql((f) => f, true), /'missing field "level"'/);
      // The line scan (WebAssembly): a line without it is not proven, so the strict SQL decides.
      const scanner = new LineScanner({ normaliseUserId: true, dropNoUser: true }, new UserTable(), null);
      const line = (e: Record<string, unknown>): Buffer => Buffer.from(JSON.stringify(e) + "\n");
      const { level: _dropped, ...noLevel } = goodEvent(1, 1) as Record<string, unknown>;
      assert.equal(scanner.scanRegion(line(noLevel), 0, line(noLevel).length), -1);
      assert.match(scanner.notProven!.reason, /required field missing/);
      // The remote engines' cleaning: PySpark and Athena (Trino).
      assert.match(renderPysparkEntry({ sql: "SELECT 1", runId: "r" }), /F\.col\("level"\)\.isNull\(\)/);
      assert.match(withCleanEvents("SELECT 1", "db", "t"), /level IS NOT NULL/);
      assert.match(renderAthenaReportQuery("db", "t"), /level IS NULL/);

      // The store, end to end: JSON lines and Parquet quarantine the event that lacks it.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-schema-"));
      try {
        const json = path.join(dir, "events.jsonl");
        fs.writeFileSync(json, [goodEvent(1, 1), noLevel, goodEvent(1, 3)].map((e) => JSON.stringify(e)).join("\n") + "\n");
        const store = await EventStore.open(json, { quiet: true, maxBadFraction: 1, quarantineDir: dir });
        try {
          assert.equal(store.report.quarantined, 1);
          const q = fs.readFileSync(store.report.quarantineFile!, "utf8");
          assert.match(q, /"line":2,"reason":"missing field \\"level\\""/);
        } finally {
          await store.close();
        }
        const parquet = path.join(dir, "events.parquet");
        const db = await DuckDBInstance.create(":memory:");
        const conn = await db.connect();
        try {
          await conn.run(`${eventsTableDdl("e")}; INSERT INTO e SELECT * FROM read_json(${JSON.stringify(json).replace(/"/g, "'")}, columns = {${EVENT_FIELDS.map((f) => `'${f}': '${EVENT_COLUMN_TYPES[f]}'`).join(", ")}})`);
          await conn.run(`COPY e TO '${parquet}' (FORMAT parquet)`);
        } finally {
          conn.closeSync();
          db.closeSync();
        }
        const fromParquet = await EventStore.open(parquet, { quiet: true, maxBadFraction: 1, quarantineDir: path.join(dir, "pq") });
        try {
          assert.equal(fromParquet.report.quarantined, 1);
          assert.match(fs.readFileSync(fromParquet.report.quarantineFile!, "utf8"), /missing field \\"level\\"/);
        } finally {
          await fromParquet.close();
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
    // And back: the same event is kept once the schema no longer requires the field.
    assert.doesNotMatch(reasonSql((f) => f, true), /missing field "level"/);
  });
});
