// `npm run bench -- models [--synthetic USERS] [--medium] [--full] [--csv features.csv]... [--models lr,rf,gbt] [--folds K] [--seed S]`
// (default: --synthetic 22000, the full data set's size)
//
// Fits the three sparkify-churn models (logistic regression on TensorFlow.js, RandomForest,
// GradientBoostedTrees) and Debian's scikit-learn (LogisticRegression, RandomForestClassifier,
// HistGradientBoostingClassifier) plus xgboost when installed, on the same feature table and the same
// folds (written to a temporary JSON file the Python script reads), and prints out-of-fold ROC-AUC
// and total fit time of each side by side, with ratios. Prints; asserts nothing.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { balancedWeights, rocAuc, stratifiedGroupKFold, type FeatureTableLike, type FoldPlan } from "../lib/evaluation";
import { FeatureEncoder, GradientBoostedTrees, LogisticRegression, RandomForest, initBackend, takeRows, type Classifier, type Matrix } from "../lib/models";
import { computeFeatures, eventTimeRange, readFeaturesCsv } from "../lib/features";
import { weeklyCutoffs } from "../lib/pipeline/cutoffPlan";
import { writeSimulation } from "../lib/simulate";
import { EventStore } from "../lib/store";
import { syntheticTable } from "../test/evaluation/syntheticTable";

const PYTHON = "/usr/bin/python3";

/** Matched hyper-parameters on both sides (printed with the results). */
const PARAMS = {
  lr: "C = 1/l2 = 1, standardised inputs, mean imputation, class_weight balanced",
  rf: "100 trees, max_features sqrt, min_samples_leaf 1, bootstrap, balanced sample weights, 2 threads",
  gbt: "100 rounds, learning rate 0.1, 31 leaves, min_samples_leaf 20, l2 0 (sklearn) / 1 (ours), 255 bins, no early stopping, balanced sample weights, 1 thread (OMP_NUM_THREADS=1; xgboost depth 6)",
};

function makeModel(kind: string, seed: number): Classifier {
  if (kind === "lr") return new LogisticRegression({ l2: 1, classWeight: "balanced" });
  if (kind === "rf") return new RandomForest({ nEstimators: 100, maxFeatures: "sqrt", minSamplesLeaf: 1, bootstrap: true, seed, nThreads: 2 });
  return new GradientBoostedTrees({ nEstimators: 100, learningRate: 0.1, maxLeaves: 31, maxDepth: 0, minSamplesLeaf: 20, l2: 1, maxBins: 255, earlyStoppingRounds: 0, seed });
}

interface SideResult {
  auc: number;
  fitSeconds: number;
}

/** Our models: out-of-fold AUC and the summed fit time over the folds. */
async function runOurs(kind: string, X: Matrix, y: Float64Array, plan: FoldPlan, seed: number): Promise<SideResult> {
  const oof = new Float64Array(X.nRows);
  let fitSeconds = 0;
  for (const fold of plan.folds) {
    const Xtr = takeRows(X, fold.train);
    const ytr = Float64Array.from(fold.train, (i) => y[i]);
    const model = makeModel(kind, seed);
    const w = kind === "lr" ? undefined : balancedWeights(ytr);
    const t0 = process.hrtime.bigint();
    await model.fit(Xtr, ytr, w);
    fitSeconds += Number(process.hrtime.bigint() - t0) / 1e9;
    const p = model.predictProba(takeRows(X, fold.test));
    fold.test.forEach((row, k) => (oof[row] = p[k]));
  }
  return { auc: rocAuc(y, oof), fitSeconds };
}

