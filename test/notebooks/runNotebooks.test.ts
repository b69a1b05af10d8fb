import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { listNotebooks } from "../../lib/notebooks/runNotebooks";
import { ERROR_ANCHOR_MSG, ERROR_MARKER_TAG, ERROR_MESSAGE_TEMPLATE } from "../../lib/notebooks/papermill";
import { checksNeeding, requireSystem } from "../helpers/systemSuites";
import { FIXTURES, SYSTEM_PYTHON, cli, nbformatErrors, readNotebookJson, sourceOf, streamText, tempDir, type NbCell } from "./nbTestUtil";

const PNG_B64 = /^iVBORw0KGgo/;
// Python's datetime.isoformat() of a UTC time, as papermill writes it.
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/;

function pm(cell: NbCell): Record<string, unknown> {
  return cell.metadata.papermill as Record<string, unknown>;
}

function assertRanCell(cell: NbCell, status: "completed" | "failed"): void {
  const m = pm(cell);
  assert.deepEqual(Object.keys(m).sort(), ["duration", "end_time", "exception", "start_time", "status"]);
  assert.match(String(m.start_time), ISO_UTC);
  assert.match(String(m.end_time), ISO_UTC);
  assert.equal(typeof m.duration, "number");
  assert.ok((m.duration as number) >= 0);
  assert.equal(m.status, status);
  assert.equal(m.exception, status === "failed");
}

function assertUntouchedCell(cell: NbCell, status: "completed" | "pending"): void {
  assert.deepEqual(pm(cell), { exception: null, start_time: null, end_time: null, duration: null, status });
}

