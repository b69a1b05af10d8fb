import { strict as assert } from "node:assert";
import { DuckDBInstance } from "@duckdb/node-api";
import {
  athenaEventsTable,
  renderAthenaReportQuery,
  renderEventsTableDdl,
  withCleanEvents,
} from "../../lib/remote/athena";
import { parseAthenaReport } from "../../lib/remote/fetchResult";

describe("remote/athena", () => {
  it("merges the cleaned events CTE into a query's own WITH list, or adds one", () => {
    const merged = withCleanEvents("-- features\nWITH a AS (SELECT 1) SELECT * FROM a", "db", "t");
    assert.match(merged, /^-- features\nWITH events AS \([\s\S]*\),\na AS \(SELECT 1\) SELECT \* FROM a$/);
    const added = withCleanEvents("SELECT count(*) FROM events", "db", "t");
    assert.match(added, /^WITH events AS \([\s\S]*FROM "db"\."t"[\s\S]*\)\nSELECT count\(\*\) FROM events$/);
  });

  it("names one table per input location and rejects unsafe names and single objects", () => {
    assert.equal(athenaEventsTable("s3://bkt/b/"), athenaEventsTable("s3://bkt/b/"));
    assert.notEqual(athenaEventsTable("s3://bkt/b/"), athenaEventsTable("s3://bkt/c/"));
    assert.throws(() => renderEventsTableDdl("db; DROP", "t", "s3://bkt/b/"), /--athena-database/);
    assert.throws(() => renderEventsTableDdl("db", "t", "s3://bkt/b/one.json"), /ending in "\/"/);
    assert.match(renderEventsTableDdl("db", "t", "s3://bkt/it's/"), /LOCATION 's3:\/\/bkt\/it''s\/'$/);
  });

  // The cleaning CTE and the counts query are plain SQL: run them on DuckDB over a messy raw table
  // (lower-case columns, as Athena's catalog has them).
  it("cleans and counts as the store's rules say (executed on DuckDB)", async () => {
    const db = await DuckDBInstance.create(":memory:", { threads: "1" });
    const con = await db.connect();
    try {
      await con.run(`CREATE SCHEMA db`);
      await con.run(`CREATE TABLE db.t (artist VARCHAR, auth VARCHAR, firstname VARCHAR, gender VARCHAR, iteminsession INTEGER, lastname VARCHAR, length DOUBLE, level VARCHAR, location VARCHAR, method VARCHAR, page VARCHAR, registration BIGINT, sessionid BIGINT, song VARCHAR, status INTEGER, ts BIGINT, useragent VARCHAR, userid VARCHAR)`);
      const row = (user: string | null, ts: number | null, page = "NextSong") =>
        `(NULL, 'Logged In', 'A', 'F', 0, 'B', NULL, 'free', NULL, 'PUT', '${page}', 1, 7, NULL, 200, ${ts ?? "NULL"}, NULL, ${user === null ? "NULL" : `'${user}'`})`;
      // 2 kept users (u1 has one exact duplicate), 2 without a user, 1 without ts, 1 all-null (malformed).
      await con.run(`INSERT INTO db.t VALUES ${[row("u1", 1000), row("u1", 1000), row("u1", 2000, "Home"), row("u2", 1500), row("", 1600), row(null, 1700), row("u3", null)].join(", ")}`);
      await con.run(`INSERT INTO db.t SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL`);
      const q = withCleanEvents(`SELECT "userId", count(*) AS n FROM events GROUP BY "userId" ORDER BY "userId"`, "db", "t");
      const rows = (await con.runAndReadAll(q)).getRowObjectsJS();
      assert.deepEqual(rows.map((r) => [r.userId, Number(r.n)]), [["u1", 2], ["u2", 1]]);
      const reader = await con.runAndReadAll(renderAthenaReportQuery("db", "t"));
      const names = reader.columnNames();
      const values = reader.getRowsJS()[0].map((v) => `"${String(v)}"`);
      const report = parseAthenaReport(`${names.map((n) => `"${n}"`).join(",")}\n${values.join(",")}\n`, "report.csv");
      assert.deepEqual(report, { lines: 8, kept: 3, dropped: { missing_field: 2, no_user: 2, duplicate: 1 }, malformed: 0 });
    } finally {
      con.closeSync();
      db.closeSync();
    }
  });
});
