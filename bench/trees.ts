// `npm run bench -- trees --csv FEATURES.csv [--lib DIR] [--mode run|fold] [--models rf,gbt] [--repeats R] [--candidates 0,2] [--out FILE]`
//
// Times the tree models on a real feature table (a run's features.csv) the way `sparkify-churn run`
// trains them, and prints a fingerprint of everything they compute, so two versions of lib/ can be
// compared for speed and for bit-identical results (run it once per version, back to back, and diff
// the fingerprints).
//
// --mode run  (default): trainAndEvaluate with the given models, jobs = 2, seed 42, under a stage timer
//             (wall seconds and peak RSS per stage, as metrics.json's timings).
// --mode fold: fold 0 only, on this thread: each grid candidate's fit (the forest on one thread, as in a
//             CV worker), predictProba of the test fold and its permutation importance (2 repeats),
//             repeated R times; prints min / median / max seconds.
// --candidates 0,2: only these grid candidates (fold mode).
// --lib DIR   the lib/ folder to load (default ../lib): a copy of an older lib/ (built or not) benches the
//             old code, which is why lib/ is loaded by path and typed loosely here.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

interface Args { libDir: string; csv: string; mode: string; models: string[]; repeats: number; only: string; out: string }

function parseArgs(args: string[]): Args {
  const opt = (name: string, dflt: string): string => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 && at + 1 < args.length ? args[at + 1] : dflt;
  };
  const csv = opt("csv", "");
  if (!csv) throw new Error("bench trees: give --csv FEATURES.csv (a run's features.csv, e.g. out/features.csv)");
  return {
    libDir: path.resolve(opt("lib", path.join(__dirname, "..", "lib"))),
    csv,
    mode: opt("mode", "run"),
    models: opt("models", "rf").split(","),
    repeats: Number(opt("repeats", "3")),
    only: opt("candidates", ""),
    out: opt("out", ""),
  };
}

/* eslint-disable @typescript-eslint/no-require-imports */
let libDir = "";
const lib = (rel: string): Record<string, unknown> => require(path.join(libDir, rel)) as Record<string, unknown>;
type Fn = (...a: unknown[]) => unknown;

/** sha256 of the bytes of typed arrays / JSON text, first 16 hex digits. */
function digest(...parts: Array<ArrayBufferView | string>): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(typeof p === "string" ? p : new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
  return h.digest("hex").slice(0, 16);
}

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  return `min ${s[0].toFixed(2)} med ${s[Math.floor(s.length / 2)].toFixed(2)} max ${s[s.length - 1].toFixed(2)}`;
}

