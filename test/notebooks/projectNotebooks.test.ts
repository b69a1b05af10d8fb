import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { toSparkExport } from "../../lib/events/sparkExport";
import { NOTEBOOKS_DIR } from "../../lib/notebooks/runNotebooks";
import { cellSource, hasTag, readNotebook } from "../../lib/notebooks/notebookFormat";
import { notebookParameters } from "../../lib/notebooks/parameters";
import { notebooksTypeErrors } from "../../lib/notebooks/typecheckNotebook";
import { checksNeeding } from "../helpers/systemSuites";
import { cli, nbformatErrors, readNotebookJson, streamText, tempDir, type NbCell } from "./nbTestUtil";

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

/** Displays of one MIME type, as text. */
function displays(cells: NbCell[], mime: "text/html" | "text/markdown" | "text/plain"): string[] {
  return cells.flatMap((c) => c.outputs ?? []).filter((o) => o.output_type === "display_data" && o.data?.[mime]).map((o) => String(o.data![mime]));
}

/** The text of the table displayed with `caption`. */
function tableText(cells: NbCell[], caption: RegExp): string {
  const t = displays(cells, "text/plain").find((x) => caption.test(x.split("\n")[0]));
  assert.ok(t, `a table captioned ${caption}`);
  return t;
}

/** Simulates the mini preset (the embedded default's size) with a seed. */
function simulateMini(file: string, seed: number): void {
  const r = cli(["simulate", "--preset", "mini", "--seed", String(seed), "--out", file]);
  assert.equal(r.status, 0, r.stderr);
}

/** Checks what every successful series must hold: exit 0, no error, no stderr, papermill records complete, valid nbformat. */
function assertCleanSeries(ctx: Mocha.Context, run: ReturnType<typeof cli>, out: string, names: string[]): void {
  const validate = checksNeeding(ctx, "jupyter", "nbformat validation");
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, new RegExp(`${names.length} notebook\\(s\\) executed`));
  for (const name of names) {
    const file = path.join(out, "notebooks", `${name}.ipynb`);
    const nb = readNotebookJson(file);
    assert.equal(nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.output_type === "error").length, 0, `${name} has error outputs`);
    assert.equal(streamText(nb.cells, "stderr"), "", `${name} wrote to stderr (a red box in Jupyter)`);
    assert.equal(nb.metadata.papermill!.exception, null);
    assert.ok(nb.cells.every((c) => (c.metadata.papermill as { status: string }).status === "completed"), `${name}: every cell completed`);
    if (validate) assert.equal(nbformatErrors(file), "", `${name} is valid nbformat 4`);
  }
}

