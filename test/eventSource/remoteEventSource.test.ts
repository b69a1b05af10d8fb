// The remote event source end to end on the local S3 server and the fake EMR Serverless / Athena
// endpoint, with DuckDB standing in for Spark and Trino: the time-range query it plans runs for real
// on the stand-ins, and the default and weekly cutoffs it derives must be the local store's.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { openEventSource, LocalEventSource, planCutoffs, weeklyCutoffs, type EventSource } from "../../lib/eventSource";
import { defaultCutoff, eventTimeRange, writeFeaturesCsv, type FeatureTable } from "../../lib/features";
import { planTimeRange } from "../../lib/remote";
import { EventStore } from "../../lib/store";
import { formatSamples } from "../helpers/formatSamples";
import { requireSystem } from "../helpers/systemSuites";
import { AthenaStandIn, queryFromScript, sparkJobStandIn } from "../remote/duckStandIns";
import { CapturingLogger, INPUT, RemoteHarness } from "../remote/harness";

const TIME_RANGE_SQL = "SELECT MIN(ts) AS min_ts, MAX(ts) AS max_ts FROM events";

describe("eventSource: the remote source finds the default cutoffs with one time-range query", function () {
  this.timeout(300_000);
  let h: RemoteHarness;
  let local: LocalEventSource;

  /** A remote source over the sample on the local S3 server, with the harness's settings. */
  const remoteSource = async (engine: "emr-serverless" | "athena", extra: { dryRun?: boolean; print?: (t: string) => void; settings?: boolean } = {}): Promise<EventSource> => {
    const { input: _i, features: _f, outDir: _o, logger: _l, handleSigint: _h, ...settings } = h.options(new CapturingLogger());
    return openEventSource({
      engine, input: INPUT, remote: extra.settings === false ? { endpoints: settings.endpoints, dryRun: extra.dryRun } : { ...settings, dryRun: extra.dryRun },
      workDir: h.outDir(), logger: new CapturingLogger(), handleSigint: false, print: extra.print,
    });
  };

  const csv = async (t: FeatureTable): Promise<string> => {
    const file = path.join(h.outDir(), "t.csv");
    await writeFeaturesCsv(t, file);
    return fs.readFileSync(file, "utf8");
  };

  before(async function () {
    requireSystem(this, "python3"); // the Spark stand-in reads QUERY out of the staged script with Python's parser
    const sample = formatSamples()[0];
    const dir = await sample.dir();
    const files = fs.readdirSync(dir).sort();
    h = await RemoteHarness.start();
    for (const f of files) await h.put(`${INPUT}${f}`, fs.readFileSync(path.join(dir, f), "utf8"));
    local = new LocalEventSource(await EventStore.open(files.map((f) => path.join(dir, f)), { quiet: true, threads: 1 }));
  });
  after(async () => {
    await local?.close();
    await h?.close();
  });

  it("plans the time-range query over the same cleaned events as the feature query, on both engines", () => {
    const { features: _f, ...job } = h.options(new CapturingLogger(), { runId: "tr-1" });
    const athena = planTimeRange("athena", job);
    assert.deepEqual(athena.athenaSteps?.map((s) => s.what), ["database", "events table", "time range"], "no feature or report statement");
    const sql = String(athena.athenaSteps?.[2].request.QueryString);
    assert.match(sql, /^WITH events AS \(\n  SELECT DISTINCT [\s\S]*WHERE ts IS NOT NULL AND page IS NOT NULL[\s\S]*\)\nSELECT MIN\(ts\) AS min_ts, MAX\(ts\) AS max_ts FROM events$/);
    const emr = planTimeRange("emr-serverless", job);
    assert.equal(emr.sql, TIME_RANGE_SQL);
    assert.equal(queryFromScript(emr.staged[0].body), TIME_RANGE_SQL, "the staged entry point runs the time-range query after its cleaning");
    assert.equal(emr.startJobRun?.name, "sparkify-churn-time-range-tr-1-range");
    assert.equal(emr.startJobRun?.clientToken, "tr-1-range", "its own idempotency token: not the feature job's");
  });

  for (const engine of ["emr-serverless", "athena"] as const) {
    describe(engine, () => {
      beforeEach(() => {
        const athena = new AthenaStandIn(h);
        h.fake.emrScenario = () => ({ states: ["SUBMITTED", "RUNNING", "SUCCESS"], onSuccess: (job) => sparkJobStandIn(h, job) });
        h.fake.athenaScenario = () => ({ states: ["QUEUED", "RUNNING", "SUCCEEDED"], onSuccess: (job) => athena.run(job) });
      });

      it("the time range is the local store's, asked once", async () => {
        const source = await remoteSource(engine);
        const before = h.fake.requests.length;
        assert.equal(await source.knownTimeRange(), null, "nothing asked yet, nothing sent");
        assert.equal(h.fake.requests.length, before);
        const range = await source.timeRange();
        assert.deepEqual(range, await eventTimeRange(local.store));
        const sent = h.fake.requests.length;
        assert.deepEqual(await source.timeRange(), range);
        assert.deepEqual(await source.knownTimeRange(), range);
        assert.equal(h.fake.requests.length, sent, "remembered, not asked again");
      });

      it("forward mode without a cutoff: the default cutoff is the local formula's, and the table the local one", async () => {
        const source = await remoteSource(engine);
        const table = (await source.trainingTable({ mode: "forward", cutoffs: { kind: "default" } }))!;
        const range = (await eventTimeRange(local.store)) as { minTs: number; maxTs: number };
        assert.deepEqual(table.cutoffs, [defaultCutoff(range, 14)]);
        assert.equal(await csv(table), await csv(await local.trainingTable({ mode: "forward", cutoffs: { kind: "default" } })));
        assert.equal(source.report?.kept, local.report.kept, "the remote cleaning counts came with the table");
      });

      it("weekly cutoffs (the `run` default) are the local store's", async () => {
        const source = await remoteSource(engine);
        const table = (await source.trainingTable({ horizonDays: 7 }))!;
        assert.deepEqual(table.cutoffs, weeklyCutoffs((await eventTimeRange(local.store))!, 7, 14));
        assert.ok(table.cutoffs.length >= 2);
        assert.deepEqual(table.cutoffs, await planCutoffs({ horizonDays: 7 }, () => local.timeRange()));
      });

      it("a dry run without settings prints the time-range plan with placeholders, sends nothing and answers null", async () => {
        let printed = "";
        const source = await remoteSource(engine, { dryRun: true, settings: false, print: (t) => { printed += t; } });
        const before = h.fake.requests.length;
        assert.equal(await source.trainingTable({ mode: "forward" }), null);
        assert.equal(h.fake.requests.length, before, "no request");
        assert.match(printed, new RegExp(`^Dry run: ${engine} in <region: not given>; nothing is sent\\.`));
        assert.match(printed, /not given \(shown as <…: not given>; a real run refuses without them\): --region \(AWS_REGION\), --staging/);
        assert.ok(printed.includes(TIME_RANGE_SQL));
        assert.match(printed, /<staging: not given>\/(runs|athena)\//);
        assert.match(printed, /Then the feature query, with weekly cutoffs/);
      });

      it("gives no EDA and says why", async () => {
        const source = await remoteSource(engine);
        assert.match(source.edaUnavailable ?? "", /the exploratory tables need the events locally/);
        await assert.rejects(source.eda(), /no EDA on/);
      });
    });
  }
});
