import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { listNotebooks } from "../../lib/notebooks/runNotebooks";
import { FIXTURES, cli, nbformatErrors, pythonHas, readCells, streamText, tempDir } from "./nbTestUtil";

const PNG_B64 = /^iVBORw0KGgo/;

describe("notebooks/runNotebooks (headless runner through the CLI)", function () {
  this.timeout(300_000);

  it("lists notebooks in name order, filtered by prefix, and names a prefix that matches nothing", () => {
    assert.deepEqual(listNotebooks(path.join(FIXTURES, "failing")), ["01-fine.ipynb", "02-throws.ipynb", "03-after.ipynb"]);
    assert.deepEqual(listNotebooks(path.join(FIXTURES, "failing"), ["03", "01"]), ["01-fine.ipynb", "03-after.ipynb"]);
    assert.throws(() => listNotebooks(path.join(FIXTURES, "failing"), ["09"]), /No notebook in .* starts with "09"/);
  });

  it("runs every notebook in order with injected, typed parameters and writes valid executed copies", () => {
    const out = tempDir("sparkify-nb-ok-");
    const r = cli(["notebooks", "--notebooks-dir", path.join(FIXTURES, "ok"), "--out", out, "--param", "seed=7", "--param", "label=from-cli", "--param", "verbose=true"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /2 notebook\(s\) executed/);
    const first = path.join(out, "notebooks", "01-first.ipynb");
    const second = path.join(out, "notebooks", "02-second.ipynb");
    const cells = readCells(first);
    // The parameters cell keeps its defaults; the injected cell follows it with the typed values.
    assert.deepEqual(cells[1].metadata.tags, ["parameters"]);
    assert.deepEqual(cells[2].metadata.tags, ["injected-parameters"]);
    const injected = Array.isArray(cells[2].source) ? cells[2].source.join("") : cells[2].source;
    assert.match(injected, /let seed: number = 7;/);
    assert.match(injected, /let label = "from-cli";/);
    assert.match(injected, /let verbose: boolean = true;/);
    assert.match(injected, new RegExp(`let out: string = ${JSON.stringify(out).replace(/[/\\]/g, "\\$&")};`), "--out becomes the out parameter");
    assert.match(streamText(cells, "stdout"), /seed=7 label=from-cli verbose=true typeof seed=number/);
    assert.equal(streamText(cells, "stderr"), "", "no error output");
    // show(): Plotly JSON plus a PNG fallback; showTable(): HTML plus text.
    const displays = cells.flatMap((c) => c.outputs ?? []).filter((o) => o.output_type === "display_data");
    const fig = displays.find((d) => d.data?.["application/vnd.plotly.v1+json"]);
    assert.ok(fig, "a Plotly figure was displayed");
    const plotly = fig.data?.["application/vnd.plotly.v1+json"] as { layout: { title: { text: string } } };
    assert.equal(plotly.layout.title.text, "ROC seed 7");
    assert.match(String(fig.data?.["image/png"]), PNG_B64);
    const table = displays.find((d) => d.data?.["text/html"]);
    assert.match(String(table?.data?.["text/html"]), /<table border="1" class="dataframe">[\s\S]*0\.812346/);
    // The last expression's value is printed, execution counts run 1..n over code cells.
    assert.match(streamText([cells[cells.length - 1]], "stdout"), /^14\n$/);
    assert.deepEqual(cells.filter((c) => c.cell_type === "code").map((c) => c.execution_count), [1, 2, 3, 4, 5, 6, 7]);
    // The second notebook read what the first wrote into the run folder.
    assert.match(streamText(readCells(second), "stdout"), /02 read label=from-cli/);
    if (pythonHas("nbformat")) for (const f of [first, second]) assert.equal(nbformatErrors(f), "", `${f} is valid nbformat 4`);
  });

  it("stops at the first failing cell with the notebook, the cell number, the error text and a non-zero exit", () => {
    const out = tempDir("sparkify-nb-fail-");
    const r = cli(["notebooks", "--notebooks-dir", path.join(FIXTURES, "failing"), "--out", out, "--param", "n=5"]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /Notebook 02-throws\.ipynb failed at cell 5:/);
    assert.match(r.stderr, /Error: deliberate failure n=5/);
    const failed = path.join(out, "notebooks", "02-throws.ipynb");
    assert.ok(fs.existsSync(path.join(out, "notebooks", "01-fine.ipynb")));
    assert.ok(fs.existsSync(failed), "the failing notebook is written with its outputs");
    assert.ok(!fs.existsSync(path.join(out, "notebooks", "03-after.ipynb")), "notebooks after the failure do not run");
    const cells = readCells(failed);
    assert.match(streamText([cells[4]], "stderr"), /deliberate failure n=5/);
    assert.equal((cells[5].outputs ?? []).length, 0, "cells after the failure have no outputs");
    assert.equal(cells[5].execution_count, null);
    if (pythonHas("nbformat")) assert.equal(nbformatErrors(failed), "");
  });

  it("runs only the notebooks asked for, and reports a type error in the injected parameters", () => {
    const out = tempDir("sparkify-nb-only-");
    const bad = cli(["notebooks", "--notebooks-dir", path.join(FIXTURES, "failing"), "--only", "01", "--out", out, "--param", "n=not-a-number"]);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /Notebook 01-fine\.ipynb failed at cell 3:[\s\S]*Type 'string' is not assignable to type 'number'/);
    assert.deepEqual(fs.readdirSync(path.join(out, "notebooks")), ["01-fine.ipynb"]);
  });
});