describe("notebooks/ (the five project notebooks, as written)", function () {
  this.timeout(300_000);

  it("type-check as tslab compiles them, against the compiled library (coverage for kernels that do not check)", () => {
    const files = NOTEBOOKS.map((n) => path.join(NOTEBOOKS_DIR, `${n}.ipynb`));
    // A copy with a type error beside them (a dot-file: the runner ignores it) proves the check can fail.
    const broken = path.join(NOTEBOOKS_DIR, `.typecheck-${process.pid}.ipynb`);
    const nb = readNotebook(files[2]);
    const cell = nb.cells.findIndex((c) => c.cell_type === "code" && /source\.eda\(\)/.test(cellSource(c)));
    nb.cells[cell].source = `${cellSource(nb.cells[cell])}\nconst wrong: string = eda.pageMix;`;
    fs.writeFileSync(broken, JSON.stringify(nb));
    try {
      const errors = notebooksTypeErrors([...files, broken]);
      for (const f of files) assert.deepEqual(errors.get(f), [], f);
      const bad = errors.get(broken)!;
      assert.equal(bad.length, 1);
      assert.equal(bad[0].cell, cell + 1);
      assert.equal(bad[0].line, cellSource(nb.cells[cell]).split("\n").length);
      assert.match(bad[0].message, /^TS2322: Type 'PageMixRow\[\]' is not assignable to type 'string'/);
    } finally {
      fs.rmSync(broken, { force: true });
    }
  });

  it("03-eda reads the events through the pipeline's event source (openEventSource, source.eda()), not the store", () => {
    const code = readNotebook(path.join(NOTEBOOKS_DIR, "03-eda.ipynb")).cells.filter((c) => c.cell_type === "code").map(cellSource).join("\n");
    assert.match(code, /openEventSource\(/);
    assert.match(code, /source\.eda\(\)/);
    assert.match(code, /source\.edaUnavailable/, "a source that cannot give EDA says why (test/notebooks/remoteEngineNotebooks.test.ts runs it)");
    assert.match(code, /notebookEvents\(/, "02-clean's Parquet hand-over is kept");
    assert.doesNotMatch(code, /\b(openEvents|runEda|EventStore)\b/);
  });

  it("import the library from its front door only (lib/index.ts, built to dist/lib/index.js)", () => {
    for (const name of NOTEBOOKS) {
      const code = readNotebook(path.join(NOTEBOOKS_DIR, `${name}.ipynb`)).cells.filter((c) => c.cell_type === "code").map(cellSource).join("\n");
      const local = [...code.matchAll(/\bfrom\s+["'](\.[^"']*)["']/g)].map((m) => m[1]);
      assert.ok(local.length > 0, `${name} imports the library`);
      assert.deepEqual([...new Set(local)], ["../dist/lib/index.js"], name);
    }
  });

  it("teach: an opening, prose after outputs, exercises, and parameters cells that hold only what each notebook uses", () => {
    for (const name of NOTEBOOKS) {
      const nb = readNotebook(path.join(NOTEBOOKS_DIR, `${name}.ipynb`));
      const md = nb.cells.filter((c) => c.cell_type === "markdown").map(cellSource);
      assert.match(md[0], /^# \d\d · /, `${name} opens with its title`);
      assert.match(md[0], /\*\*What\.\*\*[\s\S]*\*\*Why/, `${name} says what and why`);
      const words = md.join(" ").split(/\s+/).length;
      assert.ok(words >= 350, `${name}: ${words} words of prose`);
      const exercises = md[md.length - 1];
      assert.match(exercises, /^## Exercises/);
      const items = exercises.match(/^\d\. /gm) ?? [];
      assert.ok(items.length >= 2 && items.length <= 3, `${name}: ${items.length} exercises`);
      assert.ok(!nb.cells.some((c, i) => c.cell_type === "markdown" && /^#+ [^\n]*$/.test(cellSource(c).trim()) && nb.cells[i + 1]?.cell_type === "markdown"), `${name}: a heading with no text under it`);
      const code = nb.cells.filter((c) => c.cell_type === "code" && !hasTag(c, "parameters")).map(cellSource).join("\n");
      for (const p of notebookParameters(nb)) assert.match(code, new RegExp(`\\b${p.name}\\b`), `${name} declares ${p.name} but does not use it`);
    }
    const model = readNotebook(path.join(NOTEBOOKS_DIR, "05-model.ipynb")).cells.map(cellSource).join("\n");
    assert.doesNotMatch(model, /original feature scale/, "the coefficient chart is standardised and the text says so");
    assert.match(model, /one standard deviation/);
  });
});

describe("notebooks/ (the five project notebooks, headless on fresh data)", function () {
  this.timeout(2_400_000);
  let work: string;
  let relA: ReturnType<typeof cli>;
  let spark: ReturnType<typeof cli>;
  let full: ReturnType<typeof cli>;

  before(() => {
    work = tempDir("sparkify-project-nb-");
    // Two freshly simulated mini sets (seeds 11 and 12); the second in the Spark re-export form.
    simulateMini(path.join(work, "mini-11.jsonl"), 11);
    const raw12 = path.join(work, "raw-12.jsonl");
    simulateMini(raw12, 12);
    const events = fs.readFileSync(raw12, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    fs.writeFileSync(path.join(work, "spark-12.jsonl"), toSparkExport(events).join("\n") + "\n");
    fs.rmSync(raw12);
    // Seed 11 forward, with a relative input path and a relative run folder (resolved against cwd).
    // 02-clean's Parquet goes to a relative interim_dir too (the default, ../data/interim, is the project's).
    relA = cli(["notebooks", "--out", "run-11", "--param", "input=mini-11.jsonl", "--param", "interim_dir=interim", "--param", "seed=7", "--param", "folds=3"], {}, work);
    // Seed 12 forward, Spark re-export, another horizon and label.
    spark = cli(["notebooks", "--out", path.join(work, "run-spark"), "--param", `input=${path.join(work, "spark-12.jsonl")}`, "--param", `interim_dir=${path.join(work, "interim-spark")}`, "--param", "seed=3", "--param", "horizon=21", "--param", "label=cancel-or-downgrade"]);
    // Full-history mode on seed 11: 04 and 05 are the notebooks the mode changes (01–03 take no mode).
    // Handed the Spark run's Parquet, which is another input's: 04 and 05 must load mini-11 itself.
    full = cli(["notebooks", "--only", "04,05", "--out", path.join(work, "run-full"), "--param", `input=${path.join(work, "mini-11.jsonl")}`, "--param", `interim_dir=${path.join(work, "interim-spark")}`, "--param", "mode=full-history", "--param", "folds=3"]);
  });

  it("forward mode, seed 11, relative paths: all five run cleanly and fill the run folder from the caller's folder", function () {
    const out = path.join(work, "run-11");
    assertCleanSeries(this, relA, out, NOTEBOOKS);
    const meta = readNotebookJson(path.join(out, "notebooks", "01-load.ipynb")).metadata.papermill!;
    assert.deepEqual(meta.parameters, { input: path.join(fs.realpathSync(work), "mini-11.jsonl"), out: path.join(fs.realpathSync(work), "run-11") });
    assert.deepEqual(Object.keys(readNotebookJson(path.join(out, "notebooks", "01-load.ipynb")).metadata.papermill!.default_parameters as object), ["input", "out"]);
    for (const f of ["data-report.json", "eda.json", "features.csv", "metrics.json", "models/lr.json", "models/rf.json", "models/gbt.json", "scores.csv"]) {
      assert.ok(fs.existsSync(path.join(out, f)) && fs.statSync(path.join(out, f)).size > 0, `${f} written`);
    }
    const report = JSON.parse(fs.readFileSync(path.join(out, "data-report.json"), "utf8"));
    assert.equal(report.sources[0].source, path.join(fs.realpathSync(work), "mini-11.jsonl"));
    const dropped = Object.values(report.dropped as Record<string, number>).reduce((a, b) => a + b, 0);
    assert.equal(report.lines, report.kept + dropped + report.quarantined);
    const metrics = JSON.parse(fs.readFileSync(path.join(out, "metrics.json"), "utf8"));
    assert.equal(metrics.mode, "forward");
    assert.equal(metrics.dataset.seed, 7);
    assert.equal(metrics.dataset.folds_requested, 3);
    // 02-clean handed the cleaned events on as Parquet; 03–05 read them and said so.
    const interim = path.join(fs.realpathSync(work), "interim");
    assert.ok(fs.existsSync(path.join(interim, "events", "_SUCCESS")) && fs.existsSync(path.join(interim, "data-report.json")), "02-clean wrote interim_dir");
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(interim, "data-report.json"), "utf8")).sources, report.sources);
    assert.match(tableText(readNotebookJson(path.join(out, "notebooks", "02-clean.ipynb")).cells, /^Cleaned events as Parquet, for 03–05/), new RegExp(`\\b${report.kept}\\b`));
    for (const name of ["03-eda", "04-features", "05-model"]) {
      assert.match(streamText(readNotebookJson(path.join(out, "notebooks", `${name}.ipynb`)).cells, "stdout"), new RegExp(`^Events: the cleaned events 02-clean wrote as Parquet to ${interim} \\(from ${path.join(fs.realpathSync(work), "mini-11.jsonl")}`, "m"), name);
    }
  });

  it("shows tables people can read: dates as dates, nulls counted, numbers rounded, prose that reads the numbers", () => {
    const nb = (n: string) => readNotebookJson(path.join(work, "run-11", "notebooks", `${n}.ipynb`)).cells;
    const events = tableText(nb("01-load"), /^The first cleaned events/);
    assert.match(events, /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/, "ts and registration as ISO instants");
    assert.doesNotMatch(events, /\b1[0-9]{12}\b/, "no epoch milliseconds");
    assert.match(events, /\bnull\b/, "missing song fields shown as null");
    const features = nb("04-features");
    const stats = tableText(features, /^Summary statistics/);
    assert.match(stats, /^\s*nulls\s/m, "describe reports nulls per column");
    assert.match(tableText(features, /^First rows/), /\b20\d\d-\d\d-\d\d\b/, "cutoffs as dates");
    // The leakage comparison: the prose quotes the numbers of the table computed above it.
    const leak = tableText(features, /^Logistic regression, cross-validated/);
    const prose = displays(features, "text/markdown").find((m) => /Full-history mode reaches ROC-AUC/.test(m));
    assert.ok(prose, "the leakage reading");
    const fullAuc = Number(/Full-history mode reaches ROC-AUC \*\*([\d.]+)\*\*/.exec(prose)![1]);
    const fwdAuc = Number(/forward mode, on the same events, \*\*([\d.]+)\*\*/.exec(prose)![1]);
    const rows = leak.split("\n").slice(2);
    const aucOf = (mode: string) => Number(rows.find((r) => r.includes(` ${mode} `))!.trim().split(/\s+/)[5]);
    assert.ok(Math.abs(aucOf("full-history") - fullAuc) < 0.0006 && Math.abs(aucOf("forward") - fwdAuc) < 0.0006, `${leak}\n${prose}`);
    const model = nb("05-model");
    const comparison = tableText(model, /^forward mode · /);
    for (const kind of ["lr", "rf", "gbt"]) assert.match(comparison, new RegExp(`\\s${kind}\\s`));
    // Metrics rounded for display: no figure below 1000 with more than 4 significant digits.
    const tooPrecise = (comparison.match(/\b\d+\.\d+\b/g) ?? []).filter((n) => n.replace(".", "").replace(/^0+/, "").length > 4);
    assert.deepEqual(tooPrecise, [], "metrics rounded for display");
    assert.match(streamText(model, "stdout"), /^TensorFlow\.js backend: (wasm|cpu|tensorflow)\n/m);
    for (const n of NOTEBOOKS) assert.ok(displays(nb(n), "text/markdown").some((m) => /\*\*Reading it\.\*\*/.test(m)), `${n} reads its outputs`);
    const titles = figureTitles(model).join("\n");
    for (const re of [/ROC/, /precision.recall/i, /calibration/i, /confusion/i, /importance/i, /standardised coefficients/i]) assert.match(titles, re);
    const eda = figureTitles(nb("03-eda")).join("\n");
    for (const re of [/churn rate by gender/i, /churn rate by level/i, /churn rate by device/i, /churn rate by state/i, /per day/i, /page mix/i, /time between sessions/i, /session length/i]) assert.match(eda, re);
  });

  it("forward mode on the Spark re-export (seed 12), horizon 21, cancel-or-downgrade", function () {
    const out = path.join(work, "run-spark");
    assertCleanSeries(this, spark, out, NOTEBOOKS);
    const report = JSON.parse(fs.readFileSync(path.join(out, "data-report.json"), "utf8"));
    assert.ok(report.flagged.normalise_user_id > 0, "numeric userIds were read and normalised");
    const metrics = JSON.parse(fs.readFileSync(path.join(out, "metrics.json"), "utf8"));
    assert.equal(metrics.horizon, 21);
    assert.equal(metrics.label, "cancel-or-downgrade");
    assert.equal(metrics.dataset.seed, 3);
    assert.match(displays(readNotebookJson(path.join(out, "notebooks", "02-clean.ipynb")).cells, "text/markdown").join("\n"), /Spark re-export, with numeric user ids/);
  });

  it("full-history mode (seed 11): 04 and 05 run, and the report of 04 compares it with forward", function () {
    const out = path.join(work, "run-full");
    assertCleanSeries(this, full, out, ["04-features", "05-model"]);
    assert.equal(JSON.parse(fs.readFileSync(path.join(out, "metrics.json"), "utf8")).mode, "full-history");
    for (const name of ["04-features", "05-model"]) {
      assert.match(streamText(readNotebookJson(path.join(out, "notebooks", `${name}.ipynb`)).cells, "stdout"), /^Events: loading and cleaning the raw input .*mini-11\.jsonl here; the cleaned events in .*interim-spark were converted from another input/m, name);
    }
    assert.ok(displays(readNotebookJson(path.join(out, "notebooks", "04-features.ipynb")).cells, "text/markdown").some((m) => /Full-history mode reaches ROC-AUC/.test(m)));
  });

  it("stops with the notebook, the cell and the reason in words when the input cannot support a step", () => {
    // A cutoff after the end of the data: nobody cancels in the label window.
    const r = cli(["notebooks", "--only", "04", "--out", path.join(work, "run-late"), "--param", `input=${path.join(work, "mini-11.jsonl")}`, "--param", `interim_dir=${path.join(work, "interim")}`, "--param", "cutoff=2030-01-01"]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /Notebook 04-features\.ipynb failed at cell 4 \(In \[4\]\): NotebookStop: no row is labelled churn \(\d+ rows, forward mode, cutoff 2030-01-01, horizon 14 days\): nobody cancels in the label window/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  });
});
