// The run's one feature pass for training and scoring (trainingAndScoringTables) against the two
// questions it replaces (trainingTable, then snapshotFeatures): the same tables, row for row.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { snapshotFeatures, trainingAndScoringTables, trainingTable, type TrainingTableOptions } from "../../lib/eventSource";
import { eventTimeRange } from "../../lib/features";
import { writeSimulation } from "../../lib/simulate";
import { EventStore } from "../../lib/store";
import { openEvents } from "../features/openEvents";
import { randomEvents } from "../features/randomEvents";

const DAY = 86_400_000;

describe("eventSource: the training table and the scoring snapshot from one feature pass", function () {
  this.timeout(180_000);
  const stores: EventStore[] = [];
  // Files storage reads the simulated file again at every query: it stays until the end.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-both-"));
  after(async () => {
    for (const s of stores) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function simulated(): Promise<EventStore> {
    const file = path.join(dir, "mini.jsonl");
    if (!fs.existsSync(file)) await writeSimulation({ preset: "mini", users: 60, seed: 11, out: file, quiet: true, workers: 1 });
    const store = await EventStore.open(file, { quiet: true, threads: 2, storage: "files" });
    stores.push(store);
    return store;
  }

  async function assertSameAsTwoQueries(store: EventStore, options: TrainingTableOptions): Promise<void> {
    const one = await store.withEventsCopy(() => trainingAndScoringTables(store, options));
    const table = await trainingTable(store, options);
    const scoring = await snapshotFeatures(store, table);
    assert.deepEqual(one.table, table, "the training table");
    assert.deepEqual(one.scoring, scoring, "the scoring snapshot");
    assert.ok(one.table.rows.length > 0 && one.scoring.rows.length > 0);
  }

  it("forward mode, weekly cutoffs (the run's default): the same rows, and the snapshot just after the last event", async () => {
    const store = await simulated();
    await assertSameAsTwoQueries(store, {});
    const { table, scoring } = await trainingAndScoringTables(store, {});
    const range = await eventTimeRange(store);
    assert.deepEqual(scoring.cutoffs, [range.maxTs! + 1]);
    assert.ok(table.cutoffs.length >= 3, "several stacked cutoffs");
    assert.ok(!table.rows.some((r) => r.cutoff === scoring.cutoffs[0]), "no scoring row among the training rows");
    assert.ok(scoring.rows.every((r) => r.churn === 0), "nothing after the scoring time: no label");
  });

  it("forward mode, one cutoff at an odd hour and a 7-day horizon, on random users", async () => {
    const store = await openEvents(randomEvents(9, 50));
    stores.push(store);
    const range = await eventTimeRange(store);
    await assertSameAsTwoQueries(store, { cutoffs: { kind: "single", cutoff: range.minTs! + 20 * DAY + 3_600_000 * 7 }, horizonDays: 7 });
  });

  it("full-history mode: the snapshot is the table without the users who cancelled", async () => {
    const store = await simulated();
    await assertSameAsTwoQueries(store, { mode: "full-history" });
  });
});
