import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { LocalEventSource, labelWindowClosed, openEventSource, planCutoffs, RemoteEventSource, remoteDataReport, weeklyCutoffs } from "../../lib/eventSource";
import { computeFeatures, defaultCutoff, eventTimeRange } from "../../lib/features";
import { runEda } from "../../lib/eda";
import { SparkifyError } from "../../lib/errors";
import { buildTrainingTable, runPipeline } from "../../lib/pipeline";
import { AFTER_T, BEFORE_T, at } from "../features/fixtures";
import { openEvents } from "../features/openEvents";
import { randomEvents } from "../features/randomEvents";

const DAY = 86_400_000;
const RANGE = { minTs: at("2018-10-01T00:00:07"), maxTs: at("2018-12-03T01:11:59") };

describe("eventSource: openEventSource makes the local-or-remote choice once", () => {
  it("names an unknown engine with the list of engines", async () => {
    await assert.rejects(openEventSource({ engine: "spark-local" }), (e: SparkifyError) => e.code === "E_BAD_OPTION" && /engine must be duckdb, emr-serverless or athena, got "spark-local"/.test(e.message));
  });

  it("a remote engine needs exactly one s3:// input, and sends nothing when opened", async () => {
    for (const input of [undefined, "data/events.jsonl", ["s3://a/p/", "s3://b/q/"]]) {
      await assert.rejects(openEventSource({ engine: "athena", input, remote: {} }), /engine athena needs one input s3:\/\/bucket\/prefix\//);
    }
    const settings = { region: "eu-west-1", staging: "s3://bucket/stage/", applicationId: "00abc", executionRoleArn: "arn:aws:iam::123456789012:role/r" };
    const source = await openEventSource({ engine: "emr-serverless", input: "s3://bucket/events/", remote: settings });
    assert.ok(source instanceof RemoteEventSource);
    assert.equal(source.engine, "emr-serverless");
    assert.equal(source.remote, true);
    assert.deepEqual(source.inputs, [{ source: "s3://bucket/events/", remote: "emr-serverless" }]);
    assert.equal(source.report, null, "no counts before a feature query");
    assert.equal(await source.knownTimeRange(), null);
    await assert.rejects(source.writeReport("/tmp/never.json"), /no data report yet/);
    await assert.rejects(source.eda(), /no EDA on emr-serverless/);
    await source.close();
  });

  it("turns the remote cleaning counts into the data report's shape, malformed lines as quarantined", () => {
    const r = remoteDataReport("s3://b/p/", { lines: 30, kept: 20, dropped: { no_user: 5, duplicate: 3 }, malformed: 2 });
    assert.equal(r.lines, r.kept + Object.values(r.dropped).reduce((a, b) => a + b, 0) + r.quarantined);
    assert.deepEqual(r.sources, [{ source: "s3://b/p/", lines: 30, bytes: 0 }]);
    assert.equal(r.quarantined, 2);
  });
});

describe("eventSource: the local source answers from the event store", () => {
  it("gives the store's report, time range, training table, snapshot and EDA", async function () {
    this.timeout(120_000);
    const store = await openEvents(randomEvents(3, 40));
    const source = new LocalEventSource(store);
    try {
      assert.equal(source.remote, false);
      assert.equal(source.edaUnavailable, null);
      assert.equal(source.report, store.report);
      const range = await eventTimeRange(store);
      assert.deepEqual(await source.timeRange(), range);
      assert.deepEqual(await source.knownTimeRange(), range);
      const table = await source.reading(() => source.trainingTable({ cutoffs: { kind: "default" } }));
      assert.deepEqual(table.cutoffs, [defaultCutoff(range, 14)]);
      assert.deepEqual(table.rows, (await computeFeatures(store, {})).rows, "the default plan is computeFeatures' default");
      const snap = await source.snapshot(table);
      assert.deepEqual(snap.cutoffs, [range.maxTs! + 1], "just after the last event");
      assert.deepEqual(await source.eda(), await runEda(store));
    } finally {
      await source.close();
    }
  });

  it("the listed cutoffs are the table's, in order, without repeats", async () => {
    const store = await openEvents([...BEFORE_T, ...AFTER_T]);
    const source = new LocalEventSource(store);
    try {
      const a = at("2018-10-20T00:00:00");
      const table = await source.trainingTable({ cutoffs: { kind: "list", cutoffs: [a + DAY, a, a + DAY] } });
      assert.deepEqual(table.cutoffs, [a, a + DAY]);
    } finally {
      await source.close();
    }
  });
});

describe("eventSource: planCutoffs, the cutoffs of a plan on any engine", () => {
  const asked = () => {
    const calls: number[] = [];
    return { calls, range: async () => { calls.push(1); return RANGE; } };
  };

  it("given cutoffs need no time range; weekly (the default) and default ones ask for it", async () => {
    const q = asked();
    assert.deepEqual(await planCutoffs({ cutoffs: { kind: "single", cutoff: 5 } }, q.range), [5]);
    assert.deepEqual(await planCutoffs({ cutoffs: { kind: "list", cutoffs: [7, 5] } }, q.range), [7, 5]);
    assert.deepEqual(await planCutoffs({ mode: "full-history", cutoffs: { kind: "default" } }, q.range), undefined);
    assert.equal(q.calls.length, 0);
    assert.deepEqual(await planCutoffs({}, q.range), weeklyCutoffs(RANGE, 14, 14));
    assert.deepEqual(await planCutoffs({ cutoffs: { kind: "default" }, horizonDays: 7 }, q.range), [defaultCutoff(RANGE, 7)]);
    assert.equal(q.calls.length, 2);
  });

  it("labelWindowClosed: the window closes inside the data when the events reach its last millisecond (one test for features and score)", () => {
    const range = { minTs: at("2018-10-01T00:00:00"), maxTs: at("2018-11-15T00:00:00") - 1 };
    assert.equal(labelWindowClosed(at("2018-11-01T00:00:00"), 14, range), true, "ends exactly at the last event + 1 ms");
    assert.equal(labelWindowClosed(at("2018-11-01T00:00:00") + 1, 14, range), false, "1 ms later the window is cut short");
    assert.equal(labelWindowClosed(at("2018-11-01T00:00:00"), 14, { minTs: null, maxTs: null }), false, "no event: nothing closes");
  });

  it("answers null when the time range is not known (a remote dry run)", async () => {
    assert.equal(await planCutoffs({}, async () => null), null);
  });
});

describe("eventSource: every library entry point checks the remote settings the same way (openEventSource)", () => {
  const refusesWithoutSettings = (e: SparkifyError) => e.code === "E_REMOTE_CONFIG" && /engine athena needs its settings: pass remote \(e\.g\. remoteSettingsFromEnv\(\)/.test(e.message);
  it("openEventSource, runPipeline and buildTrainingTable refuse a remote engine without settings with one message", async () => {
    await assert.rejects(openEventSource({ engine: "athena", input: "s3://b/p/" }), refusesWithoutSettings);
    await assert.rejects(runPipeline({ engine: "athena", input: "s3://b/p/", out: "/tmp/sparkify-never-run" }), refusesWithoutSettings);
    await assert.rejects(buildTrainingTable({ engine: "athena", input: "s3://b/p/", out: "/tmp" }, {}, "/tmp/never.csv"), refusesWithoutSettings);
    assert.equal(fs.existsSync("/tmp/sparkify-never-run"), false, "refused before the run folder was made");
  });

  it("a real run refuses missing settings when the source is opened, before any question", async () => {
    await assert.rejects(openEventSource({ engine: "emr-serverless", input: "s3://bucket/events/", remote: { region: "eu-west-1" } }),
      (e: SparkifyError) => e.code === "E_REMOTE_CONFIG" && /--staging .* and --emr-application .* and --emr-role/.test(e.message));
  });
});

describe("pipeline: the notebooks' tables go through the event source", () => {
  it("a remote engine without settings is refused with what to pass (the library reads no SPARKIFY_* variable)", async () => {
    await assert.rejects(buildTrainingTable({ engine: "athena", input: "s3://b/p/", out: "/tmp" }, {}, "/tmp/never.csv"), (e: SparkifyError) => e.code === "E_REMOTE_CONFIG" && /pass remote \(e\.g\. remoteSettingsFromEnv\(\)/.test(e.message));
    await assert.rejects(buildTrainingTable({ engine: "athena", out: "/tmp", remote: {} }, {}, "/tmp/never.csv"), /engine athena needs one input s3:\/\/bucket\/prefix\//);
    await assert.rejects(buildTrainingTable({ engine: "spark-local", out: "/tmp" }, {}, "/tmp/never.csv"), /engine must be duckdb, emr-serverless or athena, got "spark-local"/);
  });
});
