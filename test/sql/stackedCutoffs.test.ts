// The one-pass stacked feature query (lib/features/featureQuery.ts) against the query it replaced,
// which aggregated every event again for each cutoff (test/features/perCutoffFeatureQuery.ts):
// every column of every row equal, in each dialect's rendering, with sessions straddling cutoffs.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { featureTableFromRows, resolveCutoffs, type ResolvedFeatureOptions } from "../../lib/features";
import { bucketBoundaries } from "../../lib/features/featureQuery";
import { weeklyCutoffs } from "../../lib/eventSource/cutoffPlan";
import { writeSimulation } from "../../lib/simulate";
import { renderFeatureQuery } from "../../lib/features";
import { SQL_DIALECTS, sqlFor } from "../../lib/sql";
import { EventStore } from "../../lib/store";
import { assertRowsClose } from "../features/assertRowsClose";
import { openEvents } from "../features/openEvents";
import { buildPerCutoffFeatureQuery } from "../features/perCutoffFeatureQuery";
import { randomEvents } from "../features/randomEvents";
import { DUCKDB_MACROS } from "./duckdbMacros";

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Sessions whose events lie on both sides of one of `cutoffs`. */
async function straddlingSessions(store: EventStore, cutoffs: number[]): Promise<number> {
  const [r] = await store.rows(`SELECT count(*) AS n FROM (
    SELECT "userId", "sessionId", min(ts) AS a, max(ts) AS b FROM events GROUP BY 1, 2) s
    WHERE ${cutoffs.map((c) => `(a < ${c} AND b >= ${c})`).join(" OR ")}`);
  return Number(r.n);
}

async function perCutoff(store: EventStore, resolved: ResolvedFeatureOptions) {
  return featureTableFromRows(await store.rows(buildPerCutoffFeatureQuery(sqlFor("duckdb"), resolved)), resolved).rows;
}

async function onePass(store: EventStore, dialect: (typeof SQL_DIALECTS)[number], resolved: ResolvedFeatureOptions) {
  return featureTableFromRows(await store.rows(renderFeatureQuery(dialect, resolved)), resolved).rows;
}

describe("features: stacked cutoffs in one pass equal one aggregation per cutoff", function () {
  this.timeout(120_000);
  const stores: EventStore[] = [];
  const datasets: Array<{ name: string; open: () => Promise<EventStore>; cutoffs: (s: EventStore) => Promise<number[]> }> = [
    {
      // Cutoffs at odd hours, 3 and 10 days apart: trend windows overlap and cut sessions.
      name: "80 random users, cutoffs off midnight and off the weekly grid",
      open: () => openEvents(randomEvents(5, 80)),
      cutoffs: async () => [Date.UTC(2018, 9, 14, 13), Date.UTC(2018, 9, 17, 21, 30), Date.UTC(2018, 9, 27, 9), Date.UTC(2018, 10, 3, 2)],
    },
    {
      name: "simulated mini set (60 users, seed 7), the weekly cutoffs `run` stacks",
      open: async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-stacked-"));
        try {
          const file = path.join(dir, "mini.jsonl");
          await writeSimulation({ preset: "mini", users: 60, seed: 7, out: file, quiet: true, workers: 1 });
          return await EventStore.open(file, { quiet: true, threads: 2 });
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
      cutoffs: async (s) => weeklyCutoffs(await s.timeRange(), 14, 14),
    },
    {
      // The same simulated users at weekly cutoffs moved to 20:00 UTC, when many listeners are mid-session.
      name: "simulated mini set (60 users, seed 7), weekly cutoffs at 20:00",
      open: async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-stacked-"));
        try {
          const file = path.join(dir, "mini.jsonl");
          await writeSimulation({ preset: "mini", users: 60, seed: 7, out: file, quiet: true, workers: 1 });
          return await EventStore.open(file, { quiet: true, threads: 2 });
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
      cutoffs: async (s) => weeklyCutoffs(await s.timeRange(), 14, 14).map((c) => c - 4 * HOUR),
    },
  ];

  after(async () => {
    for (const s of stores) await s.close();
  });

  it("bucket boundaries hold every cutoff and both trend-window edges, once each, in order", () => {
    const t = Date.UTC(2018, 10, 1);
    assert.deepEqual(bucketBoundaries([t, t - 7 * DAY]), [t - 21 * DAY, t - 14 * DAY, t - 7 * DAY, t]);
    assert.deepEqual(bucketBoundaries([t]), [t - 14 * DAY, t - 7 * DAY, t]);
    assert.deepEqual(bucketBoundaries([t, t - 3 * DAY]), [t - 17 * DAY, t - 14 * DAY, t - 10 * DAY, t - 7 * DAY, t - 3 * DAY, t]);
  });

  for (const ds of datasets) {
    describe(ds.name, () => {
      let store: EventStore;
      let resolved: ResolvedFeatureOptions;
      before(async () => {
        store = await ds.open();
        stores.push(store);
        for (const m of [...DUCKDB_MACROS.spark, ...DUCKDB_MACROS.trino]) await store.rows(m);
        resolved = await resolveCutoffs(store, { cutoffs: await ds.cutoffs(store) });
      });

      it("has sessions straddling a cutoff and several cutoffs", async () => {
        assert.ok(resolved.cutoffs.length >= 3, `${resolved.cutoffs.length} cutoffs`);
        assert.ok((await straddlingSessions(store, resolved.cutoffs)) > 0, "some session straddles a cutoff");
      });

      for (const dialect of SQL_DIALECTS) {
        it(`${dialect}: every feature column equals the per-cutoff aggregation`, async () => {
          const reference = await perCutoff(store, resolved);
          assert.ok(reference.length > resolved.cutoffs.length, "rows at every cutoff");
          assert.ok(reference.some((r) => r.churn === 1), "some churn");
          assertRowsClose(await onePass(store, dialect, resolved), reference, `${dialect} one pass`);
        });
      }

      it("the stacked table is the union of the single-cutoff tables", async () => {
        const stacked = await onePass(store, "duckdb", resolved);
        const singles = [];
        for (const c of resolved.cutoffs) singles.push(...(await onePass(store, "duckdb", { ...resolved, cutoffs: [c] })));
        assert.deepEqual(stacked, singles);
      });
    });
  }
});
