// `npm run bench -- oracle [--size mini|medium|full] [--seed S] [--paths N] [--sample-users N] [--cutoffs all|last]
//                          [--folds K] [--data DIR] [--full-input SRC] [--models lr,rf,gbt] [--oracle-cache FILE] [--grid]`
// (default: the medium preset, seed 42, every weekly cutoff, 200 paths per row, the three models)
//
// --oracle-cache FILE keeps the oracle's rows (JSON lines): a later run on the same rows (say, with a
// feature table that has new columns) reads them instead of re-simulating the futures (12 min on the
// full-size sample); rows missing from the file are an error, not recomputed quietly. --grid scores every
// candidate of each model's search grid (lib/evaluation/searchSpace.ts), not only the default.
//
// How far the models are from the best possible score. The forward feature table of a simulated set
// (weekly cutoffs, 14-day horizon, the same cache as `bench models`), the three models' out-of-fold
// probabilities on it (5 folds grouped by user, no class weights, so their probabilities and log loss
// are comparable), and the oracle (lib/oracle): each row's true probability of cancelling in [T, T+14 d),
// from N re-simulated futures of the user from their exact state at T with their hidden parameters.
// Every figure is on the same rows (the oracle's sample when --sample-users is given).
//
// Then what the oracle knows that the features miss: how each hidden parameter (ground truth of
// lib/simulate/groundTruth.ts) and each state at T correlates with the oracle's probability, with the best
// single feature, and with what is left of the oracle after a ridge regression on all the features.
// The events must be the simulation of that size and seed (the oracle re-runs it from the plan).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { averagePrecision, crossValidate, logLoss, rocAuc, searchSpace, stratifiedGroupKFold } from "../lib/evaluation";
import { FeatureEncoder, initBackend, type Matrix } from "../lib/models";
import { oracleScores, type OracleRow } from "../lib/oracle";
import { groundTruth, resolvePlan, type PresetName } from "../lib/simulate";
import { DEFAULT_SEED } from "../lib/config";
import { PAGES } from "../lib/events/schema";
import { DAY_MS } from "../lib/events/time";
import { tableFor, type Size } from "./models";

/** Lift of the top `share` of rows by score: their positive rate over the overall rate (ties shared evenly). */
export function topLift(y: ArrayLike<number>, p: ArrayLike<number>, share = 0.1): number {
  const n = y.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[b] - p[a]);
  const want = share * n;
  let taken = 0;
  let pos = 0;
  for (let i = 0; i < n && taken < want; ) {
    let j = i;
    let groupPos = 0;
    while (j < n && p[idx[j]] === p[idx[i]]) groupPos += y[idx[j++]];
    const size = j - i;
    const frac = Math.min(1, (want - taken) / size);
    taken += frac * size;
    pos += frac * groupPos;
    i = j;
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += y[i];
  return pos / taken / (total / n);
}

/** Ranks (ties averaged), for Spearman correlations. */
function ranks(v: ArrayLike<number>): Float64Array {
  const idx = Array.from({ length: v.length }, (_, i) => i).sort((a, b) => v[a] - v[b]);
  const r = new Float64Array(v.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j < idx.length && v[idx[j]] === v[idx[i]]) j++;
    for (let k = i; k < j; k++) r[idx[k]] = (i + j - 1) / 2;
    i = j;
  }
  return r;
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

const spearman = (a: ArrayLike<number>, b: ArrayLike<number>): number => pearson(ranks(a), ranks(b));

