import { strict as assert } from "node:assert";
import { computeFeaturesRemote } from "../../lib/remote/engine";
import { formatDryRun } from "../../lib/remote/dryRun";
import { planRun } from "../../lib/remote/engine";
import { SparkifyError } from "../../lib/errors";
import type { ResolvedFeatureOptions } from "../../lib/features";
import { APP_ID, CapturingLogger, INPUT, RemoteHarness, ROLE_ARN, STAGING } from "./harness";
import { TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY } from "./localS3";

const FORWARD: ResolvedFeatureOptions = { mode: "forward", cutoffs: [Date.UTC(2018, 10, 15)], horizonDays: 14, label: "cancel" };
const SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLEsessionTOKEN0123456789abcdef";

describe("remote/dryRun", () => {
  let h: RemoteHarness;
  before(async () => {
    h = await RemoteHarness.start();
    process.env.AWS_SESSION_TOKEN = SESSION_TOKEN;
  });
  after(async () => {
    delete process.env.AWS_SESSION_TOKEN;
    await h.close();
  });

  it("the library reads no region from the environment (AWS_REGION is the CLI's --region)", () => {
    const saved = { r: process.env.AWS_REGION, d: process.env.AWS_DEFAULT_REGION };
    process.env.AWS_REGION = "eu-north-1";
    process.env.AWS_DEFAULT_REGION = "eu-north-1";
    try {
      const { region: _r, ...noRegion } = h.options(new CapturingLogger(), { features: FORWARD, dryRun: true });
      const plan = planRun("athena", noRegion);
      assert.equal(plan.region, "<region: not given>");
      assert.deepEqual(plan.missing, ["--region (AWS_REGION)"]);
    } finally {
      for (const [k, v] of [["AWS_REGION", saved.r], ["AWS_DEFAULT_REGION", saved.d]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it("EMR Serverless: prints the SQL, the staged script and the requests, and sends nothing", async () => {
    const log = new CapturingLogger();
    let printed = "";
    const before = h.fake.requests.length;
    const res = await computeFeaturesRemote("emr-serverless", h.options(log, { features: FORWARD, dryRun: true, runId: "dry-1", print: (t) => { printed += t; } }));
    assert.equal(h.fake.requests.length, before, "no EMR request");
    assert.deepEqual(await h.keys(STAGING), [], "nothing staged");
    assert.equal(res.dryRunText, printed);
    assert.equal(res.csvPath, "");
    assert.match(printed, /^Dry run: emr-serverless in us-east-1; nothing is sent\./);
    assert.match(printed, /=== SQL \(Spark SQL\)/);
    assert.match(printed, /=== staged file s3:\/\/staging\/sparkify\/runs\/dry-1\/job\/features\.py/);
    assert.match(printed, /spark\.read\.schema\(SCHEMA\)/);
    assert.match(printed, /request 3: EMR Serverless StartJobRun/);
    for (const needle of [APP_ID, ROLE_ARN, INPUT, `${STAGING}runs/dry-1/output/features/`, `${STAGING}logs/`, '"clientToken": "dry-1"']) {
      assert.ok(printed.includes(needle), `prints ${needle}`);
    }
  });

  it("Athena: prints the four statements with their database, workgroup and output location", async () => {
    let printed = "";
    const before = h.fake.requests.length;
    await computeFeaturesRemote("athena", h.options(new CapturingLogger(), { features: FORWARD, dryRun: true, print: (t) => { printed += t; } }));
    assert.equal(h.fake.requests.length, before);
    assert.equal((printed.match(/Athena StartQueryExecution/g) ?? []).length, 4);
    assert.match(printed, /CREATE EXTERNAL TABLE IF NOT EXISTS `sparkify_test`/);
    assert.match(printed, /"WorkGroup": "sparkify-wg"/);
    assert.match(printed, /"OutputLocation": "s3:\/\/staging\/sparkify\/athena\/"/);
    assert.match(printed, /=== SQL \(Trino, with the cleaned events CTE\)/);
  });

  it("never prints credentials, from the environment or from the options", async () => {
    for (const engine of ["emr-serverless", "athena"] as const) {
      const log = new CapturingLogger();
      let printed = "";
      const creds = { accessKeyId: "AKIAOPTIONSKEY000001", secretAccessKey: "optionsSecret/abc+123456789", sessionToken: "optionsSessionToken-xyz-0987654321" };
      await computeFeaturesRemote(engine, h.options(log, { features: FORWARD, dryRun: true, credentials: creds, print: (t) => { printed += t; } }));
      const all = printed + log.text();
      for (const secret of [TEST_SECRET_ACCESS_KEY, TEST_ACCESS_KEY_ID, SESSION_TOKEN, creds.secretAccessKey, creds.sessionToken, creds.accessKeyId]) {
        assert.ok(!all.includes(secret), `${engine}: ${secret.slice(0, 6)}… leaked`);
      }
    }
  });

  it("asks for explicit cutoffs in forward mode and names missing settings", () => {
    const base = h.options(new CapturingLogger());
    assert.throws(() => planRun("athena", { ...base, features: { ...FORWARD, cutoffs: [] } }), (e: SparkifyError) => e.code === "E_REMOTE_CONFIG" && /--cutoff/.test(e.message));
    assert.throws(() => planRun("athena", { ...base, features: FORWARD, staging: undefined }), /--staging/);
    assert.throws(() => planRun("athena", { ...base, features: FORWARD, region: undefined }), /AWS_REGION/);
    assert.throws(() => planRun("athena", { ...base, features: FORWARD, input: "/data/events.jsonl" }), /--input/);
    assert.throws(() => planRun("athena", { ...base, features: FORWARD, athenaDatabase: "Bad-Name" }), /--athena-database/);
  });

  it("formats a plan without touching the network (pure)", () => {
    const plan = planRun("emr-serverless", { ...h.options(new CapturingLogger()), features: FORWARD, runId: "pure-1" });
    const a = formatDryRun(plan);
    assert.equal(formatDryRun(plan), a);
    assert.ok(a.includes("run id: pure-1"));
  });
});
