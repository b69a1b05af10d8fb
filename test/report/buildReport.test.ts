import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { runEda } from "../../lib/eda";
import { findChromium, CHROMIUM_FLAGS } from "../../lib/plots";
import { buildReport, writeReport, ReportInput } from "../../lib/report";
import { fixtureDb, fourUsers } from "../eda/fixtureDb";
import { systemIt } from "../helpers/systemSuites";
import { OUTPUT_DIR, writeOutput } from "../plots/snapshot";
import { FIXTURE_DATA_REPORT, fixtureMetrics, fixtureRisk } from "./reportFixture";

async function fullInput(): Promise<ReportInput> {
  const db = await fixtureDb(fourUsers());
  try {
    return {
      title: "Sparkify churn report (test)",
      source: "test fixture",
      generatedAt: "2026-01-01T00:00:00Z",
      dataReport: FIXTURE_DATA_REPORT,
      eda: await runEda(db),
      metrics: fixtureMetrics(),
      risk: fixtureRisk(),
      riskTop: 10,
      notes: ["seed 11"],
    };
  } finally {
    db.close();
  }
}

/**
 * Expected chart ids: 8 EDA + gains + lift + ROC + PR + calibration (all models) + the best model
 * raw against calibrated + confusion + rf/gbt gain + best's permutation + lr coefficients.
 */
const EXPECTED_CHARTS = 19;

/** The page without the inlined plotly.js (which itself names CDNs and holds ISO-looking strings). */
function withoutPlotly(html: string): string {
  const start = html.indexOf("<script>/**\n* plotly.js");
  const end = html.indexOf("</script>", start);
  assert.ok(start > 0 && end > start);
  return html.slice(0, start) + html.slice(end);
}

/** The page's text before the chart data (what a reader reads). */
function prose(html: string): string {
  return html.slice(0, html.indexOf("<script>"));
}

