import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { SAMPLE_DATASET } from "../../lib/config";
import { cli, nbformatErrors, pythonHas, readCells, streamText, tempDir, type NbCell } from "./nbTestUtil";

const PLOTLY = "application/vnd.plotly.v1+json";
const NOTEBOOKS = ["01-load", "02-clean", "03-eda", "04-features", "05-model"];

/** Titles of the Plotly figures a notebook displayed, in order. */
function figureTitles(cells: NbCell[]): string[] {
  return cells.flatMap((c) => c.outputs ?? [])
    .filter((o) => o.output_type === "display_data" && o.data?.[PLOTLY])
    .map((o) => {
      const t = (o.data![PLOTLY] as { layout?: { title?: { text?: string } | string } }).layout?.title;
      return typeof t === "string" ? t : t?.text ?? "";
    });
}

/** The HTML tables a notebook displayed. */
function tables(cells: NbCell[]): string[] {
  return cells.flatMap((c) => c.outputs ?? []).filter((o) => o.output_type === "display_data" && o.data?.["text/html"]).map((o) => String(o.data!["text/html"]));
}

describe("notebooks/ (the project's five notebooks, headless on the committed sample)", function () {
  this.timeout(900_000);
  let out: string;
  let run: ReturnType<typeof cli>;

  before(() => {
    out = tempDir("sparkify-project-nb-");
    run = cli(["notebooks", "--out", out, "--param", `input=${SAMPLE_DATASET}`, "--param", "seed=7", "--param", "folds=3"]);
  });

  it("runs all five in order with parameters injected and exits 0", () => {
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /5 notebook\(s\) executed/);
    for (const name of NOTEBOOKS) {
      const cells = readCells(path.join(out, "notebooks", `${name}.ipynb`));
      const injected = cells.find((c) => (c.metadata.tags ?? []).includes("injected-parameters"));
      assert.ok(injected, `${name} has an injected-parameters cell`);
      const src = Array.isArray(injected.source) ? injected.source.join("") : injected.source;
      assert.match(src, /let seed: number = 7;/);
      assert.ok(cells.indexOf(injected) === cells.findIndex((c) => (c.metadata.tags ?? []).includes("parameters")) + 1, "injected right after parameters");
    }
  });

  it("leaves no error output in any executed copy, and each is valid nbformat 4", () => {
    for (const name of NOTEBOOKS) {
      const file = path.join(out, "notebooks", `${name}.ipynb`);
      const cells = readCells(file);
      assert.equal(cells.flatMap((c) => c.outputs ?? []).filter((o) => o.output_type === "error").length, 0, `${name} has error outputs`);
      // tslab reports errors on stderr; the one stderr line allowed is the TensorFlow.js backend notice.
      const stderr = streamText(cells, "stderr").split("\n").filter((l) => l.trim() && !/TensorFlow\.js backend/.test(l));
      assert.deepEqual(stderr, [], `${name} wrote to stderr`);
      if (pythonHas("nbformat")) assert.equal(nbformatErrors(file), "", `${name} is valid nbformat 4`);
    }
  });

  it("shows the EDA charts and the model charts and tables", () => {
    const eda = figureTitles(readCells(path.join(out, "notebooks", "03-eda.ipynb"))).join("\n");
    for (const re of [/churn rate by gender/i, /churn rate by level/i, /churn rate by device/i, /churn rate by state/i, /per day/i, /page mix/i, /time between sessions/i, /session length/i]) assert.match(eda, re);
    const modelCells = readCells(path.join(out, "notebooks", "05-model.ipynb"));
    const model = figureTitles(modelCells).join("\n");
    for (const re of [/ROC/, /precision.recall/i, /calibration/i, /confusion/i, /importance/i, /coefficients/i]) assert.match(model, re);
    const comparison = tables(modelCells).find((t) => /best:/.test(t) || /pr_auc/.test(t));
    assert.ok(comparison, "a model comparison table");
    for (const kind of ["lr", "rf", "gbt"]) assert.match(comparison!, new RegExp(`>${kind}<`));
    assert.ok(tables(readCells(path.join(out, "notebooks", "04-features.ipynb"))).some((t) => /thumbs_down_per_song/.test(t)), "the feature dictionary is shown");
  });

  it("fills the run folder the way `run` does", () => {
    for (const f of ["data-report.json", "eda.json", "features.csv", "metrics.json", "models/lr.json", "models/rf.json", "models/gbt.json", "scores.csv"]) {
      assert.ok(fs.existsSync(path.join(out, f)) && fs.statSync(path.join(out, f)).size > 0, `${f} written`);
    }
    const report = JSON.parse(fs.readFileSync(path.join(out, "data-report.json"), "utf8"));
    const dropped = Object.values(report.dropped as Record<string, number>).reduce((a, b) => a + b, 0);
    assert.equal(report.lines, report.kept + dropped + report.quarantined);
    const metrics = JSON.parse(fs.readFileSync(path.join(out, "metrics.json"), "utf8"));
    assert.equal(metrics.mode, "forward");
    assert.equal(metrics.dataset.seed, 7);
  });

  it("runs 01-load through a real Jupyter client and the tslab kernel", function () {
    if (!pythonHas("nbclient", "nbformat", "jupyter_client")) this.skip();
    const jOut = tempDir("sparkify-project-nb-jupyter-");
    const r = cli(["notebooks", "--engine", "jupyter", "--only", "01", "--out", jOut, "--param", `input=${SAMPLE_DATASET}`]);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    const cells = readCells(path.join(jOut, "notebooks", "01-load.ipynb"));
    assert.ok(tables(cells).some((t) => /kept/.test(t)), "the accounting table is shown");
    assert.ok(figureTitles(cells).some((t) => /Events per day/.test(t)));
    assert.ok(fs.existsSync(path.join(jOut, "data-report.json")));
  });
});
