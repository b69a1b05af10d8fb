import { strict as assert } from "node:assert";
import { SparkifyError } from "../../lib/errors";
import { CHURN_PAGE, EVENT_FIELDS } from "../../lib/events/schema";
import { sparkExportRecord, toSparkExport } from "../../lib/events/sparkExport";
import { simulatedRawEvents } from "../helpers/formatSamples";

const raw = (over: Record<string, unknown>): Record<string, unknown> => ({
  ts: 1538352000000, userId: "21", sessionId: 1, page: "Home", auth: "Logged In", method: "GET", status: 200, level: "free",
  itemInSession: 0, location: "Bakersfield, CA", userAgent: "Mozilla/5.0", lastName: "Lee", firstName: "Ann",
  registration: 1538000000000, gender: "F", artist: null, song: null, length: null, ...over,
});

describe("events/sparkExport: the Spark re-export form", () => {
  it("sorts the keys, leaves nulls out and writes userId as a number", () => {
    const rec = sparkExportRecord(raw({}))!;
    assert.deepEqual(Object.keys(rec), ["auth", "firstName", "gender", "itemInSession", "lastName", "level", "location", "method", "page", "registration", "sessionId", "status", "ts", "userAgent", "userId"]);
    assert.equal(rec.userId, 21);
    const song = sparkExportRecord(raw({ page: "NextSong", artist: "A", song: "S", length: 201.5, method: "PUT" }))!;
    assert.deepEqual(Object.keys(song), [...EVENT_FIELDS]);
    assert.equal(JSON.stringify(song).startsWith('{"artist":"A","auth":"Logged In"'), true);
  });

  it("leaves out logged-out and guest rows (empty userId), keeps the cancellation row", () => {
    assert.equal(sparkExportRecord(raw({ userId: "", auth: "Logged Out" })), null);
    assert.equal(sparkExportRecord(raw({ userId: "", auth: "Guest" })), null);
    assert.equal(sparkExportRecord(raw({ page: CHURN_PAGE, auth: "Cancelled" }))!.auth, "Cancelled");
  });

  it("orders by user as a number, then time, then item in session", () => {
    const lines = toSparkExport([
      raw({ userId: "10", ts: 5 }),
      raw({ userId: "9", ts: 7, itemInSession: 1 }),
      raw({ userId: "", ts: 1 }),
      raw({ userId: "9", ts: 7, itemInSession: 0 }),
      raw({ userId: "9", ts: 3 }),
    ]);
    assert.deepEqual(lines.map((l) => JSON.parse(l) as { userId: number; ts: number; itemInSession: number }).map((e) => [e.userId, e.ts, e.itemInSession]), [
      [9, 3, 0], [9, 7, 0], [9, 7, 1], [10, 5, 0],
    ]);
  });

  it("refuses a userId Spark would not read as a number, naming the event", () => {
    assert.throws(() => toSparkExport([raw({}), raw({ userId: "u-7" })]), (e: unknown) => e instanceof SparkifyError && e.code === "E_BAD_INPUT" && /event 2: field userId is "u-7"/.test(e.message));
    assert.throws(() => sparkExportRecord(raw({ userId: "007" }), "f.json:3"), /f\.json:3: field userId is "007"/);
    assert.throws(() => sparkExportRecord(raw({ ts: "1538352000000" })), /field ts is "1538352000000"/);
  });

  it("turns a simulation into the export: every logged-in event once, nothing else changed", async () => {
    const events = await simulatedRawEvents();
    const lines = toSparkExport(events);
    const loggedIn = events.filter((e) => e.userId !== "");
    assert.ok(events.length > loggedIn.length, "the simulation has logged-out rows to drop");
    assert.equal(lines.length, loggedIn.length);
    // The same events, each field equal (nulls omitted, userId a number), whatever the order.
    const norm = (e: Record<string, unknown>): string => JSON.stringify(EVENT_FIELDS.map((f) => (f === "userId" ? String(e[f]) : e[f] ?? null)));
    assert.deepEqual(lines.map((l) => norm(JSON.parse(l))).sort(), loggedIn.map(norm).sort());
    for (const l of lines) {
      const keys = Object.keys(JSON.parse(l));
      assert.deepEqual(keys, [...keys].sort(), l);
      assert.ok(!l.includes(":null"), l);
    }
  });
});
