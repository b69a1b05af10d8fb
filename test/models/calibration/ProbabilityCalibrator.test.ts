import * as assert from "node:assert/strict";
import { crossValidate } from "../../../lib/evaluation/crossValidate";
import { expectedCalibrationError, logLoss } from "../../../lib/evaluation/metrics";
import { createRng } from "../../../lib/random";
import { stratifiedGroupKFold } from "../../../lib/evaluation/stratifiedGroupKFold";
import { ProbabilityCalibrator, applyIsotonic, fitIsotonic, fitPlatt, rawScores } from "../../../lib/models/calibration";
import { matrixFromRows, type Matrix } from "../../../lib/models/types";
import { modelFamily } from "../../../lib/models/serialize";
import { balancedWeights } from "../../../lib/models/classWeights";

/** Rows with a known probability: a logistic model with a threshold and an interaction, ~10 % positive. */
function known(n: number, seed: number): { X: Matrix; y: Float64Array; p: Float64Array } {
  const rng = createRng(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const rows: number[][] = [];
  const p = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = [gauss(), gauss(), gauss(), gauss(), rng.next() < 0.5 ? 1 : 0];
    const z = -2.6 + 1.1 * x[0] - 0.7 * x[1] + 0.6 * (x[2] > 0.5 ? 1 : 0) + 0.4 * x[3] * x[4];
    p[i] = 1 / (1 + Math.exp(-z));
    y[i] = rng.next() < p[i] ? 1 : 0;
    rows.push(x);
  }
  return { X: matrixFromRows(rows, ["a", "b", "c", "d", "e"]), y, p };
}

const PARAMS: Record<string, Record<string, unknown>> = {
  lr: { classWeight: "balanced" },
  rf: { nEstimators: 40, minSamplesLeaf: 20, seed: 1, nThreads: 2 },
  gbt: { nEstimators: 80, learningRate: 0.1, maxDepth: 3, seed: 1 },
};

describe("models/calibration ProbabilityCalibrator", () => {
  it("Platt: smoothed targets keep a separable set finite, and recover a known sigmoid", async () => {
    const sep = fitPlatt([-2, -1, 1, 2], [0, 0, 1, 1]);
    assert.ok(Number.isFinite(sep.a) && Number.isFinite(sep.b) && sep.a < 0, JSON.stringify(sep));
    const rng = createRng(3);
    const f = Float64Array.from({ length: 20000 }, () => 4 * rng.next() - 2);
    const y = Float64Array.from(f, (v) => (rng.next() < 1 / (1 + Math.exp(1.5 * v + 0.5)) ? 1 : 0));
    const { a, b } = fitPlatt(f, y);
    assert.ok(Math.abs(a - 1.5) < 0.1 && Math.abs(b - 0.5) < 0.1, `a ${a}, b ${b}`);
  });

  it("isotonic: pools violators, merges tied scores, clips outside the fitted range", async () => {
    const k = fitIsotonic([1, 2, 2, 3, 4, 5], [0, 1, 0, 0, 1, 1]);
    const p = applyIsotonic(k, [0, 1, 2, 3, 4, 5, 9]);
    // x=2 ties average to 0.5, then 0.5 > 0 at x=3 pools to 1/3 over (2, 2, 3)
    assert.deepEqual(Array.from(p).map((v) => Math.round(v * 1000) / 1000), [0, 0, 0.333, 0.333, 1, 1, 1]);
    for (let i = 1; i < k.y.length; i++) assert.ok(k.y[i] >= k.y[i - 1]);
  });

  for (const kind of ["lr", "rf", "gbt"]) {
    it(`${kind} with class weights: ECE <= 0.02 on 20,000 new rows after calibration (raw ECE is far higher)`, async function () {
      this.timeout(300_000);
      const train = known(20000, 11);
      const test = known(20000, 12);
      const users = Array.from({ length: train.X.nRows }, (_, i) => `u${i}`);
      const plan = stratifiedGroupKFold(train.y, users, 3, 5);
      const run = await crossValidate(kind, PARAMS[kind], train.X, train.y, plan, "balanced");
      const cal = await new ProbabilityCalibrator({ method: "auto" }).fit(run.oofScore, train.y, run.foldOf);
      const model = modelFamily(kind).create(PARAMS[kind]);
      await model.fit(train.X, train.y, kind === "lr" ? undefined : balancedWeights(train.y));
      const raw = model.predictProba(test.X);
      const calibrated = cal.predictProba(rawScores(model, test.X));
      const eceRaw = expectedCalibrationError(test.y, raw);
      const ece = expectedCalibrationError(test.y, calibrated);
      assert.ok(eceRaw > 0.1, `raw ECE ${eceRaw}: class weights should push probabilities above the base rate`);
      assert.ok(ece <= 0.02, `${kind} (${cal.method_}): calibrated ECE ${ece.toFixed(4)} (raw ${eceRaw.toFixed(4)})`);
      // the cross-fitted out-of-fold probabilities are honest too, and beat the raw ones on log loss
      assert.ok(cal.crossFitted_ && expectedCalibrationError(train.y, cal.crossFitted_) <= 0.02);
      assert.ok(logLoss(train.y, cal.crossFitted_!) < logLoss(train.y, run.oof));
      const candidates = cal.candidates_ ?? {};
      assert.deepEqual(Object.keys(candidates).sort(), ["isotonic", "sigmoid"]);
      assert.equal(candidates[cal.method_!], Math.min(...Object.values(candidates)));
      // JSON round trip gives the same probabilities
      const back = ProbabilityCalibrator.fromJSON(JSON.parse(JSON.stringify(cal.toJSON())));
      assert.deepEqual(Array.from(back.predictProba(rawScores(model, test.X))), Array.from(calibrated));
    });
  }

  it("round-trips each method through JSON and refuses damaged forms", async () => {
    const rng = createRng(9);
    const s = Float64Array.from({ length: 500 }, () => rng.next() * 6 - 3);
    const y = Float64Array.from(s, (v) => (rng.next() < 1 / (1 + Math.exp(-v)) ? 1 : 0));
    for (const method of ["sigmoid", "isotonic"] as const) {
      const c = await new ProbabilityCalibrator({ method }).fit(s, y);
      const back = ProbabilityCalibrator.fromJSON(JSON.parse(JSON.stringify(c.toJSON())));
      assert.equal(back.method_, method);
      assert.deepEqual(Array.from(back.predictProba(s)), Array.from(c.predictProba(s)));
    }
    const iso = (await new ProbabilityCalibrator({ method: "isotonic" }).fit(s, y)).toJSON();
    assert.throws(() => ProbabilityCalibrator.fromJSON({ ...iso, state: { ...iso.state, isotonic: { x: [1, 0], y: [0, 1] } } }), /out of order/);
    assert.throws(() => ProbabilityCalibrator.fromJSON({ ...iso, formatVersion: 9 }), /format version 9/);
    assert.throws(() => new ProbabilityCalibrator().predictProba([0]), /not fitted/);
  });
});
