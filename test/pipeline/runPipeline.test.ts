import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SAMPLE_DATASET } from "../../lib/config";
import { weeklyCutoffs } from "../../lib/pipeline";

const BIN = path.resolve(__dirname, "../../bin/sparkify-churn.js");
const DAY = 86_400_000;

function cli(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, SPARKIFY_QUIET: "1" } });
}

function csvRows(file: string): string[][] {
  return fs.readFileSync(file, "utf8").trim().split("\n").map((l) => l.split(","));
}

describe("pipeline: weeklyCutoffs", () => {
  it("steps back 7 days from the last fully observed label window, keeping 14 days of history", () => {
    const minTs = Date.parse("2018-10-01T00:00:00Z");
    const maxTs = Date.parse("2018-12-03T01:11:58Z");
    const c = weeklyCutoffs({ minTs, maxTs }, 14, 14);
    assert.equal(new Date(c[c.length - 1]).toISOString(), "2018-11-19T00:00:00.000Z");
    assert.equal(new Date(c[0]).toISOString(), "2018-10-15T00:00:00.000Z");
    for (let i = 1; i < c.length; i++) assert.equal(c[i] - c[i - 1], 7 * DAY);
    for (const t of c) assert.ok(t + 14 * DAY <= maxTs + 1 && t >= minTs + 14 * DAY);
  });

  it("says clearly when the data is too short", () => {
    assert.throws(() => weeklyCutoffs({ minTs: 0, maxTs: 20 * DAY }, 14, 14), /too short for weekly cutoffs/);
  });
});

describe("pipeline: `run` and `score` on the committed sample", function () {
  this.timeout(600_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-run-"));
  const out = path.join(dir, "out");
  let run: ReturnType<typeof cli>;

  before(() => {
    run = cli(["run", "--input", SAMPLE_DATASET, "--out", out, "--models", "lr,gbt", "--folds", "3", "--seed", "5", "--no-search", "--quiet"]);
  });

  it("writes every artefact of the run folder and prints the summary", () => {
    assert.equal(run.status, 0, run.stderr);
    for (const f of ["data-report.json", "features.csv", "features.csv.json", "metrics.json", "eda.json", "models/lr.json", "models/gbt.json", "scores.csv", "report.html"]) {
      assert.ok(fs.existsSync(path.join(out, f)), `${f} exists`);
    }
    assert.equal(fs.existsSync(path.join(out, "models/rf.json")), false, "only the requested models");
    assert.match(run.stdout, /^best +(lr|gbt): ROC-AUC \d\.\d{3}, PR-AUC \d\.\d{3}, F1 \d\.\d{3}/m);
    assert.match(run.stdout, /report +.*report\.html/);
  });

  it("accounts for every input line and records the run's settings in metrics.json", () => {
    const report = JSON.parse(fs.readFileSync(path.join(out, "data-report.json"), "utf8"));
    const dropped = Object.values(report.dropped as Record<string, number>).reduce((a, b) => a + b, 0);
    assert.equal(report.lines, 33_309, "the committed sample's line count (data/README.md)");
    assert.equal(report.lines, report.kept + dropped + report.quarantined);
    const metrics = JSON.parse(fs.readFileSync(path.join(out, "metrics.json"), "utf8"));
    assert.equal(metrics.mode, "forward");
    assert.equal(metrics.horizon, 14);
    assert.equal(metrics.dataset.seed, 5);
    assert.ok(Array.isArray(metrics.cutoff) && metrics.cutoff.length >= 2, "weekly cutoffs stacked");
    assert.deepEqual(Object.keys(metrics.models).sort(), ["gbt", "lr"]);
    for (const m of Object.values(metrics.models) as Array<Record<string, number>>) {
      for (const k of ["auc", "pr_auc", "f1", "precision", "recall", "threshold"]) assert.ok(Number.isFinite(m[k]), k);
    }
    // Stacked rows of one user share a fold: the table has more rows than users.
    assert.ok(metrics.dataset.rows > metrics.dataset.users);
  });

  it("ranks only users still active at the end of the data, by decreasing probability", () => {
    const rows = csvRows(path.join(out, "scores.csv"));
    assert.deepEqual(rows[0].slice(0, 5), ["rank", "userId", "probability", "atRisk", "cutoff"]);
    const body = rows.slice(1);
    assert.ok(body.length > 0);
    const p = body.map((r) => Number(r[2]));
    for (let i = 1; i < p.length; i++) assert.ok(p[i] <= p[i - 1]);
    assert.deepEqual(body.map((r) => Number(r[0])), body.map((_, i) => i + 1));
    // Users who cancelled are not scored.
    const churned = new Set(
      require("node:zlib").gunzipSync(fs.readFileSync(SAMPLE_DATASET)).toString("utf8").split("\n").filter((l: string) => l.includes('"Cancellation Confirmation"'))
        .map((l: string) => String(JSON.parse(l).userId)),
    );
    assert.ok(churned.size > 0);
    for (const r of body) assert.ok(!churned.has(r[1]), `churned user ${r[1]} is not scored`);
  });

  it("`score` with a saved model reproduces the run's ranking", () => {
    const scores = path.join(dir, "scores-again.csv");
    const best = /^best +(lr|gbt)/m.exec(run.stdout)![1];
    const r = cli(["score", "--model", path.join(out, "models", `${best}.json`), "--input", SAMPLE_DATASET, "--out", scores, "--quiet"]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(csvRows(scores), csvRows(path.join(out, "scores.csv")));
  });

  it("`score` names the file when the model is damaged", () => {
    const bad = path.join(dir, "damaged.json");
    fs.writeFileSync(bad, fs.readFileSync(path.join(out, "models", "lr.json"), "utf8").slice(0, 200));
    const r = cli(["score", "--model", bad, "--input", SAMPLE_DATASET, "--out", path.join(dir, "x.csv")]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /damaged\.json/);
  });

  it("rejects bad flags with a clear message", () => {
    const r = cli(["run", "--models", "lr,svm", "--out", path.join(dir, "never")]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /--models must be one of lr, rf, gbt, got "svm"/);
    const f = cli(["run", "--mode", "full-history", "--cutoff", "2018-11-01", "--input", SAMPLE_DATASET, "--out", path.join(dir, "never")]);
    assert.equal(f.status, 2);
    assert.match(f.stderr, /--cutoff applies to --mode forward only/);
  });
});
