import { escapeHtml } from "../notebooks/formatTable";
import type { DataReport } from "../store/types";
import { modelName } from "./normalizeMetrics";
import type { MetricsInput, RiskRowInput } from "./types";

function fmt(v: number | undefined | null, digits = 3): string {
  return typeof v === "number" && Number.isFinite(v) ? v.toFixed(digits) : "–";
}

function pm(mean: number | undefined, std: number | undefined): string {
  return typeof mean === "number" ? `${fmt(mean)} ± ${fmt(std)}` : "–";
}

function count(n: number | undefined): string {
  return typeof n === "number" ? n.toLocaleString("en-US") : "–";
}

/** A simple HTML table; cells are escaped; numeric columns (default: all but the first) align right. */
export function htmlTable(headers: string[], rows: string[][], opts: { id?: string; highlightRow?: number; numericCols?: number[] } = {}): string {
  const isNum = (j: number) => (opts.numericCols ? opts.numericCols.includes(j) : j >= 1);
  const head = headers.map((h, j) => `<th${isNum(j) ? ' class="num"' : ""}>${escapeHtml(h)}</th>`).join("");
  const body = rows
    .map((r, i) => `<tr${i === opts.highlightRow ? ' class="best"' : ""}>${r.map((c, j) => `<td${isNum(j) ? ' class="num"' : ""}>${escapeHtml(c)}</td>`).join("")}</tr>`)
    .join("\n");
  return `<table${opts.id ? ` id="${opts.id}"` : ""}><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** The data report: lines read, kept, dropped per rule, flagged, quarantined, and the sources. */
export function dataReportHtml(r: Partial<DataReport>): string {
  const rows: string[][] = [["lines read", count(r.lines)], ["kept", count(r.kept)]];
  for (const [rule, n] of Object.entries(r.dropped ?? {})) rows.push([`dropped: ${rule}`, count(n)]);
  rows.push(["quarantined", count(r.quarantined)]);
  for (const [flag, n] of Object.entries(r.flagged ?? {})) rows.push([`flagged (kept): ${flag}`, count(n)]);
  let html = htmlTable(["", "lines"], rows, { id: "data-report" });
  const dropped = Object.values(r.dropped ?? {}).reduce((s, n) => s + n, 0);
  if (typeof r.lines === "number" && typeof r.kept === "number" && typeof r.quarantined === "number") {
    const ok = r.lines === r.kept + dropped + r.quarantined;
    html += `<p class="${ok ? "ok" : "warn"}">${ok ? "Every line is accounted for" : "Lines do not add up"}: ${count(r.lines)} = ${count(r.kept)} kept + ${count(dropped)} dropped + ${count(r.quarantined)} quarantined.</p>`;
  }
  if (r.quarantineFile) html += `<p>Quarantined lines: <code>${escapeHtml(r.quarantineFile)}</code></p>`;
  if (r.sources?.length) {
    html += htmlTable(["source", "lines", "MB"], r.sources.map((s) => [s.source, count(s.lines), (s.bytes / 1e6).toFixed(1)]), { id: "data-sources" });
  }
  return html;
}

/** The model comparison table: test metrics at the chosen threshold and the CV spread. */
export function modelTableHtml(m: MetricsInput, best: string | null): string {
  const keys = Object.keys(m.models);
  const rows = keys.map((k) => {
    const x = m.models[k];
    return [
      `${modelName(k)}${k === best ? " ★" : ""}`,
      fmt(x.auc),
      fmt(x.pr_auc),
      fmt(x.f1),
      fmt(x.precision),
      fmt(x.recall),
      fmt(x.threshold),
      fmt(x.log_loss),
      pm(x.cv?.auc_mean, x.cv?.auc_std),
      pm(x.cv?.pr_auc_mean, x.cv?.pr_auc_std),
      pm(x.cv?.f1_mean, x.cv?.f1_std),
    ];
  });
  const headers = ["model", "AUC", "PR-AUC", "F1", "precision", "recall", "threshold", "log loss", "CV AUC (mean ± sd)", "CV PR-AUC", "CV F1"];
  const folds = keys.map((k) => m.models[k].cv?.folds).find((f) => typeof f === "number");
  const setup = [
    m.mode ? `mode <b>${escapeHtml(m.mode)}</b>` : "",
    m.cutoff !== undefined && m.cutoff !== null ? `cutoff ${escapeHtml(Array.isArray(m.cutoff) ? m.cutoff.join(", ") : String(m.cutoff))}` : "",
    m.horizon !== undefined && m.horizon !== null ? `horizon ${m.horizon} days` : "",
    m.label ? `label ${escapeHtml(m.label)}` : "",
    folds ? `${folds}-fold cross-validation` : "",
    typeof m.dataset?.users === "number" ? `${count(m.dataset.users)} users` : "",
    typeof m.dataset?.positive_rate === "number" ? `${(m.dataset.positive_rate * 100).toFixed(1)}% churners` : "",
  ].filter(Boolean);
  return `${setup.length ? `<p>${setup.join(" · ")}</p>` : ""}${htmlTable(headers, rows, { id: "model-table", highlightRow: best ? keys.indexOf(best) : undefined })}`;
}

function reasonText(r: NonNullable<RiskRowInput["reasons"]>[number]): string {
  if (typeof r === "string") return r;
  const c = typeof r.contribution === "number" ? ` (${r.contribution >= 0 ? "+" : ""}${r.contribution.toFixed(2)})` : "";
  const v = r.value !== undefined && r.value !== null ? ` = ${typeof r.value === "number" ? Number(r.value.toPrecision(4)) : String(r.value)}` : "";
  return `${r.feature}${v}${c}`;
}

/** The top of the risk list: rank, user, churn probability, flagged or not, top reasons. */
export function riskTableHtml(rows: RiskRowInput[], top: number): string {
  const sorted = [...rows].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || b.probability - a.probability).slice(0, top);
  const body = sorted.map((r, i) => [String(r.rank ?? i + 1), r.userId, r.probability.toFixed(3), r.atRisk === undefined ? "–" : r.atRisk ? "yes" : "no", (r.reasons ?? []).map(reasonText).join("; ")]);
  return `<p>The ${sorted.length} users most likely to churn, of ${count(rows.length)} scored.</p>${htmlTable(["rank", "user", "probability", "at risk", "top reasons"], body, { id: "risk-table", numericCols: [0, 2] })}`;
}
