import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as v8 from "node:v8";
import * as vm from "node:vm";
import { runPipeline } from "../../lib/pipeline";
import { StageTimer, currentStageTimer, timedStage, withStageTimer } from "../../lib/progress/stageTimer";

const MB = 2 ** 20;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Full garbage collections, so freed buffers leave the resident set (V8 frees them a moment later). */
async function collect(): Promise<void> {
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;
  gc();
  await sleep(300);
  gc();
}

/** Allocates and touches `mb` MiB outside the V8 heap, then returns it (the caller drops it). */
function touch(mb: number): Buffer {
  const b = Buffer.allocUnsafeSlow(mb * MB);
  b.fill(1);
  return b;
}

describe("progress/stageTimer", function () {
  this.timeout(240_000);

  it("records each stage's wall time and its own peak RSS, in start order, with a progress line", async () => {
    const lines: string[] = [];
    const timer = new StageTimer((l) => lines.push(l));
    let big: Buffer | null = null;
    await timer.time("big", async () => {
      big = touch(300);
      await sleep(50);
    });
    big = null;
    await collect();
    await timer.time("small", () => sleep(120));
    const [first, second] = timer.timings;
    assert.equal(first.stage, "big");
    assert.equal(second.stage, "small");
    assert.ok(second.seconds >= 0.11 && second.seconds < 10, `small took ${second.seconds} s`);
    assert.ok(first.peak_rss_mb >= 300, `the big stage's peak holds its 300 MB buffer: ${first.peak_rss_mb} MB`);
    // The peak restarts with each stage: the buffer freed before "small" is not in its peak.
    assert.ok(second.peak_rss_mb <= first.peak_rss_mb - 200, `small ${second.peak_rss_mb} MB vs big ${first.peak_rss_mb} MB`);
    assert.deepEqual(lines.map((l) => l.replace(/[\d.]+/g, "N")), ["[big] N s, peak RSS N MB", "[small] N s, peak RSS N MB"]);
    assert.equal(big, null);
  });

  it("an outer stage's peak covers its inner stages; a failing stage is recorded and rethrows", async () => {
    const timer = new StageTimer();
    await assert.rejects(
      timer.time("outer", async () => {
        await timer.time("inner", () => {
          const b = touch(200);
          return b.length;
        });
        await collect();
        throw new Error("boom");
      }),
      /boom/,
    );
    const [outer, inner] = timer.timings;
    assert.deepEqual([outer.stage, inner.stage], ["outer", "inner"]);
    assert.ok(inner.peak_rss_mb >= 200, `inner ${inner.peak_rss_mb} MB`);
    assert.ok(outer.peak_rss_mb >= inner.peak_rss_mb, `outer ${outer.peak_rss_mb} MB ≥ inner ${inner.peak_rss_mb} MB`);
    assert.ok(outer.seconds >= inner.seconds);
  });

  it("timedStage reports to the timer of the run it is called in, and just runs outside one", async () => {
    assert.equal(await timedStage("alone", () => 7), 7);
    assert.equal(currentStageTimer(), undefined);
    const timer = new StageTimer();
    const got = await withStageTimer(timer, async () => {
      await sleep(1);
      return timedStage("deep", async () => currentStageTimer() === timer);
    });
    assert.equal(got, true);
    assert.deepEqual(timer.timings.map((t) => t.stage), ["deep"]);
  });

  it("a run writes every stage to metrics.json `timings` and prints it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-timings-"));
    try {
      const input = path.resolve(__dirname, "../../data/sample/sparkify-sample.jsonl.gz");
      const lines: string[] = [];
      // Files storage: the run works on one copy of the events (a timed stage of its own).
      await runPipeline({ input, storage: "files", out: path.join(dir, "run"), models: ["lr", "gbt"], folds: 2, seed: 3, search: false, log: (l) => lines.push(l) });
      const metrics = JSON.parse(fs.readFileSync(path.join(dir, "run", "metrics.json"), "utf8"));
      const timings: Array<{ stage: string; seconds: number; peak_rss_mb: number }> = metrics.timings;
      const stages = timings.map((t) => t.stage);
      for (const s of ["load", "events copy", "features", "EDA", /^lr: search/, "lr: final fit", "lr: calibration", "lr: CV metrics and permutation importance", /^gbt: search/, "gbt: final fit", "scoring", "report"]) {
        assert.ok(stages.some((x) => (typeof s === "string" ? x === s : s.test(x))), `timings hold "${String(s)}": ${stages.join(", ")}`);
      }
      assert.ok(stages.indexOf("load") < stages.indexOf("features") && stages.indexOf("scoring") < stages.indexOf("report"), "in the order they ran");
      for (const t of timings) {
        assert.deepEqual(Object.keys(t), ["stage", "seconds", "peak_rss_mb"]);
        assert.ok(t.seconds >= 0 && t.peak_rss_mb > 20, `${t.stage}: ${t.seconds} s, ${t.peak_rss_mb} MB`);
      }
      assert.ok(timings.find((t) => t.stage === "report")!.seconds > 0, "the report's own time is in the file written after it");
      assert.ok(lines.some((l) => /^\[features\] [\d.]+ s, peak RSS \d+ MB$/.test(l)), "a progress line per stage");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