describe("notebooks/runNotebooks (headless runner through the CLI, papermill's conventions)", function () {
  this.timeout(300_000);

  it("lists notebooks in name order, filtered by prefix, and names a prefix that matches nothing", () => {
    assert.deepEqual(listNotebooks(path.join(FIXTURES, "failing")), ["01-fine.ipynb", "02-throws.ipynb", "03-after.ipynb"]);
    assert.deepEqual(listNotebooks(path.join(FIXTURES, "failing"), ["03", "01"]), ["01-fine.ipynb", "03-after.ipynb"]);
    assert.throws(() => listNotebooks(path.join(FIXTURES, "failing"), ["09"]), /No notebook in .* starts with "09"/);
  });

  it("runs every notebook with typed parameters, papermill metadata, relative paths from the caller's folder, and --log-output", function () {
    requireSystem(this, "chromium"); // show() sends a PNG beside the Plotly JSON, rendered by Chromium
    const cwd = tempDir("sparkify-nb-ok-");
    // --out and the out parameter are relative: both resolve against the folder the command runs in.
    const r = cli(["notebooks", "--notebooks-dir", path.join(FIXTURES, "ok"), "--out", "run", "--param", "out=shared", "--param", "seed=7", "--param", "label=42", "--param", "verbose=true", "--log-output"], {}, cwd);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /2 notebook\(s\) executed/);
    // --log-output streamed the outputs as they came.
    assert.match(r.stderr, /01-first\.ipynb Executing cell 4\n[\s\S]*seed=7 label=42 verbose=true typeof seed=number/);
    assert.match(r.stderr, /<Plotly figure: ROC seed 7>/);
    const first = path.join(cwd, "run", "notebooks", "01-first.ipynb");
    const second = path.join(cwd, "run", "notebooks", "02-second.ipynb");
    assert.ok(fs.existsSync(path.join(cwd, "shared", "from-01.json")), "the relative out parameter resolved against the caller's folder");
    const nb = readNotebookJson(first);
    const cells = nb.cells;
    // Notebook-level record, field by field.
    const meta = nb.metadata.papermill!;
    assert.deepEqual(Object.keys(meta).sort(), ["default_parameters", "duration", "end_time", "environment_variables", "exception", "input_path", "output_path", "parameters", "start_time"]);
    assert.deepEqual(meta.parameters, { out: path.join(fs.realpathSync(cwd), "shared"), seed: 7, label: 42, verbose: true });
    assert.deepEqual(meta.default_parameters, { out: "/tmp/sparkify-fixture-out", seed: 1, label: "default", verbose: false });
    assert.deepEqual(meta.environment_variables, {});
    assert.equal(meta.input_path, path.join(FIXTURES, "ok", "01-first.ipynb"));
    assert.equal(meta.output_path, fs.realpathSync(first));
    assert.match(String(meta.start_time), ISO_UTC);
    assert.match(String(meta.end_time), ISO_UTC);
    assert.ok(typeof meta.duration === "number" && meta.duration > 0);
    assert.equal(meta.exception, null);
    // The parameters cell keeps its defaults; the injected cell follows it with the typed values.
    assert.deepEqual(cells[1].metadata.tags, ["parameters"]);
    assert.deepEqual(cells[2].metadata.tags, ["injected-parameters"]);
    const injected = sourceOf(cells[2]);
    assert.match(injected, /let seed: number = 7;/);
    assert.match(injected, /let label = 42;/, "an untyped parameter is typed by its shape");
    assert.match(injected, /let verbose: boolean = true;/);
    // Cell records: markdown completed without times, code cells with times.
    assertUntouchedCell(cells[0], "completed");
    for (const c of cells.slice(1)) assertRanCell(c, "completed");
    assert.match(streamText(cells, "stdout"), /seed=7 label=42 verbose=true typeof seed=number/);
    assert.equal(streamText(cells, "stderr"), "", "no error output");
    // show(): Plotly JSON plus a PNG fallback; showTable(): HTML plus text, numbers rounded for display.
    const displays = cells.flatMap((c) => c.outputs ?? []).filter((o) => o.output_type === "display_data");
    const fig = displays.find((d) => d.data?.["application/vnd.plotly.v1+json"]);
    assert.ok(fig, "a Plotly figure was displayed");
    assert.equal((fig.data?.["application/vnd.plotly.v1+json"] as { layout: { title: { text: string } } }).layout.title.text, "ROC seed 7");
    assert.match(String(fig.data?.["image/png"]), PNG_B64);
    const table = displays.find((d) => d.data?.["text/html"]);
    assert.match(String(table?.data?.["text/html"]), /<table border="1" class="dataframe">[\s\S]*<td>0\.8123<\/td>/);
    assert.match(streamText([cells[cells.length - 1]], "stdout"), /^14\n$/);
    assert.deepEqual(cells.filter((c) => c.cell_type === "code").map((c) => c.execution_count), [1, 2, 3, 4, 5, 6, 7]);
    assert.match(streamText(readNotebookJson(second).cells, "stdout"), /02 read label=42/);
    assert.deepEqual(readNotebookJson(second).metadata.papermill!.parameters, { out: path.join(fs.realpathSync(cwd), "shared") }, "each notebook gets only the parameters it declares");
    if (checksNeeding(this, "jupyter", "nbformat validation")) for (const f of [first, second]) assert.equal(nbformatErrors(f), "", `${f} is valid nbformat 4`);
  });

  it("stops at a failing cell: exit 1, the error as an `error` output, papermill's markers, outputs up to the failure kept", function () {
    const out = tempDir("sparkify-nb-fail-");
    const r = cli(["notebooks", "--notebooks-dir", path.join(FIXTURES, "failing"), "--out", out, "--param", "n=5"]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /Notebook 02-throws\.ipynb failed at cell 4 \(In \[4\]\): Error: deliberate failure n=5\n/);
    assert.doesNotMatch(r.stderr, /at explode/, "no stack trace in the message");
    const failed = path.join(out, "notebooks", "02-throws.ipynb");
    assert.ok(fs.existsSync(path.join(out, "notebooks", "01-fine.ipynb")));
    assert.ok(!fs.existsSync(path.join(out, "notebooks", "03-after.ipynb")), "notebooks after the failure do not run");
    const nb = readNotebookJson(failed);
    const cells = nb.cells;
    // [0] message, [1] # title, [2] parameters, [3] injected, [4] "before", [5] anchor, [6] failing cell, [7] never runs
    assert.equal(cells.length, 8);
    assert.deepEqual(cells[0].metadata, { tags: [ERROR_MARKER_TAG] });
    assert.equal(sourceOf(cells[0]), ERROR_MESSAGE_TEMPLATE.replace("%s", "4"));
    assert.equal(sourceOf(cells[0]), `<span style="color:red; font-family:Helvetica Neue, Helvetica, Arial, sans-serif; font-size:2em;">An Exception was encountered at '<a href="#papermill-error-cell">In [4]</a>'.</span>`);
    assert.equal(cells[5].cell_type, "markdown");
    assert.deepEqual(cells[5].metadata, { tags: [ERROR_MARKER_TAG] });
    assert.equal(sourceOf(cells[5]), ERROR_ANCHOR_MSG);
    assert.match(ERROR_ANCHOR_MSG, /^<span id="papermill-error-cell" style="color:red;[^"]*">Execution using papermill encountered an exception here and stopped:<\/span>$/);
    assert.deepEqual(streamText([cells[4]], "stdout"), "before the failure\n", "outputs before the failure are kept");
    assertRanCell(cells[4], "completed");
    const bad = cells[6];
    assertRanCell(bad, "failed");
    assert.equal(bad.execution_count, 4);
    const errors = (bad.outputs ?? []).filter((o) => o.output_type === "error");
    assert.equal(errors.length, 1);
    assert.equal(errors[0].ename, "Error");
    assert.equal(errors[0].evalue, "deliberate failure n=5");
    assert.equal(errors[0].traceback![0], "Error: deliberate failure n=5");
    assert.ok(errors[0].traceback!.some((l) => /at explode/.test(l)), "the traceback holds the frames");
    assert.equal(streamText([bad], "stderr"), "", "the error is an error output, not stderr text");
    assertUntouchedCell(cells[7], "pending");
    assert.deepEqual(cells[7].outputs, []);
    assert.equal(cells[7].execution_count, null);
    assert.equal(nb.metadata.papermill!.exception, true);
    if (!checksNeeding(this, "jupyter", "nbformat and nbclient reading")) return;
    assert.equal(nbformatErrors(failed), "");
    // What a papermill-aware tool sees: nbformat reads it, nbclient renders the error with name and message.
    const py = spawnSync(SYSTEM_PYTHON, ["-c", `
import sys, nbformat
from nbclient.exceptions import CellExecutionError
nb = nbformat.read(sys.argv[1], as_version=4)
nbformat.validate(nb)
[(i, cell, out)] = [(i, c, o) for i, c in enumerate(nb.cells) for o in c.get("outputs", []) if o.output_type == "error"]
err = CellExecutionError.from_cell_and_msg(cell, out)
print(i, cell.metadata.papermill.status, nb.metadata.papermill.exception, err.ename, "|", err.evalue)
print(str(err).splitlines()[-1])
`, failed], { encoding: "utf8" });
    assert.equal(py.status, 0, py.stderr);
    const [head, last] = py.stdout.trim().split("\n");
    assert.equal(head, "6 failed True Error | deliberate failure n=5");
    assert.match(last, /Error: deliberate failure n=5/);
  });

  it("refuses an unknown parameter, listing each notebook's parameters, and a value its declared type cannot hold (exit 2, nothing run)", () => {
    const out = tempDir("sparkify-nb-params-");
    const unknown = cli(["notebooks", "--notebooks-dir", path.join(FIXTURES, "failing"), "--out", out, "--param", "n=2", "--param", "nn=3"]);
    assert.equal(unknown.status, 2, unknown.stderr);
    assert.match(unknown.stderr, /Unknown parameter nn: no notebook of this run declares it\. The notebooks' parameters:\n  01-fine\.ipynb: n: number\n  02-throws\.ipynb: n: number\n  03-after\.ipynb: \(no parameters cell\)/);
    const mistyped = cli(["notebooks", "--notebooks-dir", path.join(FIXTURES, "failing"), "--only", "01", "--out", out, "--param", "n=not-a-number"]);
    assert.equal(mistyped.status, 2);
    assert.match(mistyped.stderr, /Parameter n of 01-fine\.ipynb is a number \(declared `number`\), got "not-a-number"/);
    assert.ok(!fs.existsSync(path.join(out, "notebooks")) || fs.readdirSync(path.join(out, "notebooks")).length === 0, "no notebook ran");
  });

  it("fails a cell that runs past --execution-timeout with CellTimeoutError, keeping the earlier outputs", () => {
    const out = tempDir("sparkify-nb-timeout-");
    const r = cli(["notebooks", "--notebooks-dir", path.join(FIXTURES, "slow"), "--out", out, "--execution-timeout", "1"]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /Notebook 01-waits\.ipynb failed at cell 4 \(In \[3\]\): CellTimeoutError: A cell timed out while it was being executed, after 1 seconds\./);
    const cells = readNotebookJson(path.join(out, "notebooks", "01-waits.ipynb")).cells;
    assert.equal(sourceOf(cells[0]), ERROR_MESSAGE_TEMPLATE.replace("%s", "3"));
    assert.equal(streamText(cells, "stdout"), "before the wait\n");
    const timedOut = cells.find((c) => pm(c)?.status === "failed")!;
    assert.match(sourceOf(timedOut), /setTimeout/);
    assert.equal(timedOut.outputs?.find((o) => o.output_type === "error")?.ename, "CellTimeoutError");
    assertUntouchedCell(cells[cells.length - 1], "pending");
  });
});