/** Ridge regression of t on the columns (mean-imputed, standardised); returns the residuals and R². */
function ridgeResidual(X: Matrix, t: Float64Array, lambda = 1): { residual: Float64Array; r2: number } {
  const n = X.nRows;
  const m = X.nCols;
  const Z = new Float64Array(n * (m + 1));
  for (let j = 0; j < m; j++) {
    let s = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const v = X.data[i * m + j];
      if (!Number.isNaN(v)) { s += v; c++; }
    }
    const mean = c ? s / c : 0;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const v = X.data[i * m + j];
      ss += ((Number.isNaN(v) ? mean : v) - mean) ** 2;
    }
    const sd = Math.sqrt(ss / n) || 1;
    for (let i = 0; i < n; i++) {
      const v = X.data[i * m + j];
      Z[i * (m + 1) + j] = ((Number.isNaN(v) ? mean : v) - mean) / sd;
    }
  }
  for (let i = 0; i < n; i++) Z[i * (m + 1) + m] = 1;
  const k = m + 1;
  const A = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const row = Z.subarray(i * k, (i + 1) * k);
    for (let a = 0; a < k; a++) {
      b[a] += row[a] * t[i];
      for (let c = a; c < k; c++) A[a * k + c] += row[a] * row[c];
    }
  }
  for (let a = 0; a < k; a++) {
    for (let c = 0; c < a; c++) A[a * k + c] = A[c * k + a];
    if (a < m) A[a * k + a] += lambda;
  }
  // Gaussian elimination with partial pivoting (k is under a hundred).
  const beta = Float64Array.from(b);
  const M = Float64Array.from(A);
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(M[r * k + c]) > Math.abs(M[piv * k + c])) piv = r;
    for (let j = 0; j < k; j++) [M[c * k + j], M[piv * k + j]] = [M[piv * k + j], M[c * k + j]];
    [beta[c], beta[piv]] = [beta[piv], beta[c]];
    for (let r = c + 1; r < k; r++) {
      const f = M[r * k + c] / M[c * k + c];
      if (!f) continue;
      for (let j = c; j < k; j++) M[r * k + j] -= f * M[c * k + j];
      beta[r] -= f * beta[c];
    }
  }
  for (let c = k - 1; c >= 0; c--) {
    let s = beta[c];
    for (let j = c + 1; j < k; j++) s -= M[c * k + j] * beta[j];
    beta[c] = s / M[c * k + c];
  }
  const residual = new Float64Array(n);
  let mt = 0;
  for (let i = 0; i < n; i++) mt += t[i] / n;
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let j = 0; j < k; j++) f += Z[i * k + j] * beta[j];
    residual[i] = t[i] - f;
    sse += residual[i] ** 2;
    sst += (t[i] - mt) ** 2;
  }
  return { residual, r2: 1 - sse / sst };
}

function fmt(x: number, d = 3): string {
  return Number.isFinite(x) ? x.toFixed(d) : "n/a";
}

