// Conformance (SPARKIFY_CONFORMANCE_DIR): the real Sparkify sample (a Spark re-export) against what
// the project states about it and against the Spark export the project makes itself. The format tests
// (store, scan, storage, S3, features, SQL renderings, remote engines) also run on this sample then,
// through test/helpers/formatSamples.ts.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { CHURN_PAGE } from "../../lib/events/schema";
import { toSparkExport } from "../../lib/events/sparkExport";
import { CONFORMANCE_PARTS, describeConformance } from "../helpers/conformance";
import { REAL_SAMPLE_FACTS } from "../helpers/formatSamples";
import { toRawFormat } from "../store/fixtures";

describeConformance("the real Sparkify sample", (root) => {
  const dir = path.join(root, CONFORMANCE_PARTS.realSample);
  const lines = (f: string): string[] => fs.readFileSync(path.join(dir, f), "utf8").split("\n").filter((l) => l.trim() !== "");

  it("holds what the project states about it: 6,350 events, 7 users, 3 churners, from 2018-10-01", () => {
    const files = fs.readdirSync(dir).sort();
    const events = files.flatMap(lines).map((l) => JSON.parse(l) as { userId: number; page: string; ts: number });
    assert.deepEqual(
      {
        events: events.length,
        users: new Set(events.map((e) => e.userId)).size,
        churners: new Set(events.filter((e) => e.page === CHURN_PAGE).map((e) => e.userId)).size,
        files,
        firstDay: new Date(Math.min(...events.map((e) => e.ts))).toISOString().slice(0, 10),
      },
      REAL_SAMPLE_FACTS,
    );
  });

  it("the project's Spark export of the sample's raw form gives back the sample's own lines", () => {
    for (const f of REAL_SAMPLE_FACTS.files) {
      const own = lines(f);
      // The raw form: all 18 keys, nulls written out, string userId, and logged-out rows to leave out.
      const raw = toRawFormat(own.map((l) => JSON.parse(l) as Record<string, unknown>), 30).trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
      const made = toSparkExport(raw);
      // Byte for byte; the multi-user file interleaves its users by time, the export orders by user first.
      const byUserTime = (l: string): [number, number, number] => {
        const e = JSON.parse(l) as { userId: number; ts: number; itemInSession: number };
        return [e.userId, e.ts, e.itemInSession];
      };
      const sorted = own.map((l, i) => ({ l, k: byUserTime(l), i })).sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.k[2] - b.k[2] || a.i - b.i).map((x) => x.l);
      assert.equal(made.length, own.length, f);
      made.forEach((l, i) => assert.equal(l, sorted[i], `${f}: line ${i + 1} of the export`));
      if (f.startsWith("example_user_")) assert.deepEqual(made, own, `${f} is one user's events in time order, as the export writes them`);
    }
  });
});
