// End to end with the real feature renderings: the staged Spark SQL and the Athena statements are
// executed (on DuckDB standing in for Spark and Trino) over a Spark re-export sample on the local S3 server,
// and the fetched features.csv must equal the one the DuckDB path writes for the same files.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { computeFeatures, readFeaturesCsv, writeFeaturesCsv, type FeatureOptions } from "../../lib/features";
import { computeFeaturesRemote } from "../../lib/remote/engine";
import { renderFeatureQuery } from "../../lib/features";
import { EventStore } from "../../lib/store";
import { formatSamples, type FormatSample } from "../helpers/formatSamples";
import { requireSystem } from "../helpers/systemSuites";
import { AthenaStandIn, sparkJobStandIn } from "./duckStandIns";
import { CapturingLogger, INPUT, RemoteHarness } from "./harness";


const MODES: Array<{ name: string; options: FeatureOptions }> = [
  { name: "full-history", options: { mode: "full-history" } },
  { name: "forward, one cutoff", options: { mode: "forward", cutoff: Date.UTC(2018, 10, 1), horizonDays: 14 } },
];

// On the Spark re-export the project makes from simulated events, and on the real sample with SPARKIFY_CONFORMANCE_DIR.
for (const sample of formatSamples()) describeSample(sample);

function describeSample(sample: FormatSample): void {
  describe(`remote/engine with the rendered feature query (${sample.name}, DuckDB stand-ins)`, function () {
    let h: RemoteHarness;
    let store: EventStore;
    before(async function () {
      // The stand-in takes the Spark query out of the staged script with Python's own parser.
      requireSystem(this, "python3");
      const SAMPLE_DIR = await sample.dir();
      const FILES = fs.readdirSync(SAMPLE_DIR).sort();
      h = await RemoteHarness.start();
      for (const f of FILES) await h.put(`${INPUT}${f}`, fs.readFileSync(path.join(SAMPLE_DIR, f), "utf8"));
      store = await EventStore.open(FILES.map((f) => path.join(SAMPLE_DIR, f)), { quiet: true, threads: 1 });
    });
    after(async () => {
      await store?.close();
      await h?.close();
    });

    for (const mode of MODES) {
      describe(mode.name, () => {
        let reference: string;
        let resolvedOptions: Awaited<ReturnType<typeof computeFeatures>>;
        before(async () => {
          resolvedOptions = await computeFeatures(store, mode.options);
          const file = path.join(h.outDir(), "features.csv");
          await writeFeaturesCsv(resolvedOptions, file);
          reference = fs.readFileSync(file, "utf8");
        });
        const features = () => ({ mode: resolvedOptions.mode, cutoffs: resolvedOptions.cutoffs, horizonDays: resolvedOptions.horizonDays, label: resolvedOptions.label });

        it("EMR Serverless: the staged script's Spark SQL gives the DuckDB path's features.csv", async () => {
          h.fake.emrScenario = () => ({ states: ["SUBMITTED", "RUNNING", "SUCCESS"], onSuccess: (job) => sparkJobStandIn(h, job) });
          const res = await computeFeaturesRemote("emr-serverless", h.options(new CapturingLogger(), { features: features() }));
          assert.equal(fs.readFileSync(res.csvPath, "utf8"), reference);
          const table = await readFeaturesCsv(res.csvPath);
          assert.equal(table.rows.length, resolvedOptions.rows.length);
          const [{ n }] = await store.rows("SELECT count(*) AS n FROM events");
          assert.equal(res.dataReport?.kept, Number(n), "the remote cleaning keeps what the store keeps");
        });

        it("Athena: the Trino statements give the DuckDB path's features.csv", async () => {
          const athena = new AthenaStandIn(h);
          h.fake.athenaScenario = () => ({ states: ["QUEUED", "RUNNING", "SUCCEEDED"], onSuccess: (job) => athena.run(job) });
          const res = await computeFeaturesRemote("athena", h.options(new CapturingLogger(), { features: features() }));
          assert.equal(fs.readFileSync(res.csvPath, "utf8"), reference);
          const [{ n }] = await store.rows("SELECT count(*) AS n FROM events");
          assert.equal(res.dataReport?.kept, Number(n), "the remote cleaning keeps what the store keeps");
        });

        it("the dry run prints the real Spark and Trino renderings", async () => {
          for (const [engine, dialect] of [["emr-serverless", "spark"], ["athena", "trino"]] as const) {
            let printed = "";
            await computeFeaturesRemote(engine, h.options(new CapturingLogger(), { features: features(), dryRun: true, print: (t) => { printed += t; } }));
            // Athena's copy follows the cleaned-events CTE merged into its WITH list.
            const sql = renderFeatureQuery(dialect, features()).trimEnd().replace(/^WITH\s+/, "");
            assert.ok(sql.length > 500 && printed.includes(sql), `${engine} dry run holds the ${dialect} rendering`);
          }
        });
      });
    }
  });
}
