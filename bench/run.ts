// `npm run bench -- run [--users N] [--seed S] [--input FILE|FOLDER] [--models lr,rf,gbt] [--keep]`
// The whole `run` (load, features, EDA, each model's search and final fit, calibration, importance,
// scoring, report) stage by stage from its metrics.json `timings`, beside the reference pipeline a
// data scientist would write instead: a bare DuckDB GROUP BY over the same files, then scikit-learn
// doing the same model work on our features.csv (the same candidates, 5 folds grouped by user, a
// final fit of the chosen one; RandomForest on 2 jobs, HistGradientBoosting on its OpenMP threads),
// with Debian's /usr/bin/python3. Both in one process run, as ratios. Simulated data (medium preset,
// `--users` listeners) goes to /tmp and is deleted afterwards unless --keep.
import { DuckDBInstance } from "@duckdb/node-api";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { searchSpace } from "../lib/evaluation";
import { runPipeline } from "../lib/pipeline";
import type { StageTiming } from "../lib/progress/stageTimer";
import { writeSimulation } from "../lib/simulate";

const PYTHON = "/usr/bin/python3";
const KINDS = ["lr", "rf", "gbt"] as const;
type Kind = (typeof KINDS)[number];

interface Args { users: number; seed: number; input?: string; models: Kind[]; keep: boolean }

function parseArgs(args: string[]): Args {
  const out: Args = { users: 3_000, seed: 42, models: [...KINDS], keep: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--users") out.users = Number(args[++i]);
    else if (a === "--seed") out.seed = Number(args[++i]);
    else if (a === "--input") out.input = args[++i];
    else if (a === "--models") out.models = args[++i].split(",").map((m) => m.trim()) as Kind[];
    else if (a === "--keep") out.keep = true;
    else throw new Error(`bench run: unknown argument ${a} (use --users N, --seed S, --input FILE|FOLDER, --models lr,rf,gbt, --keep)`);
  }
  if (!Number.isInteger(out.users) || out.users < 1) throw new Error("--users must be a positive whole number");
  for (const m of out.models) if (!KINDS.includes(m)) throw new Error(`--models: unknown model "${m}" (lr, rf, gbt)`);
  return out;
}

/** The JSON-lines files of `input`: itself, or the .json/.jsonl files of a folder of part files. */
function inputFiles(input: string): string[] {
  if (!fs.statSync(input).isDirectory()) return [input];
  return fs.readdirSync(input).filter((f) => /\.jsonl?$/.test(f)).sort().map((f) => path.join(input, f));
}

/** Seconds of a bare per-user DuckDB GROUP BY straight over the files (the reference's data step). */
async function bareGroupBy(files: string[]): Promise<number> {
  const t0 = process.hrtime.bigint();
  const instance = await DuckDBInstance.create(":memory:", { threads: String(os.cpus().length) });
  const con = await instance.connect();
  try {
    await con.runAndReadAll(`SELECT count(*) FROM (
      SELECT userId, count(*) AS n, count(DISTINCT sessionId) AS s, max(ts) AS last_ts
      FROM read_ndjson([${files.map((f) => `'${f.replace(/'/g, "''")}'`).join(", ")}], columns = {userId: 'VARCHAR', sessionId: 'BIGINT', ts: 'BIGINT'})
      WHERE userId <> '' GROUP BY userId)`);
  } finally {
    con.closeSync();
    instance.closeSync();
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

// The same model work in scikit-learn on our features.csv: every candidate of searchSpace on the
// same number of folds grouped by user, the best by average precision (our default criterion),
// then a final fit on all rows; gender and state left out as our run leaves them out.
const PY_SCRIPT = String.raw`
import json, sys, time
t_start = time.perf_counter()
import numpy as np, pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
cfg = json.load(open(sys.argv[2]))
df = pd.read_csv(sys.argv[1])
y = df["churn"].values.astype(int)
groups = df["userId"].astype(str).values
X = df.drop(columns=[c for c in ["userId", "cutoff", "churn", "gender", "state"] if c in df.columns])
X = pd.get_dummies(X, columns=[c for c in X.columns if X[c].dtype == object]).astype(float).values
folds = list(StratifiedGroupKFold(n_splits=cfg["folds"], shuffle=True, random_state=cfg["seed"]).split(X, y, groups))
t_prep = time.perf_counter() - t_start
def weights(yt):
    n, p = len(yt), yt.sum()
    return np.where(yt == 1, n / (2 * p), n / (2 * (n - p)))
def make(kind, c):
    if kind == "lr":
        return make_pipeline(SimpleImputer(strategy="mean"), StandardScaler(), LogisticRegression(C=1.0 / c.get("l2", 1), class_weight="balanced", max_iter=2000))
    if kind == "rf":
        return make_pipeline(SimpleImputer(strategy="mean"), RandomForestClassifier(n_estimators=c.get("nEstimators", 100), min_samples_leaf=c.get("minSamplesLeaf", 1), max_features="sqrt", n_jobs=2, random_state=cfg["seed"]))
    return HistGradientBoostingClassifier(max_iter=c.get("nEstimators", 100), learning_rate=c.get("learningRate", 0.1), max_leaf_nodes=c.get("maxLeaves", 31), min_samples_leaf=c.get("minSamplesLeaf", 20), l2_regularization=c.get("l2", 0.0), early_stopping="auto", random_state=cfg["seed"])
def fit(kind, m, Xt, yt):
    w = weights(yt)
    if kind == "lr": m.fit(Xt, yt)
    elif kind == "rf": m.fit(Xt, yt, randomforestclassifier__sample_weight=w)
    else: m.fit(Xt, yt, sample_weight=w)
    return m
