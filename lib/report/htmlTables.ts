import { FEATURE_WORDS } from "../features/dictionary";
import { escapeHtml } from "./escapeHtml";
import type { DataReport } from "../ingest";
import { formatCount, formatCutoffs, formatDate, formatExpected, formatMb, formatPct, formatPoints, formatProbability, formatScore, formatSpread, formatTimes } from "./format";
import { modelName } from "./normalizeMetrics";
import type { Criterion } from "./reportFacts";
import type { BudgetRowInput, MetricsInput, RiskRowInput } from "./types";

/** Options of {@link htmlTable}. */
export interface HtmlTableOptions {
  id?: string;
  /** Row index drawn as the best (bold, highlighted). */
  highlightRow?: number;
  /** Numeric columns (right-aligned); default all but the first. */
  numericCols?: number[];
  /** A CSS class per row index (e.g. "baseline"). */
  rowClasses?: Record<number, string>;
  /** Column index drawn as the one that decides (the selection criterion). */
  keyCol?: number;
}

/** A simple HTML table; cells are escaped; numeric columns (default: all but the first) align right. */
export function htmlTable(headers: string[], rows: string[][], opts: HtmlTableOptions = {}): string {
  const isNum = (j: number) => (opts.numericCols ? opts.numericCols.includes(j) : j >= 1);
  const cls = (j: number) => {
    const c = [isNum(j) ? "num" : "", j === opts.keyCol ? "key" : ""].filter(Boolean).join(" ");
    return c ? ` class="${c}"` : "";
  };
  const head = headers.map((h, j) => `<th${cls(j)}>${escapeHtml(h)}</th>`).join("");
  const body = rows
    .map((r, i) => {
      const rc = [i === opts.highlightRow ? "best" : "", opts.rowClasses?.[i] ?? ""].filter(Boolean).join(" ");
      return `<tr${rc ? ` class="${rc}"` : ""}>${r.map((c, j) => `<td${cls(j)}>${escapeHtml(c)}</td>`).join("")}</tr>`;
    })
    .join("\n");
  return `<table${opts.id ? ` id="${opts.id}"` : ""}><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** The data report: lines read, kept, dropped per rule, flagged, quarantined, and the sources. */
export function dataReportHtml(r: Partial<DataReport>): string {
  const rows: string[][] = [["lines read", formatCount(r.lines)], ["kept", formatCount(r.kept)]];
  for (const [rule, n] of Object.entries(r.dropped ?? {})) rows.push([`dropped: ${rule}`, formatCount(n)]);
  rows.push(["quarantined", formatCount(r.quarantined)]);
  for (const [flag, n] of Object.entries(r.flagged ?? {})) rows.push([`flagged (kept): ${flag}`, formatCount(n)]);
  let html = htmlTable(["", "lines"], rows, { id: "data-report" });
  const dropped = Object.values(r.dropped ?? {}).reduce((s, n) => s + n, 0);
  if (typeof r.lines === "number" && typeof r.kept === "number" && typeof r.quarantined === "number") {
    const ok = r.lines === r.kept + dropped + r.quarantined;
    html += `<p class="${ok ? "ok" : "warn"}">${ok ? "Every line is accounted for" : "Lines do not add up"}: ${formatCount(r.lines)} = ${formatCount(r.kept)} kept + ${formatCount(dropped)} dropped + ${formatCount(r.quarantined)} quarantined.</p>`;
  }
  if (r.quarantineFile) html += `<p>Quarantined lines: <code>${escapeHtml(r.quarantineFile)}</code></p>`;
  if (r.sources?.length) {
    html += htmlTable(["source", "lines", "size"], r.sources.map((s) => [s.source, formatCount(s.lines), formatMb(s.bytes)]), { id: "data-sources" });
  }
  return html;
}

/** The run's set-up in one line: mode, cutoffs as dates, horizon, label, folds. */
export function setupLine(m: MetricsInput): string {
  const keys = Object.keys(m.models);
  const folds = m.dataset?.folds ?? keys.map((k) => m.models[k].cv?.folds).find((f) => typeof f === "number");
  const parts = [
    m.mode ? `mode <b>${escapeHtml(m.mode)}</b>` : "",
    m.cutoff !== undefined && m.cutoff !== null && formatCutoffs(m.cutoff) !== "–" ? `cutoff ${escapeHtml(formatCutoffs(m.cutoff))}` : "",
    typeof m.horizon === "number" && m.mode !== "full-history" ? `horizon ${m.horizon} days` : "",
    m.label ? `label ${escapeHtml(m.label)}` : "",
    typeof folds === "number" ? `${folds}-fold cross-validation grouped by user` : "",
    typeof m.dataset?.rows === "number" ? `${formatCount(m.dataset.rows)} rows` : "",
    typeof m.dataset?.users === "number" ? `${formatCount(m.dataset.users)} users` : "",
    typeof m.dataset?.positive_rate === "number" ? `${formatPct(m.dataset.positive_rate)} positive` : "",
  ].filter(Boolean);
  const note = typeof m.dataset?.folds_note === "string" ? ` <span class="note">${escapeHtml(m.dataset.folds_note)}</span>` : "";
  return parts.length ? `<p class="setup">${parts.join(" · ")}${note}</p>` : "";
}

const CRITERION_COL: Record<Criterion, number> = { pr_auc: 1, auc: 2, log_loss: 8 };

/**
 * The model comparison: ranking quality (PR-AUC, ROC-AUC, their CV spread, top-decile lift,
 * churners in the top 10 % and 20 %, calibrated log loss) of every model, with the baselines
 * below; the best model highlighted and the selection criterion's column marked.
 */
export function modelTableHtml(m: MetricsInput, best: string | null, criterion: Criterion = "auc"): string {
  const keys = Object.keys(m.models);
  const rows = keys.map((k) => {
    const x = m.models[k];
    return [
      `${modelName(k)}${k === best ? " ★" : ""}`,
      formatScore(x.pr_auc),
      formatScore(x.auc),
      formatSpread(x.cv?.pr_auc_mean, x.cv?.pr_auc_std),
      formatSpread(x.cv?.auc_mean, x.cv?.auc_std),
      formatTimes(x.gains?.top_decile_lift),
      formatPct(x.gains?.captured_top10, 0),
      formatPct(x.gains?.captured_top20, 0),
      formatScore(x.log_loss),
    ];
  });
  const rowClasses: Record<number, string> = {};
  for (const b of m.baselines ?? []) {
    rowClasses[rows.length] = "baseline";
    rows.push([`baseline: ${b.name}`, formatScore(b.pr_auc), formatScore(b.auc), "–", "–", formatTimes(b.top_decile_lift), "–", "–", "–"]);
  }
  const headers = ["model", "PR-AUC", "ROC-AUC", "CV PR-AUC (mean ± sd)", "CV ROC-AUC (mean ± sd)", "top-decile lift", "churners in top 10%", "in top 20%", "log loss"];
  const table = htmlTable(headers, rows, { id: "model-table", highlightRow: best ? keys.indexOf(best) : undefined, rowClasses, keyCol: CRITERION_COL[criterion] });
  const baselines = (m.baselines ?? []).filter((b) => b.description).map((b) => `<li><b>${escapeHtml(b.name)}</b>: ${escapeHtml(b.description as string)}</li>`).join("");
  return `${table}${baselines ? `<ul class="small">${baselines}</ul>` : ""}`;
}

/** Each model at its decision threshold: threshold, precision, recall, F1 (pooled and CV). */
export function thresholdTableHtml(m: MetricsInput, best: string | null): string {
  const keys = Object.keys(m.models);
  const rows = keys.map((k) => {
    const x = m.models[k];
    return [`${modelName(k)}${k === best ? " ★" : ""}`, formatProbability(x.threshold), formatScore(x.precision), formatScore(x.recall), formatScore(x.f1), formatSpread(x.cv?.f1_mean, x.cv?.f1_std)];
  });
  return htmlTable(["model", "threshold (probability)", "precision", "recall", "F1", "CV F1 (mean ± sd)"], rows, { id: "threshold-table", highlightRow: best ? keys.indexOf(best) : undefined });
}

/** Probability quality of every model before (raw, class-weighted) and after calibration. */
export function probabilityTableHtml(m: MetricsInput, best: string | null): string {
  const keys = Object.keys(m.models).filter((k) => m.models[k].calibration_summary?.raw && m.models[k].calibration_summary?.calibrated);
  if (keys.length === 0) return "";
  const arrow = (a: number | undefined, b: number | undefined) => `${formatScore(a)} → ${formatScore(b)}`;
  const rows = keys.map((k) => {
    const s = m.models[k].calibration_summary!;
    return [
      `${modelName(k)}${k === best ? " ★" : ""}`,
      s.method ?? "–",
      arrow(s.raw!.mean_predicted, s.calibrated!.mean_predicted),
      formatScore(s.calibrated!.observed_rate),
      arrow(s.raw!.ece, s.calibrated!.ece),
      arrow(s.raw!.brier, s.calibrated!.brier),
      arrow(s.raw!.log_loss, s.calibrated!.log_loss),
    ];
  });
  return htmlTable(["model", "calibrator", "mean probability (raw → calibrated)", "observed rate", "ECE", "Brier score", "log loss"], rows, { id: "probability-table", highlightRow: best ? keys.indexOf(best) : undefined });
}

/** The contact budget: expected churners reached by contacting the top k users, against random contact. */
export function budgetTableHtml(budget: BudgetRowInput[], meanProbability: number | null, totalExpected: number | null): string {
  const rows = budget.map((b) => [
    formatCount(b.contacts),
    formatPct(b.share, 0),
    formatExpected(b.expected_churners),
    meanProbability === null ? "–" : formatExpected(b.contacts * meanProbability),
    totalExpected ? formatPct(b.expected_churners / totalExpected, 0) : "–",
  ]);
  return htmlTable(["users contacted (riskiest first)", "share of scored users", "expected churners reached", "by random contact", "share of all expected churners"], rows, { id: "budget-table", numericCols: [0, 1, 2, 3, 4] });
}

/** A reason in words after its effect, e.g. "+6.4 pts: 7.5 adverts per session (typical 1.17)". */
export function reasonText(r: NonNullable<RiskRowInput["reasons"]>[number]): string {
  if (typeof r === "string") return r;
  const effect = typeof r.contribution === "number" ? `${formatPoints(r.contribution)}: ` : "";
  if (r.text) return `${effect}${r.text}`;
  const v = r.value !== undefined && r.value !== null ? ` = ${typeof r.value === "number" ? Number(r.value.toPrecision(4)) : String(r.value)}` : "";
  return `${effect}${r.feature}${v}`;
}

/** The top of the risk list: rank, user, calibrated probability, flagged or not, up to three reasons with effects. */
export function riskTableHtml(rows: RiskRowInput[], top: number): string {
  const sorted = [...rows].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || b.probability - a.probability).slice(0, top);
  const body = sorted.map((r, i) => {
    const reasons = (r.reasons ?? []).slice(0, 3).map(reasonText);
    while (reasons.length < 3) reasons.push("");
    return [String(r.rank ?? i + 1), r.userId, formatProbability(r.probability), r.atRisk === undefined ? "–" : r.atRisk ? "yes" : "no", ...reasons];
  });
  const when = rows.find((r) => r.cutoff !== undefined && r.cutoff !== null && r.cutoff !== "")?.cutoff;
  const caption = `<p>The ${formatCount(sorted.length)} users most likely to churn, of ${formatCount(rows.length)} scored${when !== undefined ? ` as of ${escapeHtml(formatDate(when))}` : ""}; the full list is <code>scores.csv</code>.</p>`;
  return `${caption}${htmlTable(["rank", "user", "churn probability", "at risk", "reason 1", "reason 2", "reason 3"], body, { id: "risk-table", numericCols: [0, 2] })}`;
}

/** The feature dictionary: each input in words, what it measures, and whether the model uses it. */
export function featureDictionaryHtml(dict: Array<{ name: string; description?: string; type?: string; group?: string }>, excluded: string[]): string {
  const rows = dict.map((f) => [
    FEATURE_WORDS[f.name]?.label ?? f.name.replace(/_/g, " "),
    f.name,
    f.group ?? "",
    f.description ?? "",
    excluded.includes(f.name) ? "no: not behaviour" : "yes",
  ]);
  return htmlTable(["feature", "column", "group", "what it measures (T = the cutoff)", "model input"], rows, { id: "feature-dictionary", numericCols: [], rowClasses: Object.fromEntries(dict.flatMap((f, i) => (excluded.includes(f.name) ? [[i, "excluded"]] : []))) });
}
