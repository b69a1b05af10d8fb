// The calibration columns of `npm run bench -- models` (issue 16): for each model's default candidate,
// Brier score and expected calibration error (10 bins) of the pooled out-of-fold probabilities, raw
// (class-weighted) and calibrated, beside scikit-learn's counterparts on the same folds. Ours: the
// calibrator `run` uses (sigmoid or isotonic by cross-fitted log loss, fitted on the other folds'
// out-of-fold scores). scikit-learn: CalibratedClassifierCV(method sigmoid and isotonic, cv=3) fitted
// on each training fold, the estimator balanced by class_weight (sample weights would also reweigh
// the calibration). Kept apart from bench/models.ts, which prints the ROC-AUC table.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { brierScore, crossValidate, expectedCalibrationError, type FoldPlan } from "../lib/evaluation";
import { ProbabilityCalibrator } from "../lib/models/calibration";
import type { Matrix } from "../lib/models";

const PYTHON = "/usr/bin/python3";

const PY = String.raw`
import json, sys
import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

d = json.load(open(sys.argv[1]))
X = np.array(d["X"], dtype=float)
y = np.array(d["y"], dtype=int)
seed = d["seed"]

def make(kind, c):
    if kind == "lr":
        return make_pipeline(SimpleImputer(strategy="mean"), StandardScaler(), LogisticRegression(C=1.0 / c.get("l2", 1), class_weight="balanced", max_iter=2000))
    if kind == "rf":
        return make_pipeline(SimpleImputer(strategy="mean"), RandomForestClassifier(n_estimators=c.get("nEstimators", 100), min_samples_leaf=c.get("minSamplesLeaf", 1),
            max_features="sqrt", class_weight="balanced", n_jobs=2, random_state=seed))
    return HistGradientBoostingClassifier(max_iter=c.get("nEstimators", 100), learning_rate=c.get("learningRate", 0.1), max_leaf_nodes=c.get("maxLeaves", 31),
        max_depth=c.get("maxDepth") or None, min_samples_leaf=c.get("minSamplesLeaf", 20), l2_regularization=c.get("l2", 0.0), class_weight="balanced", random_state=seed)

def ece(y, p, bins=10):
    b = np.minimum(bins - 1, np.floor(p * bins).astype(int))
    return sum(abs(p[b == k].mean() - y[b == k].mean()) * (b == k).sum() / len(y) for k in range(bins) if (b == k).any())

out = {}
for kind, c in d["params"].items():
    res = {}
    for method in ["raw", "sigmoid", "isotonic"]:
        oof = np.zeros(len(y))
        for test in d["folds"]:
            mask = np.zeros(len(y), dtype=bool)
            mask[test] = True
            m = make(kind, c) if method == "raw" else CalibratedClassifierCV(make(kind, c), method=method, cv=3)
            m.fit(X[~mask], y[~mask])
            oof[mask] = m.predict_proba(X[mask])[:, 1]
        res[method] = {"brier": float(np.mean((oof - y) ** 2)), "ece": float(ece(y, oof)), "mean": float(oof.mean())}
    out[kind] = res
print(json.dumps(out))
`;

interface Quality {
  brier: number;
  ece: number;
  mean: number;
}

/** Our raw and calibrated out-of-fold quality for one model's parameters. */
async function ours(kind: string, params: Record<string, unknown>, X: Matrix, y: Float64Array, plan: FoldPlan): Promise<{ raw: Quality; calibrated: Quality; method: string }> {
  const cv = await crossValidate(kind, params, X, y, plan, "balanced");
  const cal = await new ProbabilityCalibrator({ method: "auto" }).fit(cv.oofScore, y, cv.foldOf);
  const q = (p: Float64Array): Quality => ({ brier: brierScore(y, p), ece: expectedCalibrationError(y, p), mean: p.reduce((a, v) => a + v, 0) / p.length });
  return { raw: q(cv.oof), calibrated: q(cal.crossFitted_ as Float64Array), method: cal.method_ as string };
}

/** scikit-learn's raw, sigmoid- and isotonic-calibrated out-of-fold quality on the same folds. */
function reference(X: Matrix, y: Float64Array, plan: FoldPlan, seed: number, params: Record<string, Record<string, unknown>>): Record<string, Record<"raw" | "sigmoid" | "isotonic", Quality>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-bench-calibration-"));
  try {
    const rows: Array<Array<number | null>> = [];
    for (let i = 0; i < X.nRows; i++) rows.push(Array.from(X.data.subarray(i * X.nCols, (i + 1) * X.nCols), (v) => (Number.isNaN(v) ? null : v)));
    const dataFile = path.join(dir, "data.json");
    fs.writeFileSync(dataFile, JSON.stringify({ X: rows, y: Array.from(y), folds: plan.folds.map((f) => Array.from(f.test)), seed, params }));
    const script = path.join(dir, "calibration.py");
    fs.writeFileSync(script, PY);
    const env = { ...process.env, OMP_NUM_THREADS: "1", OMP_WAIT_POLICY: "PASSIVE", OPENBLAS_NUM_THREADS: "1" };
    const out = execFileSync(PYTHON, [script, dataFile], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env });
    return JSON.parse(out.trim().split("\n").pop() as string);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The calibration table's header lines. */
export const CALIBRATION_HEADER = [
  "| table | model | observed rate | ours raw mean / Brier / ECE | ours calibrated (method) mean / Brier / ECE | sklearn raw mean / Brier / ECE | sklearn sigmoid mean / Brier / ECE | sklearn isotonic mean / Brier / ECE |",
  "|---|---|---|---|---|---|---|---|",
];

/** One printed line per model: Brier and ECE, raw and calibrated, ours beside scikit-learn's, on the plan's folds. */
export async function calibrationLines(label: string, X: Matrix, y: Float64Array, plan: FoldPlan, seed: number, params: Record<string, Record<string, unknown>>): Promise<string[]> {
  const ref = reference(X, y, plan, seed, params);
  const f = (q: Quality | undefined): string => (q ? `${q.mean.toFixed(3)} / ${q.brier.toFixed(4)} / ${q.ece.toFixed(3)}` : "–");
  const rate = y.reduce((a, v) => a + v, 0) / y.length;
  const lines: string[] = [];
  for (const [kind, p] of Object.entries(params)) {
    const o = await ours(kind, p, X, y, plan);
    const r = ref[kind];
    lines.push(`| ${label} | ${kind} | ${rate.toFixed(3)} | ${f(o.raw)} | ${f(o.calibrated)} (${o.method}) | ${f(r?.raw)} | ${f(r?.sigmoid)} | ${f(r?.isotonic)} |`);
  }
  return lines;
}
