// Test data of the store tests: the raw form of Spark-export events, seeded random lines. The
// Spark-export samples themselves are in test/helpers/formatSamples.ts.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EVENT_FIELDS } from "../../lib/events/schema";
import { mulberry32 } from "../../lib/random";
import { SparkifyError } from "../../lib/errors";

/** A fresh temp folder, removed by the caller. */
export function tempDir(prefix = "sparkify-store-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Spark-export events rewritten in the raw log format: all 18 keys, nulls written out, string userId, plus
 * `loggedOut` logged-out rows (userId "") that the store must drop.
 */
export function toRawFormat(events: Array<Record<string, unknown>>, loggedOut: number): string {
  const lines: string[] = [];
  events.forEach((e, i) => {
    const o: Record<string, unknown> = {};
    for (const f of EVENT_FIELDS) o[f] = e[f] === undefined ? null : e[f];
    o.userId = String(e.userId);
    lines.push(JSON.stringify(o));
    if (i < loggedOut) {
      const lo: Record<string, unknown> = {};
      for (const f of EVENT_FIELDS) lo[f] = null;
      Object.assign(lo, { auth: "Logged Out", itemInSession: i, level: "free", method: "GET", page: "Home", sessionId: 900000 + i, status: 200, ts: e.ts, userId: "" });
      lines.push(JSON.stringify(lo));
    }
  });
  return lines.join("\n") + "\n";
}

/** Deterministic PRNG (mulberry32) for reproducible fuzzing. */
export function rng(seed: number): () => number {
  return mulberry32(seed);
}

/** A valid event line for user `u`. */
export function goodEvent(u: number, i: number): Record<string, unknown> {
  return {
    artist: i % 3 === 0 ? null : `Artist ${i}`, auth: "Logged In", firstName: "Ann", gender: "F", itemInSession: i % 50,
    lastName: "Lee", length: i % 3 === 0 ? null : 200.5 + i, level: i % 2 ? "paid" : "free", location: "Bakersfield, CA",
    method: "PUT", page: i % 3 === 0 ? "Home" : "NextSong", registration: 1538000000000, sessionId: 10 + (i % 7),
    song: i % 3 === 0 ? null : `Song ${i}`, status: 200, ts: 1538352000000 + i * 1000, userAgent: "Mozilla/5.0", userId: String(u),
  };
}

/** Stable order of the events table, for comparing loads. */
export const ORDER = `ORDER BY "userId", ts, "itemInSession", page, "sessionId"`;

/** Awaits `p`, expecting a SparkifyError with `code` and a message matching `re`; returns it. */
export async function rejects(p: Promise<unknown>, code: string, re: RegExp): Promise<SparkifyError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof SparkifyError, `expected SparkifyError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.match(err.message, re);
    return err;
  }
  assert.fail(`expected ${code}`);
}
