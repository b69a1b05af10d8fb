import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { computeFeaturesRemote } from "../../lib/remote/engine";
import { SparkifyError } from "../../lib/errors";
import type { FeatureQueryRenderer } from "../../lib/remote/types";
import { featureColumns, featureDictionary, readFeaturesCsv, writeFeaturesCsv, type FeatureValue } from "../../lib/features";
import type { FakeJob } from "./fakeAwsEndpoint";
import { APP_ID, CapturingLogger, INPUT, RemoteHarness, ROLE_ARN, STAGING } from "./harness";
import { TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY } from "./localS3";

// A small query of our own for the plumbing: the fake job writes its output itself. The real
// renderings run (on DuckDB) in renderedQuery.test.ts.
const PLUMBING_SQL: Record<string, string> = {
  spark: "SELECT userId, COUNT(*) AS n_events FROM events GROUP BY userId -- spark",
  trino: "SELECT userId, COUNT(*) AS n_events FROM events GROUP BY userId -- trino",
};
const render: FeatureQueryRenderer = (dialect) => PLUMBING_SQL[dialect];
const FEATURES = { mode: "full-history", cutoffs: [], horizonDays: 14, label: "cancel" } as const;
const COLUMNS = featureColumns("full-history");
const KINDS = new Map(featureDictionary("full-history").map((f) => [f.name, f.type]));

/** The feature table a finished job holds: deterministic values, some NULL, one tiny double. */
function tableRows(): Array<Record<string, FeatureValue>> {
  const users = ["10", "7", "8", "Smith, J"]; // in the order featureTableFromRows sorts (cutoff, then userId)
  return users.map((userId, i) => {
    const row: Record<string, FeatureValue> = {};
    COLUMNS.forEach((c, k) => {
      if (c === "userId") row[c] = userId;
      else if (c === "churn") row[c] = i % 2;
      else if (KINDS.get(c) === "categorical") row[c] = (i + k) % 3 === 0 ? null : ["paid", "M", "desktop", "Mac OS X", "NY"][(i + k) % 5];
      else row[c] = (i + k) % 4 === 0 ? null : k === 3 && userId === "8" ? 1e-4 : ((i + 1) * (k + 2)) / 4;
    });
    return row;
  });
}

/** How Java (Spark, Trino) prints a double: "12.0", "0.75", "1.0E-4". */
function javaDouble(x: number): string {
  if (Number.isInteger(x)) return x.toFixed(1);
  if (Math.abs(x) < 1e-3) return x.toExponential().replace(/e([-+])(\d+)/, (_, sign: string, d: string) => `E${sign === "-" ? "-" : ""}${d}`).replace(/^(\d)E/, "$1.0E");
  return String(x);
}

/** Spark's CSV writer: header, quotes only where needed, NULL as nothing, doubles as Java prints them. */
function sparkCsv(): string {
  const q = (v: FeatureValue): string => (v === null ? "" : typeof v === "number" ? javaDouble(v) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [COLUMNS.join(","), ...tableRows().map((r) => COLUMNS.map((c) => q(c === "churn" ? String(r[c]) : r[c])).join(","))].join("\n") + "\n";
}

/** Athena's CSV result: lower-case names, every value quoted, NULL as nothing. */
function athenaCsv(): string {
  const q = (v: FeatureValue): string => (v === null ? "" : `"${(typeof v === "number" ? javaDouble(v) : v).replace(/"/g, '""')}"`);
  return [COLUMNS.map((c) => `"${c.toLowerCase()}"`).join(","), ...tableRows().map((r) => COLUMNS.map((c) => q(c === "churn" ? String(r[c]) : r[c])).join(","))].join("\n") + "\n";
}

/** What the DuckDB path writes for the same table (lib/features' writer). */
async function expectedCsv(dir: string): Promise<string> {
  const file = path.join(dir, "expected.csv");
  await writeFeaturesCsv({ columns: COLUMNS, rows: tableRows(), dictionary: featureDictionary("full-history"), ...FEATURES, cutoffs: [] }, file);
  return fs.readFileSync(file, "utf8");
}

const REPORT = { lines: 30, kept: 20, dropped: { missing_field: 2, no_user: 5, duplicate: 3 }, malformed: 0 };

/** The argument after `flag` in the job's entry point arguments. */
function arg(job: FakeJob, flag: string): string {
  const args = (job.request.jobDriver as { sparkSubmit: { entryPointArguments: string[] } }).sparkSubmit.entryPointArguments;
  return args[args.indexOf(flag) + 1];
}

async function rejection(p: Promise<unknown>): Promise<SparkifyError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof SparkifyError, `expected a SparkifyError, got ${String(err)}`);
    return err;
  }
  assert.fail("expected the call to fail");
}

