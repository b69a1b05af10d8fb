import * as assert from "node:assert/strict";
import { NotFittedError, SparkifyError } from "../../../lib/errors";
import { createRng } from "../../../lib/random";
import { activeBackend } from "../../../lib/models/backend";
import { LogisticRegression } from "../../../lib/models/logistic";
import { matrixFromRows, type Matrix } from "../../../lib/models/types";

/**
 * n rows of Gaussian features x_j = 10·j + (j+1)·N(0,1), labels drawn from a known logistic model with
 * logit = bias + Σ coef_j (x_j − 10·j); on the original scale the intercept is bias − Σ coef_j·10·j.
 */
function synthetic(n: number, coef: number[], bias: number, seed: number): { X: Matrix; y: number[]; intercept: number } {
  const rng = createRng(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const rows: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    // original-scale features: x_j = offset + scale · N(0,1), so recovery needs the un-standardising
    const x = coef.map((_, j) => 10 * j + (j + 1) * gauss());
    const z = bias + x.reduce((a, v, j) => a + coef[j] * (v - 10 * j), 0);
    rows.push(x);
    y.push(rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
  }
  return { X: matrixFromRows(rows), y, intercept: bias - coef.reduce((a, c, j) => a + c * 10 * j, 0) };
}

const norm = (a: Float64Array): number => Math.sqrt(a.reduce((s, v) => s + v * v, 0));

describe("models/logistic/LogisticRegression", () => {
  it("recovers known coefficients and intercept on the original feature scale", async () => {
    const coef = [1.2, -0.8, 0.3, 0];
    const { X, y, intercept } = synthetic(20000, coef, 0.5, 11);
    const m = await new LogisticRegression({ l2: 1e-3, classWeight: null }).fit(X, y);
    coef.forEach((c, j) => assert.ok(Math.abs((m.coef_ as Float64Array)[j] - c) < 0.06, `coef ${j}: ${m.coef_?.[j]} vs ${c}`));
    assert.ok(Math.abs((m.intercept_ as number) - intercept) < 0.6, `intercept ${m.intercept_} vs ${intercept}`);
    assert.ok(m.converged_);
    assert.equal(m.backend_, activeBackend());
    assert.ok(["tensorflow", "wasm", "cpu"].includes(m.backend_ as string));
  });

  it("matches scikit-learn's coefficients (computed once, written down) on a 12-row problem", async () => {
    // /usr/bin/python3, scikit-learn 1.2.1: LogisticRegression(C=1, tol=1e-12).fit(StandardScaler().fit_transform(X), y)
    // and the same with C=0.5, class_weight="balanced"; inputs exactly as below.
    const X = matrixFromRows([[1, 5], [2, 3], [3, 8], [4, 1], [5, 7], [6, 2], [7, 9], [8, 4], [9, 6], [10, 0], [11, 5], [12, 3]]);
    const y = [0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1];
    const a = await new LogisticRegression({ l2: 1, classWeight: null, tol: 1e-9 }).fit(X, y);
    assert.ok(Math.abs((a.coefStd_ as Float64Array)[0] - 0.19287081580174428) < 1e-4);
    assert.ok(Math.abs((a.coefStd_ as Float64Array)[1] + 0.21358472688777658) < 1e-4);
    assert.ok(Math.abs((a.interceptStd_ as number) - 0.0002259397741298663) < 1e-4);
    const b = await new LogisticRegression({ l2: 2, classWeight: "balanced", tol: 1e-9 }).fit(X, y);
    assert.ok(Math.abs((b.coefStd_ as Float64Array)[0] - 0.15743468048344308) < 1e-4);
    assert.ok(Math.abs((b.coefStd_ as Float64Array)[1] + 0.1733676984446263) < 1e-4);
  });

  it("separates separable data perfectly and keeps finite coefficients under L2", async () => {
    const rows: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 200; i++) {
      const x = (i - 100) / 10;
      rows.push([x, (i * 7) % 13]);
      y.push(x > 0 ? 1 : 0);
    }
    const X = matrixFromRows(rows);
    const m = await new LogisticRegression({ l2: 0.01 }).fit(X, y);
    const p = m.predictProba(X);
    y.forEach((t, i) => assert.equal(p[i] >= 0.5 ? 1 : 0, t, `row ${i}`));
    assert.ok(Array.from(m.coef_ as Float64Array).every(Number.isFinite));
  });

  it("shrinks the coefficient norm monotonically as l2 grows", async () => {
    const { X, y } = synthetic(3000, [0.8, -0.5, 0.3], 0.5, 5);
    let prev = Infinity;
    for (const l2 of [0.01, 1, 100, 1000, 10000]) {
      const m = await new LogisticRegression({ l2, classWeight: null }).fit(X, y);
      const n = norm(m.coefStd_ as Float64Array);
      assert.ok(n < prev, `l2=${l2}: norm ${n} not below ${prev}`);
      prev = n;
    }
  });

  it("L1 sets an irrelevant feature's coefficient to exactly 0", async () => {
    const { X, y } = synthetic(4000, [1, 0, -1], 0, 9);
    const m = await new LogisticRegression({ l2: 0, l1: 20, classWeight: null, maxIter: 2000 }).fit(X, y);
    assert.equal((m.coefStd_ as Float64Array)[1], 0);
    assert.notEqual((m.coefStd_ as Float64Array)[0], 0);
  });

  it("balanced class weights raise the minority class's predicted probabilities", async () => {
    const { X, y } = synthetic(4000, [0.7, 0.4], -1.8, 3);
    const rate = y.reduce((a, v) => a + v, 0) / y.length;
    assert.ok(rate < 0.3, `positive rate ${rate}`);
    const plain = await new LogisticRegression({ classWeight: null }).fit(X, y);
    const balanced = await new LogisticRegression({ classWeight: "balanced" }).fit(X, y);
    const mean = (a: Float64Array): number => a.reduce((s, v) => s + v, 0) / a.length;
    assert.ok(Math.abs(mean(plain.predictProba(X)) - rate) < 0.02);
    assert.ok(mean(balanced.predictProba(X)) > mean(plain.predictProba(X)) + 0.1);
    // the unpenalised intercept makes the class-weighted mean prediction exactly the weighted base rate, ½
    const pb = balanced.predictProba(X);
    const nPos = y.reduce((a, v) => a + v, 0);
    let wp = 0;
    for (let i = 0; i < y.length; i++) wp += pb[i] * (y[i] === 1 ? y.length / (2 * nPos) : y.length / (2 * (y.length - nPos)));
    assert.ok(Math.abs(wp / y.length - 0.5) < 2e-3, `weighted mean ${wp / y.length}`);
    // sample weights: doubling every weight changes nothing; weighting one class up moves the intercept
    const twice = await new LogisticRegression({ classWeight: null }).fit(X, y, new Float64Array(y.length).fill(2));
    assert.ok(Math.abs((twice.interceptStd_ as number) - (plain.interceptStd_ as number)) < 0.05);
  });

  it("imputes NaN with the training mean and explains each logit with contributions (bias last)", async () => {
    const { X, y } = synthetic(1000, [1, -1], 0, 4);
    const m = await new LogisticRegression().fit(X, y);
    const Xq = matrixFromRows([[NaN, 12], [1, NaN], [(m.mean_ as Float64Array)[0], (m.mean_ as Float64Array)[1]]]);
    const z = m.decisionFunction(Xq);
    const c = m.contributions(Xq);
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(c[i * 3] + c[i * 3 + 1] + c[i * 3 + 2] - z[i]) < 1e-12);
    assert.equal(c[0], 0);
    assert.equal(c[4], 0);
    assert.ok(Math.abs(z[2] - (m.interceptStd_ as number)) < 1e-12);
  });

  it("throws NotFittedError before fit and a clear error on bad parameters and labels", async () => {
    const X = matrixFromRows([[1], [2], [3], [4]]);
    assert.throws(() => new LogisticRegression().predictProba(X), NotFittedError);
    await assert.rejects(new LogisticRegression({ l2: -1 }).fit(X, [0, 1, 0, 1]), /parameter l2 = -1 is invalid; expected a finite number >= 0/);
    await assert.rejects(new LogisticRegression().fit(X, [0, 1, 2, 1]), (e: unknown) => e instanceof SparkifyError && /y\[2\] = 2/.test(e.message));
    await assert.rejects(new LogisticRegression().fit(X, [1, 1, 1, 1]), /both classes/);
  });

  it("round-trips through toJSON/fromJSON with identical scores", async () => {
    const { X, y } = synthetic(500, [0.5, -0.5, 1], 0, 8);
    const m = await new LogisticRegression({ l2: 0.5 }).fit(X, y);
    const back = LogisticRegression.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    assert.deepEqual(Array.from(back.predictProba(X)), Array.from(m.predictProba(X)));
    assert.throws(() => LogisticRegression.fromJSON({ ...m.toJSON(), formatVersion: 99 }), /format version 99/);
  });
});
