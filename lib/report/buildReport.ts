import * as fs from "node:fs";
import { edaFigures } from "../eda/edaFigures";
import { escapeHtml } from "../notebooks/formatTable";
import { plotlyBundlePath } from "../plots/FigureRenderer";
import type { Figure } from "../plots/types";
import { dataReportHtml, modelTableHtml, riskTableHtml } from "./htmlTables";
import { PlacedFigure, modelFigures } from "./modelFigures";
import { modelName, pickBestModel } from "./normalizeMetrics";
import type { ReportInput } from "./types";

const EDA_ORDER = ["churnByGender", "churnByLevel", "churnByDevice", "churnByState", "eventsPerDay", "pageMix", "sessionLengths", "sessionGaps"] as const;

const CSS = `
body { font-family: Helvetica, Arial, sans-serif; margin: 0 auto; max-width: 1200px; padding: 0 24px 48px; color: #222; }
header { border-bottom: 2px solid #1f77b4; margin-bottom: 16px; }
h1 { margin: 24px 0 4px; } h2 { margin-top: 36px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.meta { color: #666; margin: 0 0 12px; }
nav a { margin-right: 14px; }
table { border-collapse: collapse; margin: 12px 0; font-size: 14px; }
th, td { border: 1px solid #ddd; padding: 4px 10px; text-align: left; }
th { background: #f3f6fa; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.best td { background: #fff6d5; font-weight: bold; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 12px; }
.chart { min-height: 380px; border: 1px solid #eee; }
.note { color: #777; font-style: italic; }
.ok { color: #2a7d2a; } .warn { color: #b00020; font-weight: bold; }
`;

/** Serialises a value into a <script> block: `<` escaped, so no data can close the script early. */
function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

function chartDivs(ids: string[]): string {
  return `<div class="grid">${ids.map((id) => `<div class="chart" id="fig-${id}"></div>`).join("")}</div>`;
}

function missing(what: string): string {
  return `<p class="note">No ${what} in this run.</p>`;
}

let plotlySource: string | null = null;

/** plotly.js from node_modules/plotly.js-dist, read once per process. */
function plotlyJs(): string {
  plotlySource ??= fs.readFileSync(plotlyBundlePath(), "utf8").replace(/<\/script/gi, "<\\/script");
  return plotlySource;
}

/**
 * One self-contained HTML page (plotly.js inlined once, no network) with the data report, the EDA
 * charts, the model comparison table, ROC/PR curves, calibration and confusion matrix,
 * importances and the top of the risk list. Sections without input say so instead of failing.
 */
export function buildReport(input: ReportInput): string {
  const figs: Record<string, Figure> = {};
  const place = (id: string, f: Figure) => (figs[`fig-${id}`] = f);
  const sections: Array<{ id: string; title: string; html: string }> = [];

  sections.push({ id: "data", title: "Data", html: input.dataReport ? dataReportHtml(input.dataReport) : missing("data report") });

  const eda = input.eda ? edaFigures(input.eda) : {};
  const edaIds = EDA_ORDER.filter((k) => eda[k]);
  for (const k of edaIds) place(k, eda[k] as Figure);
  sections.push({ id: "eda", title: "Exploratory analysis", html: edaIds.length ? chartDivs([...edaIds]) : missing("EDA data") });

  const models = input.metrics?.models ?? {};
  const best = pickBestModel(models, input.bestModel);
  const mfigs: PlacedFigure[] = input.metrics ? modelFigures(input.metrics, best) : [];
  for (const f of mfigs) place(f.id, f.figure);
  const bySection = (s: PlacedFigure["section"]) => mfigs.filter((f) => f.section === s).map((f) => f.id);
  const hasModels = Object.keys(models).length > 0;
  sections.push({ id: "models", title: "Model comparison", html: hasModels && input.metrics ? modelTableHtml(input.metrics, best) : missing("model metrics") });
  for (const [id, title, what] of [
    ["curves", "ROC and precision-recall curves", "curves"],
    ["calibration", "Calibration and confusion matrix", "calibration tables"],
    ["importance", "Feature importance", "importances"],
  ] as const) {
    const ids = bySection(id);
    sections.push({ id, title, html: ids.length ? chartDivs(ids) : missing(what) });
  }
  sections.push({ id: "risk", title: "Users most at risk", html: input.risk?.length ? riskTableHtml(input.risk, input.riskTop ?? 25) : missing("risk list") });

  const title = input.title ?? "Sparkify churn report";
  const generated = input.generatedAt ?? new Date().toISOString();
  const bestLine = best && models[best] ? `Best model: <b>${escapeHtml(modelName(best))}</b> (AUC ${models[best].auc?.toFixed(3) ?? "–"}, PR-AUC ${models[best].pr_auc?.toFixed(3) ?? "–"}, F1 ${models[best].f1?.toFixed(3) ?? "–"}).` : "";
  const notes = (input.notes ?? []).map((n) => `<li>${escapeHtml(n)}</li>`).join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="meta">${input.source ? `Data: <code>${escapeHtml(input.source)}</code> · ` : ""}generated ${escapeHtml(generated)}</p>
${bestLine ? `<p id="summary">${bestLine}</p>` : ""}${notes ? `<ul>${notes}</ul>` : ""}
<nav>${sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.title)}</a>`).join("")}</nav>
</header>
${sections.map((s) => `<section id="${s.id}">\n<h2>${escapeHtml(s.title)}</h2>\n${s.html}\n</section>`).join("\n")}
<script>${plotlyJs()}</script>
<script>
(function () {
  var figs = ${scriptJson(figs)};
  var config = { responsive: true, displaylogo: false };
  Object.keys(figs).forEach(function (id) {
    var f = figs[id];
    Plotly.newPlot(id, f.data, f.layout, config);
  });
  document.body.setAttribute("data-charts", String(Object.keys(figs).length));
})();
</script>
</body>
</html>
`;
}
