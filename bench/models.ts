// `npm run bench -- models [--sizes mini,medium,full] [--modes forward,full-history] [--models lr,rf,gbt]
//                          [--no-grid] [--folds K] [--seed S] [--data DIR] [--full-input SRC] [--csv features.csv]...
//                          [--synthetic USERS] [--no-calibration] [--repeats R]`
// (default: the three sizes in both modes, every model, its whole search grid)
//
// --repeats R cross-validates each table R times (seeds S, S+1, …: other folds and model seeds) and
// prints, per model and reference, the mean and spread of Δ ROC-AUC over the repeats: one split of a
// small table (mini: 46 positives) moves Δ by more than 0.01, so a single run cannot tell noise from a gap.
//
// One table of every size × mode × model: the sparkify-churn models (logistic regression on
// TensorFlow.js, RandomForest, GradientBoostedTrees) beside Debian's scikit-learn (LogisticRegression,
// RandomForestClassifier, HistGradientBoostingClassifier) and XGBoost, on the same features.csv and the
// same folds (grouped by user), each candidate of lib/evaluation/searchSpace.ts translated to its
// scikit-learn twin. "default" is the grid's middle candidate (the models' defaults); "grid" is the
// candidate with the best pooled out-of-fold ROC-AUC, chosen the same way on both sides. Prints
// out-of-fold ROC-AUC, PR-AUC (average precision) and the summed fit seconds. Asserts nothing.
//
// Sizes: mini = data/sparkify-mini.jsonl (the embedded default); medium = `simulate --preset medium`;
// full = `--full-input SRC` or `simulate --preset full` (12 GB) into DIR. Events and feature tables are
// cached in DIR (default: the OS temp folder's sparkify-bench-models/), keyed by size, seed and mode.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { averagePrecision, crossValidate, rocAuc, searchSpace, stratifiedGroupKFold, type FeatureTableLike, type FoldPlan } from "../lib/evaluation";
import { computeFeatures, eventTimeRange, readFeaturesCsv, writeFeaturesCsv, type FeatureMode } from "../lib/features";
import { FeatureEncoder, initBackend, type Matrix } from "../lib/models";
import { weeklyCutoffs } from "../lib/eventSource/cutoffPlan";
import { writeSimulation } from "../lib/simulate";
import { EventStore } from "../lib/store";
import { syntheticTable } from "../test/evaluation/syntheticTable";
import { CALIBRATION_HEADER, calibrationLines } from "./calibration";

const PYTHON = "/usr/bin/python3";
const KINDS = ["lr", "rf", "gbt"] as const;
type Kind = (typeof KINDS)[number];
const SIZES = ["mini", "medium", "full"] as const;
export type Size = (typeof SIZES)[number];
const MODES: FeatureMode[] = ["forward", "full-history"];
const HORIZON_DAYS = 14;

/** One candidate's out-of-fold result on one side. */
interface CandidateResult {
  auc: number;
  pr: number;
  fitSeconds: number;
}

/** Every candidate of one model family on one side (null where it failed, with the message). */
interface FamilyResult {
  candidates: Array<CandidateResult | null>;
  error?: string;
}

/** Our side: every grid candidate of `kind`, cross-validated on the plan's folds (balanced class weights, as `run`). */
async function runOurs(kind: Kind, grid: Array<Record<string, unknown>>, X: Matrix, y: Float64Array, plan: FoldPlan): Promise<FamilyResult> {
  const candidates: CandidateResult[] = [];
  try {
    for (const params of grid) {
      const cv = await crossValidate(kind, params, X, y, plan, "balanced");
      candidates.push({ auc: rocAuc(y, cv.oof), pr: averagePrecision(y, cv.oof), fitSeconds: cv.fitSeconds.reduce((a, b) => a + b, 0) });
    }
    return { candidates };
  } catch (err) {
    return { candidates, error: err instanceof Error ? err.message : String(err) };
  }
}

