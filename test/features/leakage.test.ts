import * as assert from "node:assert/strict";
import { computeFeatures, type FeatureTable } from "../../lib/features";
import type { SparkifyEvent } from "../../lib/events/schema";
import { AFTER_T, BEFORE_T, T, at } from "./fixtures";
import { assertRowsClose } from "./assertRowsClose";
import { openEvents } from "./openEvents";
import { randomEvents, rng } from "./randomEvents";

/** The table without the label: what a model sees at the cutoff. */
function featuresOnly(t: FeatureTable): Array<Record<string, unknown>> {
  return t.rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== "churn")));
}

async function forward(events: SparkifyEvent[], cutoffs: number[]): Promise<FeatureTable> {
  const runner = await openEvents(events);
  try {
    return await computeFeatures(runner, { cutoffs });
  } finally {
    await runner.close();
  }
}

describe("features: no leakage in forward mode", () => {
  it("events after T change nothing but the label (hand-made fixture)", async () => {
    const withAfter = await forward([...BEFORE_T, ...AFTER_T], [T]);
    const without = await forward(BEFORE_T, [T]);
    assertRowsClose(featuresOnly(without), featuresOnly(withAfter));
    // …and the label did use them: users 1 and 6 churn only through events at or after T.
    assert.deepEqual(withAfter.rows.map((r) => r.churn), [1, 0, 0, 1]);
    assert.deepEqual(without.rows.map((r) => r.churn), [0, 0, 0, 0]);
  });

  it("deleting or shuffling every event after T leaves the features equal (random users, 2 cutoffs)", async () => {
    const events = randomEvents(7, 40);
    const cutoffs = [at("2018-10-20T00:00:00"), at("2018-11-03T00:00:00")];
    const last = cutoffs[cutoffs.length - 1];
    const reference = await forward(events, cutoffs);
    assert.ok(reference.rows.length > 40, `enough rows (${reference.rows.length})`);
    assert.ok(reference.rows.some((r) => r.churn === 1), "some churn in the horizon");

    // Delete: only the events before the earliest cutoff survive for it, and so on per cutoff.
    for (const c of cutoffs) {
      const before = await forward(events.filter((e) => e.ts < c), [c]);
      assertRowsClose(featuresOnly(before), featuresOnly(reference).filter((r) => r.cutoff === c), `cutoff ${new Date(c).toISOString()}`);
    }

    // Shuffle: after the last cutoff, move every event to a random user, page and time (still
    // after it), and shuffle the table's row order too.
    const r = rng(99);
    const after = events.filter((e) => e.ts >= last);
    const users = [...new Set(events.map((e) => e.userId))];
    const shuffled = events.filter((e) => e.ts < last).concat(after.map((e) => ({
      ...after[Math.floor(r() * after.length)],
      userId: users[Math.floor(r() * users.length)],
      ts: last + Math.floor(r() * 20 * 86_400) * 1000,
    })));
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    const moved = await forward(shuffled, cutoffs);
    assertRowsClose(featuresOnly(moved), featuresOnly(reference), "shuffled");
  });
});