describe("report/buildReport", function () {
  this.timeout(120_000);
  let input: ReportInput;
  let html: string;
  before(async () => {
    input = await fullInput();
    html = buildReport(input);
  });

  it("inlines the minified partial plotly.js exactly once, loads nothing from the network, and stays under 4 MB", () => {
    assert.equal(html.split("plotly.js (cartesian - minified) v3").length - 1, 1);
    // plotly.js itself names CDNs (for optional MathJax/topojson it does not use here): look around it.
    assert.doesNotMatch(withoutPlotly(html), /<script[^>]+src=|<link[^>]+href=|https?:\/\//i);
    const bytes = Buffer.byteLength(html);
    assert.ok(bytes < 4_000_000, `report is ${bytes} bytes`);
  });

  it("opens each section with sentences from the numbers, prints dates as dates and says which criterion picked the model", () => {
    const text = prose(html);
    for (const id of ["data", "eda", "models", "gains", "calibration", "risk"]) {
      const section = text.slice(text.indexOf(`<section id="${id}">`));
      assert.match(section.slice(0, 400), /<h2>[^<]+<\/h2>\n<p class="lead">/, `section ${id} opens with a paragraph`);
    }
    assert.match(text, /The best model is chosen by average precision \(PR-AUC\) of the pooled out-of-fold predictions/);
    assert.match(text, /because a churner is positive only at the last cutoff before cancelling/);
    assert.match(text, /Gender and state are shown here for description only and are not model inputs/);
    assert.match(text, /top-decile lift of \d\.\d×/);
    assert.match(text, /cutoff 2018-10-22, 2018-10-29, 2018-11-05 … |cutoff 2018-10-22 … 2018-11-12 \(4 cutoffs\)/);
    assert.match(text, /as of 2018-12-03 01:11 UTC/);
    assert.doesNotMatch(text, /\d{4}-\d\d-\d\dT\d\d:\d\d/, "no raw ISO times in the prose");
  });

  it("shows baselines in the model table, the contact budget, probability quality, reasons with effects and the feature dictionary", () => {
    const text = prose(html);
    assert.match(text, /<tr class="baseline"><td>baseline: base rate<\/td>/);
    assert.match(text, /<tr class="baseline"><td>baseline: recency<\/td>/);
    assert.match(text, /<th class="num key">PR-AUC<\/th>/, "the selection criterion's column is marked");
    assert.match(text, /<table id="budget-table">[\s\S]*?<td class="num">4<\/td><td class="num">10%<\/td><td class="num">2\.7<\/td>/);
    assert.match(text, /<table id="probability-table">[\s\S]*?isotonic/);
    assert.match(text, /\+6\.4 pts: 12\.5 days since the last visit \(typical 2\.9\)/);
    assert.match(text, /<tr class="excluded"><td>gender<\/td><td>gender<\/td>/);
    assert.match(text, /<td>days since the last visit<\/td><td>recency_days<\/td>/);
  });

  it("warns in the model section only when the CV spread is wider than the gap between the models", () => {
    const withSpread = (sd: number) => {
      const metrics = structuredClone(input.metrics!);
      metrics.models.gbt.cv!.pr_auc_std = sd;
      return prose(buildReport({ ...input, metrics }));
    };
    assert.match(withSpread(0.5), /<p class="lead caution">Caution: across 5 folds/);
    assert.doesNotMatch(withSpread(1e-6), /Caution/);
  });

  it("has every section, the model table with CV spread, the best model and an escaped risk list", () => {
    for (const id of ["data", "eda", "models", "gains", "calibration", "curves", "importance", "risk", "features"]) assert.match(html, new RegExp(`<section id="${id}">`));
    assert.equal((html.match(/<div class="chart" id="fig-/g) ?? []).length, EXPECTED_CHARTS);
    const m = input.metrics!.models;
    assert.match(html, new RegExp(`Gradient-boosted trees ★</td><td class="num key">${m.gbt.pr_auc!.toFixed(3)}</td><td class="num">${m.gbt.auc!.toFixed(3)}</td>`));
    assert.match(html, /<tr class="best">/);
    assert.match(html, new RegExp(`${m.lr.cv!.auc_mean!.toFixed(3)} ± 0\\.020`));
    assert.match(html, /Every line is accounted for: 6,400 = 6,150 kept \+ 240 dropped \+ 10 quarantined/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.doesNotMatch(html, /<script>alert/);
    assert.equal((html.match(/<tr><td class="num">\d+<\/td><td>(user-|&lt;)/g) ?? []).length, 10, "riskTop rows");
  });

  it("says which parts are missing instead of failing on a partial run", () => {
    const partial = buildReport({ dataReport: { lines: 10, kept: 8, dropped: { x: 1 }, quarantined: 0 }, metrics: { models: { lr: { auc: 0.7 } } } });
    assert.match(partial, /No EDA data in this run/);
    assert.match(partial, /No curves in this run/);
    assert.match(partial, /No gains in this run/);
    assert.match(partial, /No risk list in this run/);
    assert.match(partial, /Lines do not add up/);
    assert.match(partial, /Logistic regression ★/);
  });

  const chromium = findChromium();
  systemIt("chromium")("opens offline in headless Chromium without console errors and draws every chart (screenshot)", async () => {
    const file = writeReport(`${OUTPUT_DIR}/report.html`, input);
    const size = fs.statSync(file).size;
    assert.ok(size > 1_000_000 && size < 4_000_000, `report.html is ${size} bytes`);
    const { chromium: pw } = await import("playwright-core");
    const browser = await pw.launch({ executablePath: chromium!, args: CHROMIUM_FLAGS, headless: true });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
      page.on("request", (r) => {
        if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) requests.push(r.url());
      });
      await page.route(/^(https?|wss?):/, (route) => route.abort());
      await page.goto(`file://${file}`);
      await page.waitForSelector(`body[data-charts="${EXPECTED_CHARTS}"]`, { timeout: 60_000 });
      const drawn = await page.$$eval(".chart", (els) => els.map((e) => ({ id: e.id, plot: e.classList.contains("js-plotly-plot") && !!e.querySelector("svg.main-svg"), traces: e.querySelectorAll(".trace, .heatmaplayer .hm").length })));
      assert.equal(drawn.length, EXPECTED_CHARTS);
      assert.deepEqual(drawn.filter((d) => !d.plot || d.traces === 0).map((d) => d.id), [], "every chart element holds a drawn Plotly SVG with traces");
      const traces = await page.$$eval("#fig-roc .scatterlayer .trace", (els) => els.length);
      assert.equal(traces, 4, "three ROC curves and the diagonal");
      assert.equal(await page.$$eval("#fig-gains .scatterlayer .trace", (els) => els.length), 5, "three gains curves, random and perfect");
      assert.equal(await page.$$eval("#fig-confusion .heatmaplayer .hm image", (els) => els.length), 1, "the heatmap trace is drawn");
      writeOutput("report.png", await page.screenshot({ fullPage: true }));
      assert.deepEqual(problems, []);
      assert.deepEqual(requests, []);
    } finally {
      await browser.close();
    }
  });
});