const PY_SCRIPT = String.raw`
import json, sys, time
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score
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

# Each candidate of lib/evaluation/searchSpace.ts as its scikit-learn / XGBoost twin.
def lr(c):
    return make_pipeline(SimpleImputer(strategy="mean"), StandardScaler(), LogisticRegression(C=1.0 / c.get("l2", 1), class_weight="balanced", max_iter=2000))
def rf(c):
    return make_pipeline(SimpleImputer(strategy="mean"), RandomForestClassifier(
        n_estimators=c.get("nEstimators", 100), min_samples_leaf=c.get("minSamplesLeaf", 1), max_features="sqrt", n_jobs=2, random_state=seed))
def hgb(c):
    return HistGradientBoostingClassifier(
        max_iter=c.get("nEstimators", 100), learning_rate=c.get("learningRate", 0.1), max_leaf_nodes=c.get("maxLeaves", 31),
        max_depth=c.get("maxDepth") or None, min_samples_leaf=c.get("minSamplesLeaf", 20), l2_regularization=c.get("l2", 0.0),
        max_bins=255, early_stopping="auto", n_iter_no_change=10, validation_fraction=0.1, random_state=seed)
makers = {"lr": lr, "rf": rf, "hgb": hgb}
try:
    import xgboost
    def xgb(c):
        # No min_samples_leaf in XGBoost; leaves, rate, rounds and L2 as the candidate says, no early stopping.
        return xgboost.XGBClassifier(
            n_estimators=c.get("nEstimators", 100), learning_rate=c.get("learningRate", 0.1), max_leaves=c.get("maxLeaves", 31),
            grow_policy="lossguide", max_depth=c.get("maxDepth", 0), reg_lambda=c.get("l2", 0.0), max_bin=256,
            tree_method="hist", n_jobs=1, random_state=seed)
    makers["xgb"] = xgb
    xgb_version = xgboost.__version__
except ImportError:
    xgb_version = None

family = {"lr": "lr", "rf": "rf", "hgb": "gbt", "xgb": "gbt"}
out = {"sklearn": sklearn.__version__, "xgboost": xgb_version, "models": {}}
for name, make in makers.items():
    grid = d["grids"].get(family[name])
    if grid is None:
        continue
    res = []
    for c in grid:
        oof = np.zeros(len(y))
        fit = 0.0
        for test in d["folds"]:
            mask = np.zeros(len(y), dtype=bool)
            mask[test] = True
            tr = ~mask
            m = make(c)
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
        res.append({"auc": roc_auc_score(y, oof), "pr": average_precision_score(y, oof), "fitSeconds": fit})
    out["models"][name] = {"candidates": res}
print(json.dumps(out))
`;

interface PyResult {
  sklearn: string;
  xgboost: string | null;
  models: Record<string, FamilyResult>;
}