describe("remote/engine: computeFeaturesRemote", function () {
  let h: RemoteHarness;
  before(async () => {
    h = await RemoteHarness.start();
  });
  after(async () => {
    await h.close();
  });

  describe("emr-serverless", () => {
    /** A job that writes its output to S3 as Spark would, then succeeds. */
    const succeeding = () => ({
      states: ["SUBMITTED", "SCHEDULED", "RUNNING", "SUCCESS"],
      onSuccess: async (job: FakeJob) => {
        await h.put(`${arg(job, "--output")}part-00000-3f1c-c000.csv`, sparkCsv());
        await h.put(`${arg(job, "--output")}_SUCCESS`, "");
        await h.put(`${arg(job, "--report")}part-00000-77aa.txt`, JSON.stringify(REPORT) + "\n");
      },
    });

    it("stages the entry point, starts the job with the right request, polls, and fetches features.csv", async () => {
      h.fake.emrScenario = succeeding;
      const log = new CapturingLogger();
      const opts = h.options(log, { render, runId: "run-emr-ok" });
      const before = h.fake.requests.length;
      const res = await computeFeaturesRemote("emr-serverless", opts);

      const sent = h.fake.requests.slice(before);
      const start = sent.filter((r) => r.call === "StartJobRun");
      assert.equal(start.length, 1);
      assert.equal(start[0].path, `/applications/${APP_ID}/jobruns`);
      const body = start[0].body as Record<string, any>;
      assert.equal(body.executionRoleArn, ROLE_ARN);
      assert.equal(body.clientToken, "run-emr-ok");
      const root = `${STAGING}runs/run-emr-ok/`;
      assert.deepEqual(body.jobDriver.sparkSubmit, {
        entryPoint: `${root}job/features.py`,
        entryPointArguments: ["--input", INPUT, "--output", `${root}output/features/`, "--report", `${root}output/report/`],
      });
      assert.equal(body.configurationOverrides.monitoringConfiguration.s3MonitoringConfiguration.logUri, `${STAGING}logs/`);
      assert.equal(body.executionTimeoutMinutes, 6);
      assert.ok(sent.filter((r) => r.call === "GetJobRun").length >= 4, "polled until SUCCESS");
      assert.equal(sent.filter((r) => r.call === "CancelJobRun").length, 0);
      // Signed with the credentials from the environment, which reach no log.
      assert.match(String(start[0].headers.authorization), new RegExp(`Credential=${TEST_ACCESS_KEY_ID}/`));

      // The staged script carries the rendered Spark SQL.
      const staged = await h.keys(`${root}job/`);
      assert.deepEqual(staged, [`${root}job/features.py`, `${root}job/query.sql`]);

      const text = fs.readFileSync(res.csvPath, "utf8");
      assert.equal(text, await expectedCsv(h.outDir()));
      assert.equal(res.csvPath, path.join(opts.outDir, "features.csv"));
      assert.equal(res.rows, 4);
      assert.deepEqual(res.columns, COLUMNS);
      // Worked by hand: the tiny double, a quoted userId, NULL as an empty field.
      assert.ok(text.split("\n")[3].startsWith("8,"));
      assert.equal(text.split("\n")[3].split(",")[3], "0.0001");
      assert.ok(text.includes('\n"Smith, J",'));
      const back = await readFeaturesCsv(res.csvPath);
      assert.deepEqual(back.rows, tableRows());
      assert.deepEqual(res.dataReport, REPORT);
      assert.deepEqual(JSON.parse(fs.readFileSync(path.join(opts.outDir, "remote-data-report.json"), "utf8")), REPORT);
      assert.match(res.jobId ?? "", /^00fjob/);
      assert.equal(res.logLocation, `${STAGING}logs/applications/${APP_ID}/jobs/${res.jobId}/SPARK_DRIVER/`);
      const logs = log.text();
      assert.match(logs, /progress: EMR Serverless job run 00fjob\d+: RUNNING after/);
      assert.ok(logs.includes(res.logLocation!), "the log location is printed");
      assert.ok(!logs.includes(TEST_SECRET_ACCESS_KEY));
    });

    it("reports a failed job with its state details and the log location, and writes no features.csv", async () => {
      h.fake.emrScenario = () => ({ states: ["RUNNING", "FAILED"], details: "Job failed, ExitCode: 1. AnalysisException: cannot resolve 'foo'" });
      const log = new CapturingLogger();
      const opts = h.options(log, { render });
      const err = await rejection(computeFeaturesRemote("emr-serverless", opts));
      assert.equal(err.code, "E_REMOTE_FAILED");
      assert.match(err.message, /ended FAILED: Job failed, ExitCode: 1\. AnalysisException: cannot resolve 'foo'/);
      assert.match(err.message, new RegExp(`${STAGING}logs/applications/${APP_ID}/jobs/00fjob\\d+/SPARK_DRIVER/`));
      assert.ok(!fs.existsSync(path.join(opts.outDir, "features.csv")));
    });

    it("stops a hung job at the time limit with CancelJobRun", async () => {
      h.fake.emrScenario = () => ({ states: ["SUBMITTED", "RUNNING"] });
      const log = new CapturingLogger();
      const before = h.fake.requests.length;
      const err = await rejection(computeFeaturesRemote("emr-serverless", h.options(log, { render, timeoutSeconds: 0.3 })));
      assert.equal(err.code, "E_REMOTE_TIMEOUT");
      assert.match(err.message, /time limit.*last state CANCELLED/);
      const cancels = h.fake.requests.slice(before).filter((r) => r.call === "CancelJobRun");
      assert.equal(cancels.length, 1);
      const jobId = h.fake.requests.slice(before).find((r) => r.call === "GetJobRun")!.path.split("/").pop();
      assert.equal(cancels[0].path, `/applications/${APP_ID}/jobruns/${jobId}`);
      assert.equal(h.fake.jobs.get(jobId!)!.state, "CANCELLED");
    });

    it("stops the job when the signal aborts", async () => {
      h.fake.emrScenario = () => ({ states: ["RUNNING"] });
      const log = new CapturingLogger();
      const ac = new AbortController();
      log.onProgress = (m) => { if (/RUNNING/.test(m)) ac.abort(); };
      const before = h.fake.requests.length;
      const err = await rejection(computeFeaturesRemote("emr-serverless", h.options(log, { render, signal: ac.signal })));
      assert.equal(err.code, "E_REMOTE_CANCELLED");
      assert.equal(h.fake.requests.slice(before).filter((r) => r.call === "CancelJobRun").length, 1);
    });

    it("stops the job on Ctrl-C (SIGINT) and removes its handler afterwards", async () => {
      h.fake.emrScenario = () => ({ states: ["RUNNING"] });
      const log = new CapturingLogger();
      // Only our handler may see the emitted SIGINT (it must not reach mocha or Node's default).
      const others = process.listeners("SIGINT");
      process.removeAllListeners("SIGINT");
      log.onProgress = (m) => { if (/RUNNING after/.test(m)) process.emit("SIGINT", "SIGINT"); };
      const before = h.fake.requests.length;
      try {
        const err = await rejection(computeFeaturesRemote("emr-serverless", h.options(log, { render, handleSigint: true })));
        assert.equal(err.code, "E_REMOTE_CANCELLED");
        assert.equal(process.listenerCount("SIGINT"), 0);
      } finally {
        for (const l of others) process.on("SIGINT", l as NodeJS.SignalsListener);
      }
      assert.equal(h.fake.requests.slice(before).filter((r) => r.call === "CancelJobRun").length, 1);
      assert.match(log.text(), /Ctrl-C, stopping the remote job/);
    });

    it("names the application when it does not exist", async () => {
      const err = await rejection(computeFeaturesRemote("emr-serverless", h.options(new CapturingLogger(), { render, applicationId: "00nosuchapp" })));
      assert.equal(err.code, "E_REMOTE_REQUEST");
      assert.match(err.message, /StartJobRun \(application 00nosuchapp\) failed: ResourceNotFoundException/);
    });

    it("refuses to start without an application and a role, before sending anything", async () => {
      const before = h.fake.requests.length;
      const err = await rejection(computeFeaturesRemote("emr-serverless", h.options(new CapturingLogger(), { render, applicationId: undefined, executionRoleArn: undefined })));
      assert.equal(err.code, "E_REMOTE_CONFIG");
      assert.match(err.message, /--emr-application .* and --emr-role/);
      assert.equal(h.fake.requests.length, before);
    });

    it("fails clearly when the job succeeds but wrote no CSV", async () => {
      h.fake.emrScenario = () => ({ states: ["SUCCESS"] });
      const err = await rejection(computeFeaturesRemote("emr-serverless", h.options(new CapturingLogger(), { render })));
      assert.equal(err.code, "E_REMOTE_OUTPUT");
      assert.match(err.message, /wrote no CSV under s3:\/\/staging\/sparkify\/runs\/.*\/output\/features\//);
    });

    it("redacts a secret the service echoes back in an error", async () => {
      h.fake.emrScenario = () => ({ states: ["FAILED"], details: `bad config spark.hadoop.fs.s3a.secret.key=${TEST_SECRET_ACCESS_KEY}` });
      const log = new CapturingLogger();
      const err = await rejection(computeFeaturesRemote("emr-serverless", h.options(log, { render })));
      assert.ok(!err.message.includes(TEST_SECRET_ACCESS_KEY), err.message);
      assert.match(err.message, /secret\.key=\*\*\*/);
      assert.ok(!log.text().includes(TEST_SECRET_ACCESS_KEY));
    });
  });

  describe("athena", () => {
    /** DDL succeeds; the feature and count queries write their CSV results as Athena does. */
    const succeeding = (request: Record<string, unknown>) => ({
      states: ["QUEUED", "RUNNING", "SUCCEEDED"],
      onSuccess: async (job: FakeJob) => {
        const sql = String(request.QueryString);
        if (/^CREATE/.test(sql)) return;
        const csv = sql.includes("count_if(")
          ? `"lines","missing_field","no_user","kept"\n"${REPORT.lines}","${REPORT.dropped.missing_field}","${REPORT.dropped.no_user}","${REPORT.kept}"\n`
          : athenaCsv();
        await h.put(job.outputLocation!, csv);
      },
    });

    it("creates the database and the external table, runs the query over clean events, and fetches features.csv", async () => {
      h.fake.athenaScenario = succeeding;
      const log = new CapturingLogger();
      const out = h.outDir();
      const opts = h.options(log, { render, runId: "run-athena-ok", outDir: out, csvPath: path.join(out, "tables", "my-features.csv") });
      const before = h.fake.requests.length;
      const res = await computeFeaturesRemote("athena", opts);
      const starts = h.fake.requests.slice(before).filter((r) => r.call === "StartQueryExecution").map((r) => r.body as Record<string, any>);
      assert.equal(starts.length, 4);
      for (const s of starts) {
        assert.deepEqual(s.QueryExecutionContext, { Database: "sparkify_test" });
        assert.equal(s.WorkGroup, "sparkify-wg");
        assert.deepEqual(s.ResultConfiguration, { OutputLocation: `${STAGING}athena/` });
        assert.ok(s.ClientRequestToken.length >= 32);
      }
      assert.equal(new Set(starts.map((s) => s.ClientRequestToken)).size, 4, "one idempotency token per statement");
      assert.equal(starts[0].QueryString, "CREATE DATABASE IF NOT EXISTS `sparkify_test`");
      assert.match(starts[1].QueryString, /^CREATE EXTERNAL TABLE IF NOT EXISTS `sparkify_test`\.`sparkify_events_[0-9a-f]{12}`/);
      assert.match(starts[1].QueryString, /org\.openx\.data\.jsonserde\.JsonSerDe/);
      assert.match(starts[1].QueryString, /LOCATION 's3:\/\/events\/logs\/'$/);
      assert.match(starts[2].QueryString, /^WITH events AS \(\n  SELECT DISTINCT /);
      assert.ok(starts[2].QueryString.endsWith(PLUMBING_SQL.trino), "the Trino rendering follows the events CTE");
      assert.match(starts[3].QueryString, /count_if/);

      assert.equal(fs.readFileSync(res.csvPath, "utf8"), await expectedCsv(h.outDir()), "the DuckDB layout, as from the Spark path");
      assert.equal(res.csvPath, path.join(out, "tables", "my-features.csv"));
      assert.ok(fs.existsSync(`${res.csvPath}.json`), "the settings file beside it, as the DuckDB path writes");
      assert.deepEqual(res.table?.rows, tableRows());
      assert.deepEqual(res.dataReport, REPORT);
      assert.match(res.outputLocation ?? "", /^s3:\/\/staging\/sparkify\/athena\/q-\d+.*\.csv$/);
      assert.match(log.text(), /Athena query q-\d+.* \(features\) succeeded/);
      assert.ok(!log.text().includes(TEST_SECRET_ACCESS_KEY));
    });

    it("reports a failed query with Athena's reason", async () => {
      h.fake.athenaScenario = (req) =>
        String(req.QueryString).startsWith("WITH")
          ? { states: ["RUNNING", "FAILED"], details: "COLUMN_NOT_FOUND: line 3:8: Column 'foo' cannot be resolved" }
          : succeeding(req);
      const err = await rejection(computeFeaturesRemote("athena", h.options(new CapturingLogger(), { render })));
      assert.equal(err.code, "E_REMOTE_FAILED");
      assert.match(err.message, /\(features\) ended FAILED: COLUMN_NOT_FOUND: line 3:8: Column 'foo' cannot be resolved/);
    });

    it("stops a hung query at the time limit with StopQueryExecution", async () => {
      h.fake.athenaScenario = (req) => (String(req.QueryString).startsWith("WITH") ? { states: ["RUNNING"] } : succeeding(req));
      const before = h.fake.requests.length;
      // The budget covers the two DDL statements first, so it is generous for a loaded machine.
      const err = await rejection(computeFeaturesRemote("athena", h.options(new CapturingLogger(), { render, timeoutSeconds: 2 })));
      assert.equal(err.code, "E_REMOTE_TIMEOUT");
      const stops = h.fake.requests.slice(before).filter((r) => r.call === "StopQueryExecution");
      assert.equal(stops.length, 1);
      assert.equal(h.fake.jobs.get(String(stops[0].body.QueryExecutionId))!.state, "CANCELLED");
      assert.match(String(h.fake.jobs.get(String(stops[0].body.QueryExecutionId))!.request.QueryString), /^WITH events/);
    });

    it("stops the query when the signal aborts", async () => {
      h.fake.athenaScenario = () => ({ states: ["RUNNING"] });
      const log = new CapturingLogger();
      const ac = new AbortController();
      log.onProgress = (m) => { if (/RUNNING/.test(m)) ac.abort(); };
      const before = h.fake.requests.length;
      const err = await rejection(computeFeaturesRemote("athena", h.options(log, { render, signal: ac.signal })));
      assert.equal(err.code, "E_REMOTE_CANCELLED");
      assert.equal(h.fake.requests.slice(before).filter((r) => r.call === "StopQueryExecution").length, 1);
    });

    it("rejects a single-object input, which Athena cannot read as a table", async () => {
      const err = await rejection(computeFeaturesRemote("athena", h.options(new CapturingLogger(), { render, input: "s3://events/logs/part-0.jsonl" })));
      assert.equal(err.code, "E_BAD_OPTION");
    });
  });
});
