import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXIT_CODES } from "../../lib/cli/exitCodes";
import { SAMPLE_DATASET } from "../../lib/config";
import { weeklyCutoffs } from "../../lib/pipeline";
import { defaultCutoff } from "../../lib/features";

const BIN = path.resolve(__dirname, "../../bin/sparkify-churn.js");
const DAY = 86_400_000;

function cli(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, SPARKIFY_QUIET: "1" } });
}

function csvRows(file: string): string[][] {
  return fs.readFileSync(file, "utf8").trim().split("\n").map(csvLine);
}

/** One CSV line split into fields (quoted fields may hold commas). */
function csvLine(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") out.push(cur), (cur = "");
    else cur += ch;
  }
  out.push(cur);
  return out;
}

/** The scores.csv contract of issue 16: calibrated probability, 0/1 flag, ISO cutoff, reasons in words with positive effects. */
function assertScoresContract(rows: string[][]): void {
  for (const r of rows.slice(1)) {
    assert.equal(r.length, 11);
    assert.ok(Number(r[3]) >= 0 && Number(r[3]) <= 1);
    assert.ok(r[4] === "0" || r[4] === "1");
    assert.match(r[2], /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    let empty = false;
    for (let k = 0; k < 3; k++) {
      const [text, effect] = [r[5 + 2 * k], r[6 + 2 * k]];
      if (text === "") {
        assert.equal(effect, "");
        empty = true;
        continue;
      }
      assert.ok(!empty, "reasons fill from the left");
      // numeric: "(typical …)"; a category: alone, or "(most common: …)" when the user's differs
      assert.match(text, /\(typical [^)]+\)$|^(level|device|operating system|gender|state): [^()]+( \(most common: [^)]+\))?$/, text);
      assert.ok(/^\+\d\.\d{4}$/.test(effect) && Number(effect) > 0, `user ${r[1]}: effect ${effect} raises the risk`);
      if (k > 0) assert.ok(Number(effect) <= Number(r[4 + 2 * k]));
    }
  }
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

  it("ends at the default cutoff: one formula for the last fully labelled cutoff", () => {
    for (const [maxTs, h] of [[Date.parse("2018-12-03T01:11:58Z"), 14], [Date.parse("2018-12-01T00:00:00Z") - 1, 14], [Date.parse("2018-12-01T00:00:00Z"), 7], [Date.parse("2018-12-01T23:59:59Z"), 3.5]]) {
      const range = { minTs: Date.parse("2018-10-01T00:00:00Z"), maxTs };
      const c = weeklyCutoffs(range, h, 14);
      assert.equal(c[c.length - 1], defaultCutoff(range, h), `last event ${new Date(maxTs).toISOString()}, horizon ${h}`);
    }
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
    // issue 16: calibrated probabilities, gains, baselines, the selection, behaviour-only inputs, the budget
    const best = /^best +(lr|gbt)/m.exec(run.stdout)![1];
    assert.deepEqual(metrics.selection.criterion, "pr_auc");
    assert.equal(metrics.selection.best, best);
    assert.deepEqual(metrics.excluded_attributes, ["gender", "state"]);
    assert.deepEqual(metrics.baselines.map((b: { name: string }) => b.name), ["base rate", "recency"]);
    for (const m of Object.values(metrics.models) as Array<{ calibration_summary: { calibrated: { mean_predicted: number; observed_rate: number; ece: number }; raw: { ece: number } }; gains: { curve: unknown[]; top_decile_lift: number } }>) {
      const c = m.calibration_summary.calibrated;
      // the sample has 3 positive rows in 2 folds: a loose check (test/models/calibration holds the tight ones)
      assert.ok(Math.abs(c.mean_predicted - c.observed_rate) < 0.03, `calibrated mean ${c.mean_predicted} vs observed ${c.observed_rate}`);
      // On 3 positive rows a model's raw out-of-fold scores can already be calibrated (gbt, with the
      // issue 17 features: raw ECE 0.008); then the calibrated ECE need only be small.
      assert.ok(c.ece < Math.max(m.calibration_summary.raw.ece, 0.03), `calibrated ECE ${c.ece} vs raw ${m.calibration_summary.raw.ece}`);
      assert.equal(m.gains.curve.length, 20);
    }
    const shares = metrics.budget.map((b: { share: number }) => b.share);
    assert.ok(metrics.budget.length >= 3 && shares.every((x: number, i: number) => i === 0 || x > shares[i - 1]));
    // Stacked rows of one user share a fold: the table has more rows than users.
    assert.ok(metrics.dataset.rows > metrics.dataset.users);
  });

  it("ranks only users still active at the end of the data, by decreasing probability", () => {
    const rows = csvRows(path.join(out, "scores.csv"));
    assert.deepEqual(rows[0], ["rank", "userId", "cutoff", "probability", "atRisk", "reason1", "effect1", "reason2", "effect2", "reason3", "effect3"]);
    const body = rows.slice(1);
    assert.ok(body.length > 0);
    const p = body.map((r) => Number(r[3]));
    for (let i = 1; i < p.length; i++) assert.ok(p[i] <= p[i - 1]);
    assert.deepEqual(body.map((r) => Number(r[0])), body.map((_, i) => i + 1));
    // Users who cancelled are not scored.
    const churned = new Set(
      require("node:zlib").gunzipSync(fs.readFileSync(SAMPLE_DATASET)).toString("utf8").split("\n").filter((l: string) => l.includes('"Cancellation Confirmation"'))
        .map((l: string) => String(JSON.parse(l).userId)),
    );
    assert.ok(churned.size > 0);
    for (const r of body) assert.ok(!churned.has(r[1]), `churned user ${r[1]} is not scored`);
    assertScoresContract(rows);
    const flagged = body.filter((r) => r[4] === "1");
    assert.ok(flagged.length > 0 && flagged.every((r) => r[5] !== ""), "every flagged user has a reason");
  });

  it("`score --cutoff` scores a past snapshot and, the outcome being in the input, checks it against what happened", () => {
    const metrics = JSON.parse(fs.readFileSync(path.join(out, "metrics.json"), "utf8"));
    const cutoff: string = metrics.cutoff[metrics.cutoff.length - 1]; // its 14-day window lies inside the data
    const file = path.join(dir, "past.csv");
    const r = cli(["score", "--model", path.join(out, "models", "lr.json"), "--input", SAMPLE_DATASET, "--cutoff", cutoff, "--out", file, "--quiet"]);
    assert.equal(r.status, 0, r.stderr);
    const rows = csvRows(file);
    assertScoresContract(rows);
    const body = rows.slice(1);
    assert.ok(body.every((row) => row[2] === cutoff));
    // what happened, from the raw events: who confirmed a cancellation in [cutoff, cutoff + 14 days)
    const t = Date.parse(cutoff);
    const events = require("node:zlib").gunzipSync(fs.readFileSync(SAMPLE_DATASET)).toString("utf8").split("\n").filter((l: string) => l.includes('"Cancellation Confirmation"')).map((l: string) => JSON.parse(l));
    const cancelledBefore = new Set(events.filter((e: { ts: number }) => e.ts < t).map((e: { userId: unknown }) => String(e.userId)));
    const cancelledAfter = new Set(events.filter((e: { ts: number }) => e.ts >= t && e.ts < t + 14 * DAY).map((e: { userId: unknown }) => String(e.userId)));
    for (const row of body) assert.ok(!cancelledBefore.has(row[1]), `user ${row[1]} cancelled before the cutoff and is not scored`);
    const churned = body.filter((row) => cancelledAfter.has(row[1])).length;
    assert.ok(churned > 0, "some scored users churned in the horizon");
    const m = /outcome +in the 14 days after (\S+): (\d+) of (\d+) churned \((\d+\.\d)%; predicted (\d+\.\d)%/.exec(r.stdout);
    assert.ok(m, r.stdout);
    assert.deepEqual([m![1], Number(m![2]), Number(m![3])], [cutoff, churned, body.length]);
    const mean = body.reduce((a, row) => a + Number(row[3]), 0) / body.length;
    assert.equal(Number(m![5]), Number((100 * mean).toFixed(1)));
  });

  it("`score --cutoff` says the outcome is unknown when the horizon runs past the data, and refuses a time outside it", () => {
    const last = cli(["score", "--model", path.join(out, "models", "lr.json"), "--input", SAMPLE_DATASET, "--cutoff", "2018-12-01", "--out", path.join(dir, "late.csv"), "--quiet"]);
    assert.equal(last.status, 0, last.stderr);
    assert.match(last.stdout, /outcome +unknown: the input ends before 2018-12-01T00:00:00\.000Z/);
    const before = cli(["score", "--model", path.join(out, "models", "lr.json"), "--input", SAMPLE_DATASET, "--cutoff", "2017-01-01", "--out", path.join(dir, "early.csv"), "--quiet"]);
    assert.equal(before.status, 2);
    assert.match(before.stderr, /--cutoff 2017-01-01T00:00:00\.000Z is outside the events/);
  });

  it("`score` with a saved model reproduces the run's ranking, into a folder that does not exist yet", () => {
    const scores = path.join(dir, "not-yet", "scores-again.csv");
    const best = /^best +(lr|gbt)/m.exec(run.stdout)![1];
    const r = cli(["score", "--model", path.join(out, "models", `${best}.json`), "--input", SAMPLE_DATASET, "--out", scores, "--quiet"]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(csvRows(scores), csvRows(path.join(out, "scores.csv")));
  });

  it("`score` names the file when the model is damaged", () => {
    const bad = path.join(dir, "damaged.json");
    fs.writeFileSync(bad, fs.readFileSync(path.join(out, "models", "lr.json"), "utf8").slice(0, 200));
    const r = cli(["score", "--model", bad, "--input", SAMPLE_DATASET, "--out", path.join(dir, "x.csv")]);
    assert.equal(r.status, EXIT_CODES.E_MODEL_DAMAGED);
    assert.match(r.stderr, /damaged\.json.*\[E_MODEL_DAMAGED\]/);
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
