import { selectBest } from "../evaluation/selectBest";
import { modelName } from "./normalizeMetrics";
import type { MetricsInput, ModelMetricsInput, ProbabilityQualityInput, ReportInput } from "./types";

/** A selection criterion of metrics.json. */
export type Criterion = "pr_auc" | "auc" | "log_loss";

/** What the input was and what cleaning did to it. */
export interface DataFacts {
  lines: number;
  kept: number;
  dropped: number;
  /** The cleaning rule that dropped most lines, with its count (none when nothing was dropped). */
  topRule?: { rule: string; lines: number };
  quarantined: number;
  sources: number;
  bytes: number;
  /** Users and days in the events, from the EDA (absent without it). */
  users?: number;
  firstDay?: string;
  lastDay?: string;
}

/** The EDA's unit: one user over the whole period. */
export interface EdaFacts {
  users: number;
  churners: number;
  /** churners / users: users who ever cancelled. */
  churnRate: number;
  /** Attributes shown in the EDA but kept out of the model inputs. */
  excluded: string[];
  /** Churn rate per gender with its user count (largest first). */
  gender: Array<{ category: string; users: number; churners: number; rate: number }>;
}

/** The model's unit: user × cutoff rows, labelled by churn within the horizon. */
export interface TableFacts {
  mode: string;
  rows: number;
  users: number;
  positives: number;
  positiveRate: number;
  /** Cutoff times as given in metrics.json (ISO strings). */
  cutoffs: string[];
  horizon: number | null;
  folds: number | null;
}

/** One contender of the comparison, on the selection criterion. */
export interface Contender {
  key: string;
  name: string;
  /** Pooled out-of-fold value of the criterion. */
  value: number;
  /** Standard deviation of the criterion across folds (absent for baselines). */
  spread?: number;
}

/** Which model won, by how much, against what. */
export interface ModelFacts {
  criterion: Criterion;
  /** The criterion's rule in words, from metrics.json. */
  rule?: string;
  /** Models, best first by the criterion (lower first for log loss). */
  models: Contender[];
  baselines: Contender[];
  folds: number | null;
  positives: number | null;
  /** Share of positive rows (null when unknown). */
  positiveRate: number | null;
}

/** How much better than random contact the best model's ranking is. */
export interface GainsFacts {
  model: string;
  topDecileLift: number;
  captured10: number;
  captured20: number;
  /** The strongest non-constant baseline's top-decile lift, for comparison. */
  baseline?: { name: string; topDecileLift: number };
  /** Another model whose top-decile lift is higher than the chosen one's, if any (the highest). */
  higher?: { name: string; topDecileLift: number };
}

/** Probability quality of the best model before and after calibration. */
export interface CalibrationFacts {
  model: string;
  method: string;
  raw: Required<ProbabilityQualityInput>;
  calibrated: Required<ProbabilityQualityInput>;
}

/** The scored population and the contact budget. */
export interface RiskFacts {
  scored: number;
  atRisk: number | null;
  threshold: number | null;
  /** When the population was scored (the scoring cutoff), if known. */
  scoredAt?: unknown;
  /** The label horizon in days (forward mode only: full-history probabilities have no horizon). */
  horizon: number | null;
  /** Sum of every scored user's calibrated probability. */
  expectedChurners: number;
  model?: string;
  /** The contact budget row nearest 10 % of the scored users. */
  budget?: { contacts: number; share: number; expected: number; random: number };
}

/** Every number the report's sentences are made from; each part is absent when its input is. */
export interface ReportFacts {
  data?: DataFacts;
  eda?: EdaFacts;
  table?: TableFacts;
  models?: ModelFacts;
  gains?: GainsFacts;
  calibration?: CalibrationFacts;
  risk?: RiskFacts;
}

const isNum = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

/** The criterion's pooled value and its CV spread for one model. */
export function criterionValue(m: ModelMetricsInput, c: Criterion): { value?: number; spread?: number } {
  if (c === "auc") return { value: m.auc, spread: m.cv?.auc_std };
  if (c === "log_loss") return { value: m.log_loss, spread: m.cv?.log_loss_std };
  return { value: m.pr_auc, spread: m.cv?.pr_auc_std };
}

function criterionOf(metrics: MetricsInput): Criterion {
  const c = metrics.selection?.criterion;
  return c === "auc" || c === "log_loss" || c === "pr_auc" ? c : metrics.selection ? "pr_auc" : "auc";
}

