import { DuckDBInstance } from "@duckdb/node-api";
import { EVENT_FIELDS, SparkifyEvent } from "../../lib/events/schema";
import { eventsTableDdl } from "../../lib/sql/eventsTableDdl";
import type { SqlRunner } from "../../lib/store/types";

/** A SqlRunner over an in-memory DuckDB holding `events` made of the given rows; close() when done. */
export interface FixtureDb extends SqlRunner {
  close(): void;
}

function literal(v: unknown): string {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "number") return String(v);
  return `'${String(v).replace(/'/g, "''")}'`;
}

function plain(v: unknown): unknown {
  return typeof v === "bigint" ? Number(v) : v;
}

/** Creates the cleaned events table with `eventsTableDdl()` and inserts `events` (missing fields NULL). */
export async function fixtureDb(events: Array<Partial<SparkifyEvent>>): Promise<FixtureDb> {
  const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
  const conn = await instance.connect();
  await conn.run(eventsTableDdl());
  const values = events.map((e) => `(${EVENT_FIELDS.map((f) => literal(e[f])).join(", ")})`);
  if (values.length) await conn.run(`INSERT INTO events VALUES ${values.join(",\n")}`);
  return {
    async rows(sql: string) {
      const reader = await conn.runAndReadAll(sql);
      return reader.getRowObjectsJS().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)])));
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/** 2018-10-01T00:00:00Z in epoch ms: day 0 of the fixtures. */
export const T0 = Date.UTC(2018, 9, 1);
const MIN = 60_000;

const UA = {
  windows: '"Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36"',
  iphone: '"Mozilla/5.0 (iPhone; CPU iPhone OS 7_1_2 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D257 Safari/9537.53"',
  android: "Mozilla/5.0 (Linux; Android 4.4.2; Nexus 5 Build/KOT49H) AppleWebKit/537.36 Chrome/34.0",
  mac: '"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.77.4 (KHTML, like Gecko) Version/7.0.6 Safari/537.77.4"',
};

function ev(userId: string, sessionId: number, day: number, minute: number, page: SparkifyEvent["page"], p: Partial<SparkifyEvent>): Partial<SparkifyEvent> {
  return { userId, sessionId, ts: T0 + day * 1440 * MIN + Math.round(minute * MIN), page, auth: page === "Cancellation Confirmation" ? "Cancelled" : "Logged In", itemInSession: 0, method: "PUT", status: 200, ...p };
}

/**
 * Four hand-made users (expected EDA results are worked out in the tests):
 * u1 F paid Windows TX churner (sessions on day 0 and day 2), u2 M free→paid iPhone NY (day 0, day 1),
 * u3 M free Android CA (day 1; gender null on one row), u4 F free Mac, no location, churner (day 0).
 */
export function fourUsers(): Array<Partial<SparkifyEvent>> {
  const u1 = { gender: "F" as const, level: "paid" as const, userAgent: UA.windows, location: "Austin-Round Rock, TX" };
  const u2 = { gender: "M" as const, level: "free" as const, userAgent: UA.iphone, location: "New York-Newark-Jersey City, NY-NJ-PA" };
  const u3 = { gender: "M" as const, level: "free" as const, userAgent: UA.android, location: "Bakersfield, CA" };
  const u4 = { gender: "F" as const, level: "free" as const, userAgent: UA.mac, location: null };
  return [
    ev("u1", 1, 0, 600, "NextSong", u1),
    ev("u1", 1, 0, 605, "NextSong", u1),
    ev("u1", 1, 0, 610, "NextSong", u1),
    ev("u1", 2, 2, 540, "NextSong", u1),
    ev("u1", 2, 2, 541, "Cancel", u1),
    ev("u1", 2, 2, 541 + 1 / 60, "Cancellation Confirmation", u1),
    ev("u2", 3, 0, 720, "Home", u2),
    ev("u2", 3, 0, 725, "NextSong", u2),
    ev("u2", 4, 1, 480, "NextSong", { ...u2, level: "paid" }),
    ev("u3", 5, 1, 1200, "NextSong", u3),
    ev("u3", 5, 1, 1230, "Thumbs Down", { ...u3, gender: null }),
    ev("u4", 6, 0, 1380, "NextSong", u4),
    ev("u4", 6, 0, 1390, "Cancel", u4),
    ev("u4", 6, 0, 1390 + 1 / 60, "Cancellation Confirmation", u4),
  ];
}
