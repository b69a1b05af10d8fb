import * as fs from "node:fs";
import { edaFigures } from "../eda/edaFigures";
import { featureDictionary } from "../features/dictionary";
import { escapeHtml } from "./escapeHtml";
import { assertTracesInBundle, plotlyBundlePath } from "../plots/plotlyBundle";
import type { Figure } from "../plots/types";
import { formatDate } from "./format";
import { budgetTableHtml, dataReportHtml, featureDictionaryHtml, modelTableHtml, probabilityTableHtml, riskTableHtml, setupLine, thresholdTableHtml } from "./htmlTables";
import { PlacedFigure, modelFigures } from "./modelFigures";
import { budgetNarrative, calibrationNarrative, dataNarrative, edaNarrative, gainsNarrative, modelNarrative, riskNarrative, summaryNarrative, tableNarrative } from "./narrative";
import { reportBestModel, reportFacts } from "./reportFacts";
import type { ReportInput } from "./types";

const EDA_ORDER = ["churnByGender", "churnByLevel", "churnByDevice", "churnByState", "eventsPerDay", "pageMix", "sessionLengths", "sessionGaps"] as const;

const CSS = `
body { font-family: Helvetica, Arial, sans-serif; margin: 0 auto; max-width: 1200px; padding: 0 24px 48px; color: #222; line-height: 1.45; }
header { border-bottom: 2px solid #1f77b4; margin-bottom: 16px; }
h1 { margin: 24px 0 4px; } h2 { margin-top: 40px; border-bottom: 1px solid #ddd; padding-bottom: 4px; } h3 { margin: 20px 0 4px; font-size: 16px; }
.meta { color: #666; margin: 0 0 12px; }
p.lead { max-width: 900px; } #summary { font-size: 17px; max-width: 900px; }
nav a { margin-right: 14px; white-space: nowrap; }
table { border-collapse: collapse; margin: 12px 0; font-size: 14px; }
th, td { border: 1px solid #ddd; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f3f6fa; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.key { background: #dfe9f5; } td.key { font-weight: bold; }
tr.best td { background: #fff6d5; }
tr.baseline td { color: #555; font-style: italic; background: #fafafa; }
tr.excluded td { color: #888; }
#risk-table td { font-size: 13px; } #feature-dictionary td { font-size: 13px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 12px; }
.chart { min-height: 380px; border: 1px solid #eee; }
/* Plotly's toolbar only on hover, also where the browser reports no hover (print, screenshots, tablets): it hides titles. */
.chart .modebar { opacity: 0 !important; transition: opacity 0.2s; } .chart:hover .modebar { opacity: 1 !important; }
.note { color: #777; font-style: italic; } .small { font-size: 13px; color: #444; } .setup { color: #444; }
.caution { border-left: 4px solid #e6a700; background: #fff8e1; padding: 6px 10px; }
.ok { color: #2a7d2a; } .warn { color: #b00020; font-weight: bold; }
code { background: #f4f4f4; padding: 0 3px; }
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

/**
 * Sentences as escaped paragraphs (`text` in backticks becomes code); a sentence starting with
 * "Caution:" or "Warning:" gets a paragraph of its own that stands out.
 */
function lead(sentences: string[]): string {
  const html = (xs: string[]) => escapeHtml(xs.join(" ")).replace(/`([^`]+)`/g, "<code>$1</code>");
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length) out.push(`<p class="lead">${html(run)}</p>`);
    run = [];
  };
  for (const s of sentences) {
    if (/^(Caution|Warning):/.test(s)) {
      flush();
      out.push(`<p class="lead caution">${html([s])}</p>`);
    } else run.push(s);
  }
  flush();
  return out.join("");
}

let plotlySource: string | null = null;

/** The minified partial plotly.js bundle, read once per process. */
function plotlyJs(): string {
  plotlySource ??= fs.readFileSync(plotlyBundlePath(), "utf8").replace(/<\/script/gi, "<\\/script");
  return plotlySource;
}

/**
 * One self-contained HTML page (a minified partial plotly.js inlined once, no network): each
 * section opens with sentences generated from its numbers (lib/report/narrative), then the data
 * report, the EDA charts, the model comparison with baselines, gains and lift with the contact
 * budget, calibration, ROC/PR curves, importances, the top of the risk list and the feature
 * dictionary. Sections without input say so instead of failing.
 */