/** Entry point of `npm run bench -- oracle`. */
export async function run(args: string[]): Promise<void> {
  const value = (name: string): string | undefined => {
    const k = args.indexOf(name);
    return k >= 0 ? args[k + 1] : undefined;
  };
  const size = (value("--size") ?? "medium") as Size;
  if (!["mini", "medium", "full"].includes(size)) throw new Error(`bench oracle: --size must be mini, medium or full, got "${size}"`);
  const seed = Number(value("--seed") ?? 42);
  const paths = Number(value("--paths") ?? 200);
  const folds = Number(value("--folds") ?? 5);
  const sampleUsers = value("--sample-users") ? Number(value("--sample-users")) : undefined;
  const cutoffChoice = value("--cutoffs") ?? "all";
  const dir = value("--data") ?? path.join(os.tmpdir(), "sparkify-bench-models");
  const kinds = (value("--models") ?? "lr,rf,gbt").split(",");
  for (const k of kinds) if (!["lr", "rf", "gbt"].includes(k)) throw new Error(`bench oracle: unknown model "${k}" in --models (use lr, rf, gbt)`);
  const cacheFile = value("--oracle-cache");
  const wholeGrid = args.includes("--grid");
  process.env.SPARKIFY_QUIET = "1";
  await initBackend();
  // The embedded default is the mini preset with the default seed; the others are simulated with --seed.
  const sim = { preset: size as PresetName, seed: size === "mini" ? DEFAULT_SEED : seed };
  const plan = resolvePlan(sim);
  const table = await tableFor(size, "forward", seed, dir, value("--full-input"));
  const cutoffs = table.cutoffs as number[];
  const cutoffOf = (r: Record<string, unknown>): number => (r.cutoff instanceof Date ? r.cutoff.getTime() : Number(r.cutoff));
  const encoder = await new FeatureEncoder().fit(table.rows, table.dictionary);
  const X = encoder.transform(table.rows);
  const y = Float64Array.from(table.rows, (r) => Number(r.churn));
  const users = table.rows.map((r) => String(r.userId));
  const plan5 = stratifiedGroupKFold(y, users, folds, seed);
  console.log(`# oracle benchmark: ${size} preset, seed ${sim.seed}, forward mode, ${cutoffs.length} weekly cutoffs, 14-day horizon: ${X.nRows} rows, ${new Set(users).size} users, ${y.reduce((a, v) => a + v, 0)} positive`);

  // The models: out-of-fold probabilities on the whole table, the default candidate (--grid: every
  // candidate, named by its parameters), no class weights.
  const oof: Record<string, Float64Array> = {};
  for (const kind of kinds) {
    for (const params of wholeGrid ? searchSpace(kind, true) : searchSpace(kind, false)) {
      const name = wholeGrid ? `${kind} ${JSON.stringify(params)}` : kind;
      const t0 = Date.now();
      const cv = await crossValidate(kind, kind === "lr" ? params : { ...params, seed }, X, y, plan5, "none");
      oof[name] = cv.oof;
      console.log(`  ${name}: ${plan5.k}-fold out-of-fold probabilities in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
  }

  // The rows the oracle scores: every row, or the rows of a seeded sample of users; all or the last cutoff.
  const lastCutoff = Math.max(...cutoffs);
  let chosen = table.rows.map((_, i) => i).filter((i) => cutoffChoice === "all" || cutoffOf(table.rows[i]) === lastCutoff);
  if (sampleUsers !== undefined) {
    const all = [...new Set(chosen.map((i) => users[i]))].sort();
    // A seeded Fisher–Yates prefix: the same sample for the same seed.
    let s = seed + 1;
    const rand = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [all[i], all[j]] = [all[j], all[i]];
    }
    const keep = new Set(all.slice(0, sampleUsers));
    chosen = chosen.filter((i) => keep.has(users[i]));
  }
  const t0 = Date.now();
  let lastReport = 0;
  const cached = cacheFile && fs.existsSync(cacheFile)
    ? fs.readFileSync(cacheFile, "utf8").split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as OracleRow)
    : undefined;
  const oracle = cached ?? oracleScores(plan, {
    cutoffs,
    horizonDays: 14,
    paths,
    seed,
    rows: chosen.map((i) => ({ userId: users[i], cutoff: cutoffOf(table.rows[i]) })),
    onProgress: (done, total) => {
      if (Date.now() - lastReport > 30_000) {
        lastReport = Date.now();
        console.log(`  oracle: ${done} / ${total} users, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      }
    },
  });
  const oracleSeconds = (Date.now() - t0) / 1000;
  const byKey = new Map<string, OracleRow>(oracle.map((r) => [`${r.userId}@${r.cutoff}`, r]));
  const rowsO = chosen.map((i) => {
    const r = byKey.get(`${users[i]}@${cutoffOf(table.rows[i])}`);
    if (!r) throw new Error(`bench oracle: no oracle row for user ${users[i]} at ${new Date(cutoffOf(table.rows[i])).toISOString()}${cached ? ` in ${cacheFile}` : ""}`);
    return r;
  });
  if (cacheFile && !cached) fs.writeFileSync(cacheFile, oracle.map((r) => JSON.stringify(r)).join("\n") + "\n");
  const mismatched = chosen.filter((i, k) => rowsO[k].label !== y[i]).length;
  const yy = Float64Array.from(chosen, (i) => y[i]);
  const po = Float64Array.from(rowsO, (r) => r.probability);
  console.log(`  oracle: ${chosen.length} rows × ${paths} futures in ${oracleSeconds.toFixed(0)} s${cached ? ` (read from ${cacheFile})` : ""}; its labels differ from the table's on ${mismatched} rows`);
  const posRate = yy.reduce((a, v) => a + v, 0) / yy.length;

  // Scores side by side on the same rows.
  const oracleAuc = rocAuc(yy, po);
  const oracleLift = topLift(yy, po);
  const oracleLoss = logLoss(yy, po.map((p) => Math.min(1 - 0.5 / paths, Math.max(0.5 / paths, p))));
  console.log(`\n## ${chosen.length} rows (${(100 * posRate).toFixed(2)}% positive${sampleUsers ? `, a sample of ${sampleUsers} users` : ""}${cutoffChoice === "last" ? ", the last cutoff" : ""})`);
  console.log("| scorer | ROC-AUC | PR-AUC | log loss | top-decile lift | share of the oracle's AUC over 0.5 | share of its lift over 1 |");
  console.log("|---|---|---|---|---|---|---|");
  console.log(`| chance (the base rate) | 0.500 | ${fmt(posRate)} | ${fmt(logLoss(yy, new Float64Array(yy.length).fill(posRate)))} | 1.00 | 0 | 0 |`);
  console.log(`| oracle (${paths} futures; probabilities kept within [0.5/N, 1 − 0.5/N] for the log loss) | ${fmt(oracleAuc)} | ${fmt(averagePrecision(yy, po))} | ${fmt(oracleLoss)} | ${fmt(oracleLift, 2)} | 1 | 1 |`);
  for (const [kind, p] of Object.entries(oof)) {
    const pm = Float64Array.from(chosen, (i) => p[i]);
    const auc = rocAuc(yy, pm);
    const lift = topLift(yy, pm);
    console.log(`| ${kind} (5-fold out-of-fold) | ${fmt(auc)} | ${fmt(averagePrecision(yy, pm))} | ${fmt(logLoss(yy, pm))} | ${fmt(lift, 2)} | ${fmt((auc - 0.5) / (oracleAuc - 0.5), 2)} | ${fmt((lift - 1) / (oracleLift - 1), 2)} |`);
  }

  // What the oracle knows: hidden parameters and the state at T, against the oracle and the features.
  const truth = groundTruth(plan);
  const tOf = (userId: string) => truth[Number(userId) - 1];
  const logit = Float64Array.from(po, (p) => Math.log((p + 0.5 / paths) / (1 - p + 0.5 / paths)));
  const configRisk = new Map<string, number[]>();
  rowsO.forEach((r) => {
    const c = tOf(r.userId).configuration;
    if (!configRisk.has(c)) configRisk.set(c, []);
    configRisk.get(c)!.push(r.probability);
  });
  const configMean = new Map([...configRisk].map(([c, v]) => [c, v.reduce((a, b) => a + b, 0) / v.length]));
  const hidden: Record<string, Float64Array> = {
    "log alpha (think time)": Float64Array.from(rowsO, (r) => Math.log(tOf(r.userId).alpha)),
    "log beta (time between sessions)": Float64Array.from(rowsO, (r) => Math.log(tOf(r.userId).beta)),
    "configuration (its mean oracle probability)": Float64Array.from(rowsO, (r) => configMean.get(tOf(r.userId).configuration) as number),
    "registration age at T, days": Float64Array.from(rowsO, (r) => (r.cutoff - tOf(r.userId).registration) / DAY_MS),
    "paid at T": Float64Array.from(rowsO, (r) => (r.level === "paid" ? 1 : 0)),
    "log seconds since the last event at T": Float64Array.from(rowsO, (r) => Math.log(1 + r.secondsSinceLastEvent)),
    "last page before T is Downgrade/Cancel-adjacent": Float64Array.from(rowsO, (r) => (["Downgrade", "Submit Downgrade", "Cancel", "Settings", "Help"].includes(PAGES[r.lastPage]) ? 1 : 0)),
  };
  const Xs: Matrix = { nRows: chosen.length, nCols: X.nCols, columns: X.columns, data: new Float64Array(chosen.length * X.nCols) };
  chosen.forEach((i, k) => Xs.data.set(X.data.subarray(i * X.nCols, (i + 1) * X.nCols), k * X.nCols));
  const col = (j: number): Float64Array => Float64Array.from({ length: Xs.nRows }, (_, i) => {
    const v = Xs.data[i * Xs.nCols + j];
    return Number.isNaN(v) ? -1e300 : v; // missing ranks lowest
  });
  const featureCols = Array.from({ length: Xs.nCols }, (_, j) => col(j));
  const { residual, r2 } = ridgeResidual(Xs, logit);
  const bestFeature = (v: Float64Array): { name: string; rho: number } => {
    let best = { name: "", rho: 0 };
    featureCols.forEach((c, j) => {
      const rho = spearman(v, c);
      if (Math.abs(rho) > Math.abs(best.rho)) best = { name: Xs.columns[j], rho };
    });
    return best;
  };
  const fo = bestFeature(po);
  console.log(`\n## what the oracle knows (Spearman ρ on the same rows; the oracle as logit of its probability)`);
  console.log(`ridge regression of the oracle's logit on all ${Xs.nCols} feature columns: R² = ${fmt(r2)}; the single feature closest to the oracle: ${fo.name} (ρ ${fmt(fo.rho)})`);
  console.log("| hidden parameter or state at T | ρ with the oracle | ρ with the oracle's part the features miss (ridge residual) | best single feature | its ρ with the parameter |");
  console.log("|---|---|---|---|---|");
  for (const [name, v] of Object.entries(hidden)) {
    const b = bestFeature(v);
    console.log(`| ${name} | ${fmt(spearman(v, po))} | ${fmt(spearman(v, residual))} | ${b.name} | ${fmt(b.rho)} |`);
  }
}