const PY_SCRIPT = String.raw`
import json, sys, time
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
import sklearn

d = json.load(open(sys.argv[1]))
X = np.array(d["X"], dtype=float)
y = np.array(d["y"], dtype=int)
seed = d["seed"]

def balanced(yt):
    n, p = len(yt), yt.sum()
    return np.where(yt == 1, n / (2 * p), n / (2 * (n - p)))

models = {
    "lr": lambda: make_pipeline(SimpleImputer(strategy="mean"), StandardScaler(), LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000)),
    "rf": lambda: make_pipeline(SimpleImputer(strategy="mean"), RandomForestClassifier(n_estimators=100, max_features="sqrt", min_samples_leaf=1, n_jobs=2, random_state=seed)),
    "hgb": lambda: HistGradientBoostingClassifier(max_iter=100, learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=20, early_stopping=False, random_state=seed),
}
try:
    import xgboost
    models["xgb"] = lambda: xgboost.XGBClassifier(n_estimators=100, learning_rate=0.1, max_depth=6, tree_method="hist", n_jobs=1, random_state=seed)
    xgb_version = xgboost.__version__
except ImportError:
    xgb_version = None

wanted = {"lr": ["lr"], "rf": ["rf"], "gbt": ["hgb", "xgb"]}
keep = {m for k in d["kinds"] for m in wanted[k]}
out = {"sklearn": sklearn.__version__, "xgboost": xgb_version, "models": {}}
for name, make in models.items():
    if name not in keep:
        continue
    oof = np.zeros(len(y))
    fit = 0.0
    for test in d["folds"]:
        mask = np.zeros(len(y), dtype=bool)
        mask[test] = True
        tr = ~mask
        m = make()
        w = balanced(y[tr])
        t0 = time.perf_counter()
        if name == "lr":
            m.fit(X[tr], y[tr])
        elif name == "rf":
            m.fit(X[tr], y[tr], randomforestclassifier__sample_weight=w)
        else:
            m.fit(X[tr], y[tr], sample_weight=w)
        fit += time.perf_counter() - t0
        oof[mask] = m.predict_proba(X[mask])[:, 1]
    out["models"][name] = {"auc": roc_auc_score(y, oof), "fitSeconds": fit}
print(json.dumps(out))
`;

interface PyResult {
  sklearn: string;
  xgboost: string | null;
  models: Record<string, SideResult>;
}

function runPython(X: Matrix, y: Float64Array, plan: FoldPlan, seed: number, kinds: string[]): PyResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-bench-models-"));
  try {
    const rows: Array<Array<number | null>> = [];
    for (let i = 0; i < X.nRows; i++) rows.push(Array.from(X.data.subarray(i * X.nCols, (i + 1) * X.nCols), (v) => (Number.isNaN(v) ? null : v)));
    const dataFile = path.join(dir, "data.json");
    fs.writeFileSync(dataFile, JSON.stringify({ X: rows, y: Array.from(y), folds: plan.folds.map((f) => Array.from(f.test)), seed, kinds }));
    const script = path.join(dir, "reference.py");
    fs.writeFileSync(script, PY_SCRIPT);
    // One OpenMP thread (our boosting runs on one thread too) with passive waiting: OpenMP threads
    // spin-wait for minutes on a busy shared 2-core machine (HistGradientBoosting took 324 s for 1k rows).
    const env = { ...process.env, OMP_NUM_THREADS: "1", OMP_WAIT_POLICY: "PASSIVE", OPENBLAS_NUM_THREADS: "1" };
    const out = execFileSync(PYTHON, [script, dataFile], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env });
    return JSON.parse(out.trim().split("\n").pop() as string) as PyResult;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Simulates a preset (cached under the OS temp folder), loads it and computes the forward feature table. */
async function simulatedTable(preset: "medium" | "full", seed: number): Promise<FeatureTableLike> {
  const file = path.join(os.tmpdir(), `sparkify-bench-${preset}-${seed}.jsonl.gz`);
  if (!fs.existsSync(file)) {
    console.log(`simulating the ${preset} preset to ${file} …`);
    await writeSimulation({ preset, seed, out: file, quiet: true });
  }
  const store = await EventStore.open(file, { quiet: true });
  try {
    const cutoffs = weeklyCutoffs(await eventTimeRange(store), 14, 14);
    return await computeFeatures(store, { mode: "forward", cutoffs, horizonDays: 14 });
  } finally {
    await store.close();
  }
}

function fmt(x: number, d = 3): string {
  return Number.isFinite(x) ? x.toFixed(d) : "n/a";
}

