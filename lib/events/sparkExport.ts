// The Spark re-export of Sparkify logs: what `spark.read.json(raw).write.json(...)` made of the raw
// files in earlier projects (the form of the real sample). Spark writes one schema for all rows, so
// keys come out sorted by name, a null field is left out of its row, and `userId` (all digits) became
// a number; the exports kept the logged-in rows (a non-empty userId) only, per user in time order. Loaders read both forms; this module makes the second from the first, so the project
// can test that format on data it makes itself.
import { SparkifyError } from "../errors";

/** One raw event as parsed from a JSON line (the simulator's or the real logs' raw form). */
export type RawEventRecord = Readonly<Record<string, unknown>>;

const DIGITS = /^(0|[1-9][0-9]*)$/;

/**
 * One event in the Spark re-export form, or null for a row the export leaves out (logged out or
 * guest: empty userId). Keys sorted by name, null and undefined fields omitted, userId a number.
 * `where` names the event in errors (e.g. "file.jsonl:12").
 */
export function sparkExportRecord(event: RawEventRecord, where = "event"): Record<string, unknown> | null {
  const id = event.userId;
  if (id === "" || id === null || id === undefined) return null;
  let userId: number;
  if (typeof id === "number" && Number.isSafeInteger(id) && id >= 0) userId = id;
  else if (typeof id === "string" && DIGITS.test(id) && Number.isSafeInteger(Number(id))) userId = Number(id);
  else {
    throw new SparkifyError(
      "E_BAD_INPUT",
      `${where}: field userId is ${JSON.stringify(id)}; the Spark re-export writes userId as a number, so every logged-in userId must be a whole number without leading zeros (two ids must not become one)`,
    );
  }
  if (typeof event.ts !== "number" || !Number.isFinite(event.ts)) {
    throw new SparkifyError("E_BAD_INPUT", `${where}: field ts is ${JSON.stringify(event.ts)}, not epoch milliseconds`);
  }
  const out: Record<string, unknown> = {};
  // Code-point order, as Spark sorts inferred JSON fields.
  for (const key of Object.keys(event).sort(byCodePoint)) {
    const v = key === "userId" ? userId : event[key];
    if (v !== null && v !== undefined) out[key] = v;
  }
  return out;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The events in the Spark re-export form: logged-in rows only, each as {@link sparkExportRecord},
 * ordered by userId (numerically), then ts, then itemInSession (input order breaks remaining ties).
 * Returns one JSON line per kept event, without newlines.
 */
export function toSparkExport(events: Iterable<RawEventRecord>): string[] {
  const kept: Array<{ rec: Record<string, unknown>; i: number }> = [];
  let i = 0;
  for (const e of events) {
    const rec = sparkExportRecord(e, `event ${i + 1}`);
    if (rec) kept.push({ rec, i });
    i++;
  }
  kept.sort((a, b) => {
    const d = (a.rec.userId as number) - (b.rec.userId as number) || (a.rec.ts as number) - (b.rec.ts as number);
    if (d !== 0) return d;
    const ia = typeof a.rec.itemInSession === "number" ? a.rec.itemInSession : 0;
    const ib = typeof b.rec.itemInSession === "number" ? b.rec.itemInSession : 0;
    return ia - ib || a.i - b.i;
  });
  return kept.map((k) => JSON.stringify(k.rec));
}
