import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { runEda } from "../../lib/eda";
import { findChromium, CHROMIUM_FLAGS } from "../../lib/plots";
import { buildReport, writeReport, ReportInput } from "../../lib/report";
import { fixtureDb, fourUsers } from "../eda/fixtureDb";
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

/** Expected chart ids: 8 EDA + ROC + PR + calibration + confusion + rf/gbt gain + best's permutation + lr coefficients. */
const EXPECTED_CHARTS = 16;

describe("report/buildReport", function () {
  this.timeout(120_000);
  let input: ReportInput;
  let html: string;
  before(async () => {
    input = await fullInput();
    html = buildReport(input);
  });

  it("inlines plotly.js exactly once and loads nothing from the network", () => {
    assert.equal(html.split("plotly.js v3").length - 1, 1);
    // plotly.js itself names CDNs (for optional MathJax/topojson it does not use here): look around it.
    const start = html.indexOf("<script>/**\n* plotly.js");
    const end = html.indexOf("</script>", start);
    assert.ok(start > 0 && end > start);
    const page = html.slice(0, start) + html.slice(end);
    assert.doesNotMatch(page, /<script[^>]+src=|<link[^>]+href=|https?:\/\//i);
  });

  it("has every section, the model table with CV spread, the best model and an escaped risk list", () => {
    for (const id of ["data", "eda", "models", "curves", "calibration", "importance", "risk"]) assert.match(html, new RegExp(`<section id="${id}">`));
    assert.equal((html.match(/<div class="chart" id="fig-/g) ?? []).length, EXPECTED_CHARTS);
    const m = input.metrics!.models;
    assert.match(html, new RegExp(`Gradient-boosted trees ★</td><td class="num">${m.gbt.auc!.toFixed(3)}</td><td class="num">${m.gbt.pr_auc!.toFixed(3)}</td>`));
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
    assert.match(partial, /No risk list in this run/);
    assert.match(partial, /Lines do not add up/);
    assert.match(partial, /Logistic regression ★/);
  });

  const chromium = findChromium();
  (chromium ? it : it.skip)("opens offline in headless Chromium without console errors and draws every chart (screenshot)", async () => {
    const file = writeReport(`${OUTPUT_DIR}/report.html`, input);
    assert.ok(fs.statSync(file).size > 1_000_000);
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
      const drawn = await page.$$eval(".chart", (els) => els.map((e) => e.classList.contains("js-plotly-plot") && !!e.querySelector("svg.main-svg")));
      assert.equal(drawn.length, EXPECTED_CHARTS);
      assert.ok(drawn.every(Boolean), "every chart element holds a drawn Plotly SVG");
      const traces = await page.$$eval("#fig-roc .scatterlayer .trace", (els) => els.length);
      assert.equal(traces, 4, "three ROC curves and the diagonal");
      writeOutput("report.png", await page.screenshot({ fullPage: true }));
      assert.deepEqual(problems, []);
      assert.deepEqual(requests, []);
    } finally {
      await browser.close();
    }
  });
});
