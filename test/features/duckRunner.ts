// A tiny SqlRunner over @duckdb/node-api for feature tests: an in-memory database holding the
// cleaned `events` table built from hand-made events (what EventStore.fromEvents gives, minus the
// store's cleaning and report).
import { DuckDBInstance } from "@duckdb/node-api";
import { EVENT_COLUMN_TYPES, EVENT_FIELDS, type SparkifyEvent } from "../../lib/events/schema";
import { eventsTableDdl } from "../../lib/sql/eventsTableDdl";
import type { SqlRunner } from "../../lib/store/types";

/** An in-memory DuckDB with an `events` table, usable as a SqlRunner. */
export interface DuckRunner extends SqlRunner {
  /** Runs a statement without reading rows. */
  exec(sql: string): Promise<void>;
  close(): void;
}

function toPlain(v: unknown): unknown {
  if (typeof v === "bigint") return Number(v);
  return v;
}

/** Opens an in-memory DuckDB; `events` (when given) fill the cleaned events table. */
export async function duckRunner(events?: readonly SparkifyEvent[]): Promise<DuckRunner> {
  const instance = await DuckDBInstance.create(":memory:", { threads: "2" });
  const con = await instance.connect();
  const runner: DuckRunner = {
    async rows(sql: string) {
      const reader = await con.runAndReadAll(sql);
      return reader.getRowObjectsJS().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, toPlain(v)])));
    },
    async exec(sql: string) {
      await con.run(sql);
    },
    close() {
      con.closeSync();
      instance.closeSync();
    },
  };
  if (events) {
    await runner.exec(eventsTableDdl());
    const appender = await con.createAppender("events");
    for (const e of events) {
      for (const f of EVENT_FIELDS) {
        const v = e[f];
        const type = EVENT_COLUMN_TYPES[f];
        if (v === null || v === undefined) appender.appendNull();
        else if (type === "BIGINT") appender.appendBigInt(BigInt(v));
        else if (type === "INTEGER") appender.appendInteger(Number(v));
        else if (type === "DOUBLE") appender.appendDouble(Number(v));
        else appender.appendVarchar(String(v));
      }
      appender.endRow();
    }
    appender.closeSync();
  }
  return runner;
}

/** Loads JSON-lines files into `events` the way the store cleans them (rows with a userId). */
export async function duckRunnerFromJsonLines(files: readonly string[]): Promise<DuckRunner> {
  const runner = await duckRunner();
  const cols = EVENT_FIELDS.map((f) => `'${f}': '${f === "userId" ? "VARCHAR" : f === "ts" || f === "registration" || f === "sessionId" ? "BIGINT" : f === "length" ? "DOUBLE" : f === "itemInSession" || f === "status" ? "INTEGER" : "VARCHAR"}'`).join(", ");
  await runner.exec(eventsTableDdl());
  await runner.exec(`INSERT INTO events SELECT ${EVENT_FIELDS.map((f) => `"${f}"`).join(", ")} FROM read_json([${files.map((f) => `'${f}'`).join(", ")}], format = 'newline_delimited', columns = {${cols}}) WHERE "userId" IS NOT NULL AND "userId" <> ''`);
  return runner;
}
