import { strict as assert } from "node:assert";
import { sessionGaps, sessionLengths } from "../../lib/eda";
import { FixtureDb, fixtureDb, fourUsers } from "./fixtureDb";

describe("eda/sessionStats", () => {
  let db: FixtureDb;
  before(async () => {
    db = await fixtureDb(fourUsers());
  });
  after(() => db.close());

  it("measures each session from its first to its last event", async () => {
    const rows = await sessionLengths(db);
    const got = rows.map((r) => `${r.group} ${r.userId}/${r.sessionId} ${r.minutes.toFixed(3)} min ${r.events} ev`);
    assert.deepEqual(got, [
      "churners u1/1 10.000 min 3 ev",
      "churners u1/2 1.017 min 3 ev",
      "churners u4/6 10.017 min 3 ev",
      "others u2/3 5.000 min 2 ev",
      "others u2/4 0.000 min 1 ev",
      "others u3/5 30.000 min 2 ev",
    ]);
  });

  it("measures gaps from a session's end to the next session's start, per user", async () => {
    const rows = await sessionGaps(db);
    assert.deepEqual(rows.map((r) => `${r.group} ${r.userId} ${r.hours.toFixed(4)}`), ["churners u1 46.8333", "others u2 19.9167"]);
  });

  it("keeps at most maxPerGroup rows per group, the same ones on every call", async () => {
    const a = await sessionLengths(db, { maxPerGroup: 2 });
    const b = await sessionLengths(db, { maxPerGroup: 2 });
    assert.equal(a.filter((r) => r.group === "churners").length, 2);
    assert.equal(a.filter((r) => r.group === "others").length, 2);
    assert.deepEqual(a, b);
    await assert.rejects(sessionGaps(db, { maxPerGroup: 0 }), /maxPerGroup must be a whole number/);
  });
});