async function benchTable(name: string, table: FeatureTableLike, folds: number, seed: number, kinds: string[]): Promise<void> {
  const encoder = new FeatureEncoder().fit(table.rows, table.dictionary);
  const X = encoder.transform(table.rows);
  const y = Float64Array.from(table.rows, (r) => Number(r.churn));
  const users = table.rows.map((r) => String(r.userId));
  const plan = stratifiedGroupKFold(y, users, folds, seed);
  const pos = y.reduce((a, v) => a + v, 0);
  console.log(`\n## ${name}: ${X.nRows} rows, ${new Set(users).size} users, ${table.dictionary.length} features → ${X.nCols} columns, ${(100 * pos / X.nRows).toFixed(1)}% positive, ${plan.k} folds grouped by user`);
  const py = runPython(X, y, plan, seed, kinds);
  const ours: Record<string, SideResult | Error> = {};
  for (const kind of kinds) {
    try {
      ours[kind] = await runOurs(kind, X, y, plan, seed);
    } catch (err) {
      ours[kind] = err instanceof Error ? err : new Error(String(err)); // report it beside the others
    }
  }
  console.log(`reference: scikit-learn ${py.sklearn}${py.xgboost ? `, xgboost ${py.xgboost}` : " (xgboost not installed)"}; fit time = sum over folds, training only`);
  console.log("model | ours AUC | reference AUC | ΔAUC   | ours fit s | ref fit s | time ratio (ours/ref)");
  const pairs: Array<[string, string, string]> = [["lr", "lr", "LogisticRegression"], ["rf", "rf", "RandomForestClassifier"], ["gbt", "hgb", "HistGradientBoosting"], ["gbt", "xgb", "XGBoost hist"]];
  for (const [mine, ref, label] of pairs) {
    const r = py.models[ref];
    const o = ours[mine];
    if (!r || !o) continue;
    if (o instanceof Error) {
      console.log(`${mine.padEnd(3)} vs ${label.padEnd(22)} | ours failed: ${o.message} | reference AUC ${fmt(r.auc, 4)}, fit ${fmt(r.fitSeconds, 2)} s`);
      continue;
    }
    console.log(`${mine.padEnd(3)} vs ${label.padEnd(22)} | ${fmt(o.auc, 4)} | ${fmt(r.auc, 4)} | ${(o.auc - r.auc >= 0 ? "+" : "") + fmt(o.auc - r.auc, 4)} | ${fmt(o.fitSeconds, 2).padStart(7)} | ${fmt(r.fitSeconds, 2).padStart(7)} | ${fmt(o.fitSeconds / r.fitSeconds, 2)}×`);
  }
}

/** Entry point of `npm run bench -- models`. */
export async function run(args: string[]): Promise<void> {
  const flag = (name: string): boolean => args.includes(name);
  const value = (name: string): string | undefined => {
    const k = args.indexOf(name);
    return k >= 0 ? args[k + 1] : undefined;
  };
  const folds = Number(value("--folds") ?? 5);
  const kinds = (value("--models") ?? "lr,rf,gbt").split(",");
  for (const k of kinds) if (!["lr", "rf", "gbt"].includes(k)) throw new Error(`bench models: unknown model "${k}" in --models (use lr, rf, gbt)`);
  const seed = Number(value("--seed") ?? 42);
  const csvs = args.flatMap((a, k) => (args[k - 1] === "--csv" ? [a] : []));
  const synthetic = value("--synthetic") ?? (flag("--medium") || flag("--full") || csvs.length ? undefined : "22000");
  process.env.SPARKIFY_QUIET = "1";
  console.log(`# models benchmark (TensorFlow.js backend: ${await initBackend()}); parameters matched on both sides:`);
  for (const [k, v] of Object.entries(PARAMS)) console.log(`  ${k}: ${v}`);
  if (synthetic) {
    const users = Number(synthetic);
    await benchTable(`synthetic table (realistic shape, not simulated events; test/evaluation/syntheticTable.ts), ${users} users`, syntheticTable({ users, seed }), folds, seed, kinds);
  }
  if (flag("--medium")) await benchTable("simulated medium preset, forward mode, weekly cutoffs, 14-day horizon", await simulatedTable("medium", seed), folds, seed, kinds);
  if (flag("--full")) await benchTable("simulated full preset, forward mode, weekly cutoffs, 14-day horizon", await simulatedTable("full", seed), folds, seed, kinds);
  for (const csv of csvs) {
    await benchTable(`feature table ${csv}`, await readFeaturesCsv(csv), folds, seed, kinds);
  }
}