export function buildReport(input: ReportInput): string {
  const figs: Record<string, Figure> = {};
  const place = (id: string, f: Figure) => (figs[`fig-${id}`] = f);
  const sections: Array<{ id: string; title: string; nav: string; html: string }> = [];
  const facts = reportFacts(input);
  const m = input.metrics;
  const models = m?.models ?? {};
  const best = reportBestModel(input);

  sections.push({ id: "data", title: "Data", nav: "Data", html: input.dataReport ? lead(facts.data ? dataNarrative(facts.data) : []) + dataReportHtml(input.dataReport) : missing("data report") });

  const eda = input.eda ? edaFigures(input.eda) : {};
  const edaIds = EDA_ORDER.filter((k) => eda[k]);
  for (const k of edaIds) place(k, eda[k] as Figure);
  const edaNote = eda.pageMix ? `<p class="small">The page mix leaves NextSong (most events) out and shows each other page's share of the remaining events. Churn-rate bars carry 95% Wilson intervals.</p>` : "";
  sections.push({ id: "eda", title: "Exploratory analysis", nav: "EDA", html: edaIds.length ? lead(facts.eda ? edaNarrative(facts.eda) : []) + edaNote + chartDivs([...edaIds]) : missing("EDA data") });

  const mfigs: PlacedFigure[] = m ? modelFigures(m, best) : [];
  for (const f of mfigs) place(f.id, f.figure);
  const bySection = (s: PlacedFigure["section"]) => mfigs.filter((f) => f.section === s).map((f) => f.id);
  const hasModels = Object.keys(models).length > 0;
  const criterion = facts.models?.criterion ?? "auc";
  sections.push({
    id: "models",
    title: "Model comparison", nav: "Models",
    html: hasModels && m
      ? lead(facts.table ? tableNarrative(facts.table, facts.eda) : []) + lead(facts.models ? modelNarrative(facts.models) : []) +
        setupLine(m) + modelTableHtml(m, best, criterion) +
        `<h3>At the decision threshold</h3><p class="small">A user is flagged at risk when the calibrated probability reaches the model's threshold, chosen for the best F1 on out-of-fold predictions.</p>` + thresholdTableHtml(m, best)
      : missing("model metrics"),
  });

  const gainsIds = bySection("gains");
  const budget = m?.budget?.length && input.risk?.length
    ? lead(facts.risk ? budgetNarrative(facts.risk) : []) + budgetTableHtml(m.budget, facts.risk ? facts.risk.expectedChurners / facts.risk.scored : null, facts.risk?.expectedChurners ?? null)
    : "";
  sections.push({
    id: "gains",
    title: "Whom to contact: gains, lift and the contact budget", nav: "Whom to contact",
    html: gainsIds.length || budget ? lead(facts.gains ? gainsNarrative(facts.gains) : []) + (gainsIds.length ? chartDivs(gainsIds) : "") + (budget ? `<h3>Contact budget</h3>${budget}` : "") : missing("gains"),
  });

  const calIds = bySection("calibration");
  sections.push({
    id: "calibration",
    title: "Are the probabilities probabilities? Calibration", nav: "Calibration",
    html: calIds.length ? lead(facts.calibration ? calibrationNarrative(facts.calibration) : []) + (m ? probabilityTableHtml(m, best) : "") + chartDivs(calIds) : missing("calibration tables"),
  });

  const curveIds = bySection("curves");
  sections.push({
    id: "curves",
    title: "ROC and precision-recall curves", nav: "ROC and PR",
    html: curveIds.length
      ? lead(["Both charts use the pooled out-of-fold predictions. ROC plots the share of churners found against the share of non-churners wrongly flagged; precision-recall shows how pure the flagged list is at each recall, with the base rate as the line a random list would give."]) + chartDivs(curveIds)
      : missing("curves"),
  });

  const impIds = bySection("importance");
  sections.push({
    id: "importance",
    title: "What the models lean on", nav: "Importance",
    html: impIds.length
      ? lead(["Gain is how much a tree model's splits on a feature reduce its loss; permutation importance is how much the best model's score drops when a feature's values are shuffled (near zero or negative: the model does not need it). Coefficients of the logistic regression are per standard deviation of the feature: red raises the risk, blue lowers it. Importance is not causation."]) + chartDivs(impIds)
      : missing("importances"),
  });

  sections.push({
    id: "risk",
    title: "Users most at risk", nav: "Risk list",
    html: input.risk?.length ? lead(facts.risk ? riskNarrative(facts.risk) : []) + riskTableHtml(input.risk, input.riskTop ?? 25) : missing("risk list"),
  });

  const dict = input.featureDictionary ?? featureDictionary(m?.mode === "full-history" ? "full-history" : "forward");
  sections.push({
    id: "features",
    title: "Feature dictionary", nav: "Features",
    html: lead([`Every model input in words, computed per user from events before the cutoff T only.${m?.excluded_attributes?.length ? ` Greyed rows (${m.excluded_attributes.join(", ")}) are computed but not used by the model.` : ""}`]) + featureDictionaryHtml(dict, m?.excluded_attributes ?? []),
  });

  assertTracesInBundle(figs);
  const title = input.title ?? "Sparkify churn report";
  const generated = formatDate(input.generatedAt ?? new Date().toISOString());
  const summary = summaryNarrative(facts);
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
${summary.length ? `<p id="summary">${escapeHtml(summary.join(" "))}</p>` : ""}${notes ? `<ul class="small">${notes}</ul>` : ""}
<nav>${sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.nav)}</a>`).join(" ")}</nav>
</header>
${sections.map((s) => `<section id="${s.id}">\n<h2>${escapeHtml(s.title)}</h2>\n${s.html}\n</section>`).join("\n")}
<script>${plotlyJs()}</script>
<script>
(function () {
  var figs = ${scriptJson(figs)};
  var config = { responsive: true, displaylogo: false };
  var ids = Object.keys(figs);
  Promise.all(ids.map(function (id) { return Plotly.newPlot(id, figs[id].data, figs[id].layout, config); })).then(function () {
    document.body.setAttribute("data-charts", String(ids.length));
  });
})();
</script>
</body>
</html>
`;
}
