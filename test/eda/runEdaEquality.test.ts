// runEda derives every table from two scans (edaSummaries.ts); the per-chart functions, each of
// which reads the events on its own, are the reference: the tables must be the same, row for row
// and number for number, sampled session rows included.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runEda } from "../../lib/eda";
import { perChartEda as referenceEda } from "../../lib/eda/perChartEda";
import { writeSimulation } from "../../lib/simulate";
import { EventStore } from "../../lib/store";
import { fixtureDb, fourUsers } from "./fixtureDb";

describe("eda/runEda equals the per-chart queries", function () {
  this.timeout(120_000);
  let dir: string;
  let store: EventStore;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-eda-eq-"));
    const file = path.join(dir, "mini.jsonl");
    await writeSimulation({ preset: "mini", seed: 7, out: file, quiet: true });
    store = await EventStore.open(file, { storage: "memory", quiet: true, threads: 2 });
  });
  after(async () => {
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("on a simulated population, with the default sample size and with a small one", async () => {
    const eda = await runEda(store);
    assert.ok(eda.churnBy.state.length > 5 && eda.eventsPerDay.length > 100 && eda.sessionGaps.length > 1000, "tables with many rows");
    assert.deepEqual(eda, await referenceEda(store));
    // 50 per group samples the sessions, so the hash order of the kept rows is compared too.
    const small = await runEda(store, { maxPerGroup: 50 });
    assert.equal(small.sessionLengths.length, 100);
    assert.deepEqual(small, await referenceEda(store, { maxPerGroup: 50 }));
  });

  it("on the hand-made users, and leaves no table of its own behind", async () => {
    const db = await fixtureDb(fourUsers());
    try {
      const tables = async () => (await db.rows("SELECT table_name FROM duckdb_tables() ORDER BY 1")).map((r) => String(r.table_name));
      const before = await tables();
      assert.deepEqual(await runEda(db, { maxPerGroup: 2 }), await referenceEda(db, { maxPerGroup: 2 }));
      assert.deepEqual(await tables(), before);
      await assert.rejects(runEda(db, { maxPerGroup: 0 }), /maxPerGroup must be a whole number/);
    } finally {
      db.close();
    }
  });
});