out = {"prep": t_prep, "models": {}}
for kind, grid in cfg["grids"].items():
    t0 = time.perf_counter()
    best = None
    for c in grid:
        oof = np.zeros(len(y))
        for tr, te in folds:
            oof[te] = fit(kind, make(kind, c), X[tr], y[tr]).predict_proba(X[te])[:, 1]
        ap = average_precision_score(y, oof)
        if best is None or ap > best[0]: best = (ap, c)
    t1 = time.perf_counter()
    fit(kind, make(kind, best[1]), X, y)
    t2 = time.perf_counter()
    out["models"][kind] = {"search": t1 - t0, "final": t2 - t1, "pr_auc": best[0]}
print(json.dumps(out))
`;

interface PyResult { prep: number; models: Record<string, { search: number; final: number; pr_auc: number }> }

/** Prints the benchmark's figures. */
export async function run(args: string[]): Promise<void> {
  const opts = parseArgs(args);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-bench-run-"));
  try {
    let input = opts.input;
    if (!input) {
      input = path.join(dir, "events.jsonl");
      console.log(`simulating ${opts.users} listeners (preset medium, seed ${opts.seed}) into ${input} …`);
      await writeSimulation({ preset: "medium", users: opts.users, seed: opts.seed, out: input, workers: os.cpus().length, quiet: true });
    }
    const files = inputFiles(input);
    const gb = files.reduce((s, f) => s + fs.statSync(f).size, 0) / 1e9;
    console.log(`input ${input}: ${gb.toFixed(2)} GB; ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)} (other work on the machine slows both sides)`);

    const out = path.join(dir, "run");
    const t0 = process.hrtime.bigint();
    await runPipeline({ input, out, models: opts.models, seed: opts.seed, log: () => undefined });
    const ours = Number(process.hrtime.bigint() - t0) / 1e9;
    const timings: StageTiming[] = JSON.parse(fs.readFileSync(path.join(out, "metrics.json"), "utf8")).timings ?? [];
    const folds = JSON.parse(fs.readFileSync(path.join(out, "metrics.json"), "utf8")).dataset?.folds ?? 5;

    const bare = await bareGroupBy(files);
    const cfgFile = path.join(dir, "reference.json");
    fs.writeFileSync(cfgFile, JSON.stringify({ seed: opts.seed, folds, grids: Object.fromEntries(opts.models.map((k) => [k, searchSpace(k, true)])) }));
    const scriptFile = path.join(dir, "reference.py");
    fs.writeFileSync(scriptFile, PY_SCRIPT);
    const p0 = process.hrtime.bigint();
    // OpenMP threads that sleep when idle: spinning ones (the default) took 300 s instead of seconds
    // for HistGradientBoosting on a 2-core machine busy with other work.
    const env = { ...process.env, OMP_WAIT_POLICY: "PASSIVE" };
    const py = JSON.parse(execFileSync(PYTHON, [scriptFile, path.join(out, "features.csv"), cfgFile], { encoding: "utf8", maxBuffer: 1 << 26, env })) as PyResult;
    const pyWall = Number(process.hrtime.bigint() - p0) / 1e9;

    const sum = (pred: (s: string) => boolean): number => timings.filter((t) => pred(t.stage)).reduce((a, t) => a + t.seconds, 0);
    const peak = (pred: (s: string) => boolean): number => Math.max(0, ...timings.filter((t) => pred(t.stage)).map((t) => t.peak_rss_mb));
    const rows: Array<[string, number, number | null, string]> = [];
    const dataStages = (s: string): boolean => ["load", "events copy", "features"].includes(s); // features: the training table and the scoring snapshot
    rows.push(["data: load, copy, features | bare DuckDB GROUP BY", sum(dataStages), bare, `peak ${peak(dataStages)} MB`]);
    for (const kind of opts.models) {
      const ref = py.models[kind];
      const search = (s: string): boolean => s.startsWith(`${kind}: search`);
      rows.push([`${kind}: search (every candidate's CV) | sklearn`, sum(search), ref.search, `PR-AUC sklearn ${ref.pr_auc.toFixed(3)}`]);
      rows.push([`${kind}: final fit | sklearn`, sum((s) => s === `${kind}: final fit`), ref.final, ""]);
      rows.push([`${kind}: calibration + importance (no reference)`, sum((s) => s === `${kind}: calibration` || s.startsWith(`${kind}: CV metrics`)), null, ""]);
    }
    for (const s of ["EDA", "scoring", "report"]) rows.push([`${s} (no reference)`, sum((x) => x === s), null, `peak ${peak((x) => x === s)} MB`]);
    const refTotal = bare + pyWall;
    rows.push(["whole run | DuckDB GROUP BY + python (start, CSV, folds, models)", ours, refTotal, `python prep ${py.prep.toFixed(1)} s`]);

    console.log("");
    console.log(`${"stage | reference".padEnd(64)} ${"ours s".padStart(8)} ${"ref s".padStart(8)} ${"× ref".padStart(7)}  notes`);
    for (const [name, s, ref, note] of rows) {
      console.log(`${name.padEnd(64)} ${s.toFixed(2).padStart(8)} ${ref === null ? "".padStart(8) : ref.toFixed(2).padStart(8)} ${ref ? (s / ref).toFixed(2).padStart(7) : "".padStart(7)}  ${note}`);
    }
    console.log("");
    console.log(`peak RSS of the run: ${Math.max(0, ...timings.map((t) => t.peak_rss_mb))} MB (per stage in metrics.json timings)`);
  } finally {
    if (opts.keep) console.log(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}