/** The reference side: the same grids and folds in Debian's scikit-learn and XGBoost. */
function runPython(X: Matrix, y: Float64Array, plan: FoldPlan, seed: number, grids: Partial<Record<Kind, Array<Record<string, unknown>>>>): PyResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-bench-models-"));
  try {
    const rows: Array<Array<number | null>> = [];
    for (let i = 0; i < X.nRows; i++) rows.push(Array.from(X.data.subarray(i * X.nCols, (i + 1) * X.nCols), (v) => (Number.isNaN(v) ? null : v)));
    const dataFile = path.join(dir, "data.json");
    fs.writeFileSync(dataFile, JSON.stringify({ X: rows, y: Array.from(y), folds: plan.folds.map((f) => Array.from(f.test)), seed, grids }));
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

/** Where a size's events live, simulating them into `dir` on first use. */
async function eventsFor(size: Size, seed: number, dir: string, fullInput: string | undefined): Promise<string> {
  if (size === "mini") {
    const mini = path.join(__dirname, "..", "data", "sparkify-mini.jsonl");
    if (!fs.existsSync(mini)) throw new Error(`bench models: ${mini} is missing; run \`npm start\` once to generate the embedded default`);
    return mini;
  }
  if (size === "full" && fullInput) return fullInput;
  const out = path.join(dir, size === "medium" ? `medium-${seed}.jsonl.gz` : `full-${seed}`);
  if (!fs.existsSync(out)) {
    console.log(`simulating the ${size} preset (seed ${seed}) to ${out} …`);
    await writeSimulation({ preset: size, seed, out, quiet: true });
  }
  return out;
}

/** The feature table of a size and mode (forward: weekly cutoffs, 14-day horizon), cached as CSV in `dir`. */
export async function tableFor(size: Size, mode: FeatureMode, seed: number, dir: string, fullInput: string | undefined): Promise<FeatureTableLike> {
  const csv = path.join(dir, `${size}-${size === "mini" ? "default" : seed}-${mode}.csv`);
  if (fs.existsSync(csv)) return readFeaturesCsv(csv);
  const src = await eventsFor(size, seed, dir, fullInput);
  const store = await EventStore.open(src, { quiet: true });
  try {
    const options = mode === "forward" ? { mode, cutoffs: weeklyCutoffs(await eventTimeRange(store), HORIZON_DAYS, 14), horizonDays: HORIZON_DAYS } : { mode };
    const table = await computeFeatures(store, options);
    await writeFeaturesCsv(table, csv);
    return table;
  } finally {
    await store.close();
  }
}

function fmt(x: number | undefined, d = 3): string {
  return x !== undefined && Number.isFinite(x) ? x.toFixed(d) : "n/a";
}

/** Index of the candidate with the best pooled out-of-fold ROC-AUC. */
function bestIndex(r: FamilyResult | undefined): number {
  let best = -1;
  r?.candidates.forEach((c, i) => {
    if (c && (best < 0 || c.auc > (r.candidates[best] as CandidateResult).auc)) best = i;
  });
  return best;
}

/** The default candidate's ROC-AUC on our side and a reference side, per "model vs reference". */
type DefaultPairs = Record<string, { ours: number; ref: number }>;

/** Our default candidate's ROC-AUC beside each reference's (for --repeats). */
function defaultPairs(ours: Partial<Record<Kind, FamilyResult>>, py: PyResult, defaultIndex: number): DefaultPairs {
  const out: DefaultPairs = {};
  for (const [kind, ref, refName] of REFS) {
    const oc = ours[kind]?.candidates[defaultIndex];
    const rc = py.models[ref]?.candidates[defaultIndex];
    if (oc && rc) out[`${kind} vs ${refName}`] = { ours: oc.auc, ref: rc.auc };
  }
  return out;
}

const REFS: Array<[Kind, string, string]> = [["lr", "lr", "sklearn LogisticRegression"], ["rf", "rf", "sklearn RandomForest"], ["gbt", "hgb", "sklearn HistGradientBoosting"], ["gbt", "xgb", "XGBoost hist"]];

/** One printed line per model × (default, grid) with every side's figures. */
function printTable(label: string, ours: Partial<Record<Kind, FamilyResult>>, py: PyResult, defaultIndex: number, grid: boolean): string[] {
  const lines: string[] = [];
  for (const [kind, ref, refName] of REFS) {
    const o = ours[kind];
    const r = py.models[ref];
    if (!o || !r) continue;
    for (const which of grid ? (["default", "grid"] as const) : (["default"] as const)) {
      const oi = which === "default" ? defaultIndex : bestIndex(o);
      const ri = which === "default" ? defaultIndex : bestIndex(r);
      const oc = o.candidates[oi] ?? undefined;
      const rc = r.candidates[ri] ?? undefined;
      const delta = oc && rc ? oc.auc - rc.auc : NaN;
      const flag = Number.isFinite(delta) && Math.abs(delta) > 0.01 ? " !" : "";
      lines.push(
        `| ${label} | ${kind} vs ${refName} | ${which}${which === "grid" ? ` (${oi}/${ri})` : ""} | ${fmt(oc?.auc)} | ${fmt(rc?.auc)} | ${(delta >= 0 ? "+" : "") + fmt(delta)}${flag} | ${fmt(oc?.pr)} | ${fmt(rc?.pr)} | ${fmt(oc?.fitSeconds, 1)} | ${fmt(rc?.fitSeconds, 1)} |` +
          (o.error && !oc ? ` ours failed: ${o.error}` : ""),
      );
    }
  }
  return lines;
}

/** Cross-validates every model on one table, both sides; returns the table's printed lines. */
async function benchTable(label: string, table: FeatureTableLike, folds: number, seed: number, kinds: Kind[], grid: boolean, calibrate: boolean): Promise<{ lines: string[]; versions: string; pairs: DefaultPairs }> {
  const encoder = await new FeatureEncoder().fit(table.rows, table.dictionary);
  const X = encoder.transform(table.rows);
  const y = Float64Array.from(table.rows, (r) => Number(r.churn));
  const users = table.rows.map((r) => String(r.userId));
  const plan = stratifiedGroupKFold(y, users, folds, seed);
  const pos = y.reduce((a, v) => a + v, 0);
  console.log(`\n## ${label}: ${X.nRows} rows, ${new Set(users).size} users, ${X.nCols} columns, ${pos} positive (${(100 * pos / X.nRows).toFixed(1)}%), ${plan.k} folds grouped by user`);
  const grids: Partial<Record<Kind, Array<Record<string, unknown>>>> = {};
  for (const k of kinds) grids[k] = (grid ? searchSpace(k, true) : searchSpace(k, false)).map((p) => (k === "lr" ? p : { ...p, seed }));
  const t0 = Date.now();
  const py = runPython(X, y, plan, seed, grids);
  console.log(`  reference side ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  const ours: Partial<Record<Kind, FamilyResult>> = {};
  for (const k of kinds) {
    const t1 = Date.now();
    ours[k] = await runOurs(k, grids[k] as Array<Record<string, unknown>>, X, y, plan);
    console.log(`  ours ${k} ${((Date.now() - t1) / 1000).toFixed(0)} s`);
  }
  const lines = printTable(`${label} | ${X.nRows} (${(100 * pos / X.nRows).toFixed(1)}%)`, ours, py, grid ? 1 : 0, grid);
  for (const l of lines) console.log(l);
  if (calibrate) {
    // issue 16: Brier and ECE of each default candidate, raw and calibrated, beside scikit-learn's (bench/calibration.ts)
    const defaults = Object.fromEntries(kinds.map((k) => [k, searchSpace(k, false).map((p) => (k === "lr" ? p : { ...p, seed }))[0]]));
    const cal = await calibrationLines(label, X, y, plan, seed, defaults);
    for (const l of [...CALIBRATION_HEADER, ...cal]) console.log(l);
    calibration.push(...cal);
  }
  return { lines, versions: `scikit-learn ${py.sklearn}${py.xgboost ? `, xgboost ${py.xgboost}` : " (xgboost not installed)"}`, pairs: defaultPairs(ours, py, grid ? 1 : 0) };
}

/** Mean and sample standard deviation. */
function meanSd(xs: number[]): [number, number] {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return [m, xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)) : NaN];
}

/**
 * The --repeats summary of one table: per "model vs reference", the default candidates' mean ROC-AUC
 * on each side, Δ's mean, standard deviation and range over the repeats, the standard error of the
 * mean Δ, and how many repeats had |Δ| > 0.01.
 */
function repeatLines(label: string, runs: DefaultPairs[]): string[] {
  const lines: string[] = [];
  for (const key of Object.keys(runs[0] ?? {})) {
    const got = runs.map((r) => r[key]).filter((p) => p !== undefined);
    const d = got.map((p) => p.ours - p.ref);
    const [dm, dsd] = meanSd(d);
    const sign = (x: number): string => (x >= 0 ? "+" : "") + fmt(x);
    lines.push(`| ${label} | ${key} | ${got.length} | ${fmt(meanSd(got.map((p) => p.ours))[0])} | ${fmt(meanSd(got.map((p) => p.ref))[0])} | ${sign(dm)} | ${fmt(dsd)} | ${fmt(dsd / Math.sqrt(d.length))} | ${sign(Math.min(...d))} … ${sign(Math.max(...d))} | ${d.filter((x) => Math.abs(x) > 0.01).length} |`);
  }
  return lines;
}

const REPEAT_HEADER = [
  "| size mode | model vs reference | repeats | ours mean ROC-AUC | ref mean ROC-AUC | mean Δ | sd Δ | se of mean Δ | Δ range | repeats with abs(Δ) > 0.01 |",
  "|---|---|---|---|---|---|---|---|---|---|",
];

/** Calibration lines of every table, printed again at the end. */
const calibration: string[] = [];

const HEADER = [
  "| size mode | rows (positive) | model vs reference | params | ours ROC-AUC | ref ROC-AUC | Δ ROC-AUC | ours PR-AUC | ref PR-AUC | ours fit s | ref fit s |",
  "|---|---|---|---|---|---|---|---|---|---|---|",
];

/** Entry point of `npm run bench -- models`. */
export async function run(args: string[]): Promise<void> {
  const flag = (name: string): boolean => args.includes(name);
  const value = (name: string): string | undefined => {
    const k = args.indexOf(name);
    return k >= 0 ? args[k + 1] : undefined;
  };
  const list = <T extends string>(name: string, all: readonly T[]): T[] => {
    const v = value(name);
    if (v === undefined) return [...all];
    const got = v.split(",");
    for (const g of got) if (!all.includes(g as T)) throw new Error(`bench models: unknown value "${g}" in ${name} (use ${all.join(", ")})`);
    return got as T[];
  };
  const folds = Number(value("--folds") ?? 5);
  const seed = Number(value("--seed") ?? 42);
  const kinds = list("--models", KINDS);
  const modes = list("--modes", MODES);
  const csvs = args.flatMap((a, k) => (args[k - 1] === "--csv" ? [a] : []));
  const synthetic = value("--synthetic");
  const sizes = value("--sizes") !== undefined || (!csvs.length && !synthetic) ? list("--sizes", SIZES) : [];
  const grid = !flag("--no-grid");
  // --no-calibration skips the second pass of bench/calibration.ts (it doubles the time on the full-size tables).
  const calibrate = !flag("--no-calibration");
  const repeats = Number(value("--repeats") ?? 1);
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`bench models: --repeats must be a whole number ≥ 1, got ${value("--repeats")}`);
  const dir = value("--data") ?? path.join(os.tmpdir(), "sparkify-bench-models");
  fs.mkdirSync(dir, { recursive: true });
  process.env.SPARKIFY_QUIET = "1";
  console.log(`# models benchmark (TensorFlow.js backend: ${await initBackend()}); seed ${seed}, ${folds} folds grouped by user, balanced class weights on both sides`);
  console.log(`  grids (lib/evaluation/searchSpace.ts${grid ? "" : ", default candidate only"}):`);
  for (const k of kinds) console.log(`    ${k}: ${JSON.stringify(searchSpace(k, grid))}`);
  console.log("  twins: lr = mean imputation + standardisation + LogisticRegression(C = 1/l2); rf = mean imputation + RandomForestClassifier(max_features sqrt, n_jobs 2);");
  console.log("         gbt = HistGradientBoostingClassifier(early_stopping auto, n_iter_no_change 10, 255 bins, 1 thread) and XGBClassifier(hist, lossguide, no early stopping, 1 thread)");
  const lines: string[] = [];
  let versions = "";
  const repeated: string[] = [];
  // Each table once per repeat, with seeds seed, seed + 1, …; the first repeat's lines make the main table.
  const add = async (label: string, table: FeatureTableLike): Promise<void> => {
    const runs: DefaultPairs[] = [];
    for (let r = 0; r < repeats; r++) {
      if (repeats > 1) console.log(`\n# repeat ${r + 1}/${repeats} of ${label}: seed ${seed + r}`);
      const res = await benchTable(label, table, folds, seed + r, kinds, grid, calibrate && r === 0);
      if (r === 0) lines.push(...res.lines);
      versions = res.versions;
      runs.push(res.pairs);
    }
    if (repeats > 1) repeated.push(...repeatLines(label, runs));
  };
  for (const size of sizes) {
    for (const mode of modes) {
      // The events and table are the same for every repeat (seed 42's medium/full simulation); only folds and model seeds change.
      await add(`${size} ${mode}`, await tableFor(size, mode, seed, dir, value("--full-input")));
    }
  }
  if (synthetic) await add(`synthetic ${synthetic} users`, syntheticTable({ users: Number(synthetic), seed }));
  for (const csv of csvs) await add(path.basename(csv), await readFeaturesCsv(csv));
  console.log(`\n# the whole table (reference: ${versions}; "grid (i/j)": the candidates each side selected; "!" marks |Δ ROC-AUC| > 0.01; fit s = the shown candidate's fits summed over the folds, training only)`);
  for (const l of [...HEADER, ...lines]) console.log(l);
  if (repeats > 1) {
    console.log(`\n# repeated cross-validation: the default candidates over ${repeats} seeds (${seed}…${seed + repeats - 1}: folds and model seeds); Δ = ours − reference`);
    for (const l of [...REPEAT_HEADER, ...repeated]) console.log(l);
  }
  console.log("\n# calibration of each default candidate: pooled out-of-fold mean probability / Brier score / ECE (10 bins), raw (class-weighted) and calibrated (bench/calibration.ts)");
  for (const l of [...CALIBRATION_HEADER, ...calibration]) console.log(l);
}
