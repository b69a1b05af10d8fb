import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { computeFeatures, FEATURE_DICTIONARY, type FeatureTable } from "../../lib/features";
import { EventStore } from "../../lib/store";
import { formatSamples, type FormatSample, type SampleFacts } from "../helpers/formatSamples";
import { assertRowsClose } from "./assertRowsClose";

/** Per-user counts straight from the raw files: the independent oracle for the SQL. */
function rawCounts(SAMPLE: string): Map<string, { events: number; songs: number; artists: Set<string>; churned: boolean }> {
  const out = new Map<string, { events: number; songs: number; artists: Set<string>; churned: boolean }>();
  for (const f of fs.readdirSync(SAMPLE).sort()) {
    for (const line of fs.readFileSync(path.join(SAMPLE, f), "utf8").split("\n")) {
      if (!line.trim()) continue;
      const e = JSON.parse(line) as { userId: unknown; page: string; artist?: string };
      const id = String(e.userId);
      if (id === "") continue;
      const u = out.get(id) ?? { events: 0, songs: 0, artists: new Set<string>(), churned: false };
      out.set(id, u);
      if (e.page === "Cancellation Confirmation") u.churned = true;
      if (e.page === "Cancel" || e.page === "Cancellation Confirmation") continue;
      u.events++;
      if (e.page === "NextSong") {
        u.songs++;
        if (e.artist) u.artists.add(e.artist);
      }
    }
  }
  return out;
}

// On the Spark re-export the project makes from simulated events and, with SPARKIFY_CONFORMANCE_DIR,
// on the real sample (whose users, churners and places are stated here).
for (const sample of formatSamples()) describeSample(sample);

function describeSample(sample: FormatSample): void {
  describe(`features on the Spark re-export (${sample.name})`, () => {
    let full: FeatureTable;
    let SAMPLE: string;
    let facts: SampleFacts;
    before(async () => {
      SAMPLE = await sample.dir();
      facts = await sample.facts();
      const store = await EventStore.open(SAMPLE, { quiet: true, threads: 2 });
      try {
        full = await computeFeatures(store, { mode: "full-history" });
      } finally {
        await store.close();
      }
    });

    it("full-history: one row per user, the churners labelled", () => {
      assert.equal(full.rows.length, facts.users);
      assert.equal(full.rows.filter((r) => r.churn === 1).length, facts.churners);
      if (sample.real) assert.deepEqual(full.rows.filter((r) => r.churn === 1).map((r) => r.userId).sort(), ["100005", "100021", "87"]);
    });

    it("counts agree with the raw files", () => {
      const raw = rawCounts(SAMPLE);
      assert.equal(raw.size, facts.users);
      for (const r of full.rows) {
        const u = raw.get(String(r.userId))!;
        assert.equal(r.n_events, u.events, `user ${r.userId} events`);
        assert.equal(r.n_songs, u.songs, `user ${r.userId} songs`);
        assert.equal(r.distinct_artists, u.artists.size, `user ${r.userId} artists`);
        assert.equal(r.churn, u.churned ? 1 : 0);
      }
    });

    it("sensible values: no missing value where the data has one, shares within [0, 1]", () => {
      for (const r of full.rows) {
        for (const f of FEATURE_DICTIONARY) {
          if (!(f.name in r)) continue;
          const v = r[f.name];
          if (f.name.startsWith("session_gap")) assert.ok((r.n_sessions as number) < 2 || typeof v === "number", `${r.userId} ${f.name}`);
          else if (f.name === "thumbs_up_share" || f.name.endsWith("_trend")) assert.ok(v === null || (typeof v === "number" && v >= -1 && v <= 1), `${r.userId} ${f.name}`);
          else assert.notEqual(v, null, `user ${r.userId}: ${f.name} is null although every sample user has songs and a profile`);
          if (typeof v === "number") assert.ok(Number.isFinite(v), `${r.userId} ${f.name} finite`);
        }
        assert.ok((r.paid_share as number) >= 0 && (r.paid_share as number) <= 1);
        assert.match(String(r.state), /^[A-Z]{2}$/, `state ${r.state}`);
        if (sample.real) {
          assert.ok(["AZ", "CA", "IL", "LA", "NC", "TX"].includes(r.state as string), `state ${r.state}`);
          assert.ok(["Windows", "Mac OS X"].includes(r.os as string));
        }
      }
      // "Charlotte-Concord-Gastonia, NC-SC" → NC: the first state of a multi-state metro.
      if (sample.real) assert.equal(full.rows.find((r) => r.userId === "113")!.state, "NC");
    });

    it("a single file and the same lines split into part files give the same features", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-features-parts-"));
      try {
        const lines = fs.readdirSync(SAMPLE).sort().flatMap((f) => fs.readFileSync(path.join(SAMPLE, f), "utf8").split("\n").filter((l) => l.trim()));
        const single = path.join(dir, "all.jsonl");
        fs.writeFileSync(single, `${lines.join("\n")}\n`);
        const parts = path.join(dir, "parts");
        fs.mkdirSync(parts);
        const cuts = [0, 0.16, 0.39, 0.65, 1].map((q) => Math.round(q * lines.length));
        for (let i = 0; i + 1 < cuts.length; i++) fs.writeFileSync(path.join(parts, `part-${String(i).padStart(5, "0")}.jsonl`), `${lines.slice(cuts[i], cuts[i + 1]).join("\n")}\n`);
        fs.writeFileSync(path.join(parts, "_SUCCESS"), ""); // a finished Spark job's folder
        const tables: FeatureTable[][] = [];
        for (const src of [single, parts]) {
          const store = await EventStore.open(src, { quiet: true, threads: 2 });
          try {
            tables.push([await computeFeatures(store, { mode: "full-history" }), await computeFeatures(store, { cutoffs: [Date.UTC(2018, 9, 15), Date.UTC(2018, 9, 29)] })]);
          } finally {
            await store.close();
          }
        }
        assertRowsClose(tables[1][0].rows, tables[0][0].rows, "full-history");
        assertRowsClose(tables[1][1].rows, tables[0][1].rows, "forward");
        assertRowsClose(tables[0][0].rows, full.rows, "full-history vs the sample's own files");
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