function quality(q: ProbabilityQualityInput | undefined): Required<ProbabilityQualityInput> | null {
  if (!q || !isNum(q.brier) || !isNum(q.log_loss) || !isNum(q.ece) || !isNum(q.mean_predicted) || !isNum(q.observed_rate)) return null;
  return { brier: q.brier, log_loss: q.log_loss, ece: q.ece, mean_predicted: q.mean_predicted, observed_rate: q.observed_rate };
}

function dataFacts(input: ReportInput): DataFacts | undefined {
  const r = input.dataReport;
  if (!r || !isNum(r.lines) || !isNum(r.kept)) return undefined;
  const rules = Object.entries(r.dropped ?? {}).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  const days = (input.eda?.eventsPerDay ?? []).map((d) => d.day).sort();
  const gender = input.eda?.churnBy?.gender;
  return {
    lines: r.lines,
    kept: r.kept,
    dropped: rules.reduce((s, [, n]) => s + n, 0),
    topRule: rules.length ? { rule: rules[0][0], lines: rules[0][1] } : undefined,
    quarantined: r.quarantined ?? 0,
    sources: r.sources?.length ?? 0,
    bytes: (r.sources ?? []).reduce((s, x) => s + x.bytes, 0),
    users: gender ? gender.reduce((s, g) => s + g.users, 0) : undefined,
    firstDay: days[0],
    lastDay: days[days.length - 1],
  };
}

function edaFacts(input: ReportInput): EdaFacts | undefined {
  const gender = input.eda?.churnBy?.gender;
  if (!gender?.length) return undefined;
  const users = gender.reduce((s, g) => s + g.users, 0);
  const churners = gender.reduce((s, g) => s + g.churners, 0);
  return {
    users,
    churners,
    churnRate: users > 0 ? churners / users : 0,
    excluded: input.metrics?.excluded_attributes ?? [],
    gender: [...gender].sort((a, b) => b.users - a.users).map((g) => ({ category: g.category, users: g.users, churners: g.churners, rate: g.users > 0 ? g.churners / g.users : 0 })),
  };
}

function tableFacts(m: MetricsInput): TableFacts | undefined {
  const d = m.dataset;
  if (!d || !isNum(d.rows) || !isNum(d.positive_rate)) return undefined;
  const positives = isNum(d.positives) ? d.positives : Math.round(d.rows * d.positive_rate);
  const cutoffs = Array.isArray(m.cutoff) ? m.cutoff.map(String) : m.cutoff !== null && m.cutoff !== undefined ? [String(m.cutoff)] : [];
  return {
    mode: m.mode ?? "forward",
    rows: d.rows,
    users: isNum(d.users) ? d.users : d.rows,
    positives,
    positiveRate: d.positive_rate,
    cutoffs,
    horizon: isNum(m.horizon) ? m.horizon : null,
    folds: isNum(d.folds) ? d.folds : null,
  };
}

function modelFacts(m: MetricsInput): ModelFacts | undefined {
  const criterion = criterionOf(m);
  const sign = criterion === "log_loss" ? 1 : -1;
  const models: Contender[] = [];
  for (const [key, x] of Object.entries(m.models)) {
    const { value, spread } = criterionValue(x, criterion);
    if (isNum(value)) models.push({ key, name: modelName(key), value, spread: isNum(spread) ? spread : undefined });
  }
  if (models.length === 0) return undefined;
  models.sort((a, b) => sign * (a.value - b.value));
  const best = m.selection?.best;
  // The run's own choice comes first even if the numbers were rounded differently.
  if (best) {
    const i = models.findIndex((c) => c.key === best);
    if (i > 0) models.unshift(...models.splice(i, 1));
  }
  const baselines: Contender[] = [];
  if (criterion !== "log_loss") {
    for (const b of m.baselines ?? []) {
      const v = criterion === "auc" ? b.auc : b.pr_auc;
      if (isNum(v)) baselines.push({ key: b.name, name: b.name, value: v });
    }
  }
  const firstModel = Object.values(m.models)[0];
  // read into locals: a type guard on `a?.b` does not narrow `a` for every compiler configuration
  const [dsFolds, cvFolds, positives, positiveRate] = [m.dataset?.folds, firstModel?.cv?.folds, m.dataset?.positives, m.dataset?.positive_rate];
  return {
    criterion,
    rule: m.selection?.rule,
    models,
    baselines,
    folds: isNum(dsFolds) ? dsFolds : isNum(cvFolds) ? cvFolds : null,
    positives: isNum(positives) ? positives : null,
    positiveRate: isNum(positiveRate) ? positiveRate : null,
  };
}