/** Runs the benchmark (see the header). */
export async function run(argv: string[]): Promise<void> {
  const { csv, mode, models, repeats, only, out, libDir: dir } = parseArgs(argv);
  libDir = dir;
  const { readFeaturesCsv } = lib("features") as { readFeaturesCsv: (p: string) => Promise<{ rows: Array<Record<string, unknown>>; dictionary: unknown }> };
  const table = await readFeaturesCsv(csv);
  const fingerprint: Record<string, string> = {};
  if (mode === "run") {
    const { trainAndEvaluate } = lib("evaluation") as { trainAndEvaluate: Fn };
    const { StageTimer, withStageTimer } = lib("progress/stageTimer") as {
      StageTimer: new (log: (l: string) => void) => { timings: Array<{ stage: string; seconds: number; peak_rss_mb: number }> };
      withStageTimer: (t: unknown, fn: () => Promise<unknown>) => Promise<unknown>;
    };
    const timer = new StageTimer((l) => console.error(l));
    const t0 = performance.now();
    const r = (await withStageTimer(timer, () => trainAndEvaluate(table, { models, seed: 42, jobs: 2, onProgress: (m: string) => console.error(m) }) as Promise<unknown>)) as {
      metrics: { models: Record<string, Record<string, unknown>> };
      fitted: Record<string, { model: { toJSON(): unknown } }>;
      oof: Record<string, Float64Array>;
      oofCalibrated: Record<string, Float64Array>;
    };
    console.error(`total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    for (const k of models) {
      const m = { ...r.metrics.models[k] };
      delete m.final_fit_seconds;
      delete (m.cv as Record<string, unknown>).fit_seconds_mean;
      fingerprint[`${k}.metrics`] = digest(JSON.stringify(m));
      fingerprint[`${k}.model`] = digest(JSON.stringify(r.fitted[k].model.toJSON()));
      fingerprint[`${k}.oof`] = digest(r.oof[k], r.oofCalibrated[k]);
    }
    for (const t of timer.timings) console.log(`${t.stage}\t${t.seconds.toFixed(1)} s\t${t.peak_rss_mb} MB`);
  } else {
    const { FeatureEncoder } = lib("models") as { FeatureEncoder: new (o: unknown) => { fitTransform(rows: unknown, dict: unknown): Promise<{ nRows: number; columns: string[] }>; sourceFeatures(): string[] } };
    const ev = lib("evaluation") as { labelsOf: Fn; stratifiedGroupKFold: Fn; searchSpace: Fn; permutationImportance: Fn; fitModel: Fn };
    const { takeRows } = lib("models/types") as { takeRows: Fn };
    const y = ev.labelsOf(table) as Float64Array;
    const users = table.rows.map((r) => String(r.userId));
    const enc = new FeatureEncoder({ maxCategories: 20, exclude: ["userId", "cutoff", "churn", "gender", "state"] });
    const X = await enc.fitTransform(table.rows, table.dictionary);
    const plan = ev.stratifiedGroupKFold(y, users, 5, 42) as { folds: Array<{ train: Int32Array; test: Int32Array }> };
    const fold = plan.folds[0];
    const Xtr = takeRows(X, fold.train);
    const ytr = Float64Array.from(fold.train, (i) => y[i]);
    const Xte = takeRows(X, fold.test);
    const yte = Float64Array.from(fold.test, (i) => y[i]);
    console.error(`X ${X.nRows} x ${X.columns.length}; fold 0: ${fold.train.length} train, ${fold.test.length} test`);
    for (const kind of models) {
      const grid = ev.searchSpace(kind, true) as Array<Record<string, unknown>>;
      for (const [c, params] of grid.entries()) {
        if (only && !only.split(",").includes(String(c))) continue;
        const fit: number[] = [];
        const pred: number[] = [];
        const perm: number[] = [];
        for (let rep = 0; rep < repeats; rep++) {
          let t = performance.now();
          const model = (await ev.fitModel(kind, { ...params, seed: 42 }, Xtr, ytr, "balanced", 1)) as { predictProba(X: unknown): Float64Array; toJSON(): { state: { trees: { feature: number[] } } } };
          fit.push((performance.now() - t) / 1000);
          t = performance.now();
          const p = model.predictProba(Xte);
          pred.push((performance.now() - t) / 1000);
          t = performance.now();
          const imp = ev.permutationImportance(model, Xte, yte, { featureOf: enc.sourceFeatures(), nRepeats: 2, seed: 42 }) as Array<{ drops: number[] }>;
          perm.push((performance.now() - t) / 1000);
          if (rep === 0) {
            const json = JSON.stringify(model.toJSON());
            fingerprint[`${kind}${c}`] = digest(json, p, Float64Array.from(imp.flatMap((s) => s.drops)));
            console.error(`${kind} candidate ${c} ${JSON.stringify(params)}: ${model.toJSON().state.trees.feature.length} nodes`);
          }
        }
        console.log(`${kind}${c}\tfit ${stats(fit)}\tpredict ${stats(pred)}\tpermutation ${stats(perm)}`);
      }
    }
  }
  const maxRss = process.resourceUsage().maxRSS / 1024;
  console.log(`maxRSS ${maxRss.toFixed(0)} MB`);
  console.log(JSON.stringify(fingerprint));
  if (out) fs.writeFileSync(out, JSON.stringify(fingerprint, null, 1));
}