function gainsFacts(m: MetricsInput, best: string | null): GainsFacts | undefined {
  const g = best ? m.models[best]?.gains : undefined;
  if (!best || !g || !isNum(g.top_decile_lift) || !isNum(g.captured_top10) || !isNum(g.captured_top20)) return undefined;
  // A constant score (ROC-AUC exactly 0.5, lift 1 by definition) ranks nobody: compare with a real rule.
  const rivals = (m.baselines ?? []).filter((b) => isNum(b.top_decile_lift) && b.auc !== 0.5).sort((a, b) => (b.top_decile_lift as number) - (a.top_decile_lift as number));
  const others = Object.entries(m.models)
    .filter(([k, x]) => k !== best && isNum(x.gains?.top_decile_lift) && (x.gains?.top_decile_lift as number) > (g.top_decile_lift as number))
    .sort((a, b) => (b[1].gains?.top_decile_lift as number) - (a[1].gains?.top_decile_lift as number));
  return {
    model: modelName(best),
    higher: others.length ? { name: modelName(others[0][0]), topDecileLift: others[0][1].gains?.top_decile_lift as number } : undefined,
    topDecileLift: g.top_decile_lift,
    captured10: g.captured_top10,
    captured20: g.captured_top20,
    baseline: rivals.length ? { name: rivals[0].name, topDecileLift: rivals[0].top_decile_lift as number } : undefined,
  };
}

function calibrationFacts(m: MetricsInput, best: string | null): CalibrationFacts | undefined {
  const s = best ? m.models[best]?.calibration_summary : undefined;
  const raw = quality(s?.raw);
  const calibrated = quality(s?.calibrated);
  if (!best || !s || !raw || !calibrated) return undefined;
  return { model: modelName(best), method: s.method ?? "calibration", raw, calibrated };
}

function riskFacts(input: ReportInput, best: string | null): RiskFacts | undefined {
  const risk = input.risk;
  if (!risk?.length) return undefined;
  const m = input.metrics;
  const threshold = best && m ? m.models[best]?.threshold : undefined;
  const horizon = m?.horizon;
  const flagged = risk.filter((r) => r.atRisk !== undefined);
  const expected = risk.reduce((s, r) => s + (isNum(r.probability) ? r.probability : 0), 0);
  const mean = expected / risk.length;
  const rows = (m?.budget ?? []).filter((b) => isNum(b.contacts) && isNum(b.share) && isNum(b.expected_churners));
  const near = rows.length ? rows.reduce((a, b) => (Math.abs(b.share - 0.1) < Math.abs(a.share - 0.1) ? b : a)) : undefined;
  return {
    scored: risk.length,
    atRisk: flagged.length ? flagged.filter((r) => r.atRisk).length : null,
    threshold: isNum(threshold) ? threshold : null,
    scoredAt: risk.find((r) => r.cutoff !== undefined && r.cutoff !== null && r.cutoff !== "")?.cutoff,
    horizon: isNum(horizon) && m?.mode !== "full-history" ? horizon : null,
    expectedChurners: expected,
    model: best ? modelName(best) : undefined,
    budget: near ? { contacts: near.contacts, share: near.share, expected: near.expected_churners, random: near.contacts * mean } : undefined,
  };
}

/** The model the report features: the run's choice, else metrics.json's selection, else the highest AUC. */
export function reportBestModel(input: ReportInput): string | null {
  const models = input.metrics?.models ?? {};
  if (Object.keys(models).length === 0) return null;
  return selectBest(models, "auc", input.bestModel ?? input.metrics?.selection?.best);
}

/** Gathers every number the report's sentences need from the report input (pure). */
export function reportFacts(input: ReportInput): ReportFacts {
  const m = input.metrics;
  const best = reportBestModel(input);
  return {
    data: dataFacts(input),
    eda: edaFacts(input),
    table: m ? tableFacts(m) : undefined,
    models: m ? modelFacts(m) : undefined,
    gains: m ? gainsFacts(m, best) : undefined,
    calibration: m ? calibrationFacts(m, best) : undefined,
    risk: riskFacts(input, best),
  };
}
