import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { EXIT_CODES } from "../../lib/cli/exitCodes";
import { SAMPLE_DATASET } from "../../lib/config";
import { TSLAB_BINARY, errorFromStderr, installTslabKernel } from "../../lib/notebooks/jupyterEngine";
import { requireSystem } from "../helpers/systemSuites";
import { FIXTURES, cli, nbformatErrors, readNotebookJson, streamText, tempDir } from "./nbTestUtil";

const PLOTLY = "application/vnd.plotly.v1+json";

describe("notebooks/jupyterEngine (a real Jupyter client and the tslab kernel as `kernel install` registers it)", function () {
  this.timeout(600_000);
  let prefix: string;

  before(function () {
    requireSystem(this, "jupyter");
    prefix = tempDir("sparkify-kernel-");
  });

  it("reads a kernel's stderr error report into ename, evalue and traceback", () => {
    assert.deepEqual(errorFromStderr("Error: deliberate failure n=1\n    at explode (evalmachine.<anonymous>:4:11)\n"), {
      ename: "Error", evalue: "deliberate failure n=1", traceback: ["Error: deliberate failure n=1", "    at explode (evalmachine.<anonymous>:4:11)"],
    });
    assert.equal(errorFromStderr("SparkifyError: no events\nsecond line\n    at x (y:1:1)")?.evalue, "no events\nsecond line");
    assert.equal(errorFromStderr("just text"), null);
  });

  it("kernel install --prefix: absolute argv, written under the prefix; a Python without jupyter_client is refused", () => {
    const r = cli(["kernel", "install", "--prefix", prefix]);
    assert.equal(r.status, 0, r.stderr);
    const spec = path.join(prefix, "share", "jupyter", "kernels", "tslab", "kernel.json");
    assert.match(r.stdout, new RegExp(`registered kernel "tslab".*${spec.replace(/[/.]/g, "\\$&")}`));
    assert.match(r.stdout, new RegExp(`JUPYTER_PATH=${path.join(prefix, "share", "jupyter").replace(/[/.]/g, "\\$&")}`));
    const kernel = JSON.parse(fs.readFileSync(spec, "utf8"));
    assert.deepEqual(kernel.argv, [TSLAB_BINARY, "kernel", "--config-path", "{connection_file}"]);
    assert.ok(path.isAbsolute(kernel.argv[0]) && fs.existsSync(kernel.argv[0]), "argv[0] is an absolute path that exists");
    assert.equal(kernel.language, "typescript");
    const python = tempDir("sparkify-nopython-");
    const fake = path.join(python, "python3");
    fs.writeFileSync(fake, "#!/bin/sh\necho 'No module named jupyter_client' >&2\nexit 1\n", { mode: 0o755 });
    const bad = cli(["kernel", "install", "--prefix", python, "--python", fake]);
    assert.equal(bad.status, EXIT_CODES.E_TOOL_MISSING);
    assert.match(bad.stderr, /has no jupyter_client, so Jupyter could not start the kernel/);
    assert.ok(!fs.existsSync(path.join(python, "share")), "nothing registered");
  });

  it("runs notebooks through nbclient with that kernel: outputs, papermill records, and a failure as a real `error` output", () => {
    const out = tempDir("sparkify-nb-jupyter-");
    const r = cli(["notebooks", "--engine", "jupyter", "--kernel-prefix", prefix, "--notebooks-dir", path.join(FIXTURES, "ok"), "--only", "01", "--out", out, "--param", "seed=3"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /01-first\.ipynb: 8 cells in .* \(Jupyter, tslab\)/);
    const file = path.join(out, "notebooks", "01-first.ipynb");
    assert.equal(nbformatErrors(file), "");
    const nb = readNotebookJson(file);
    assert.deepEqual(nb.cells[2].metadata.tags, ["injected-parameters"]);
    assert.match(streamText(nb.cells, "stdout"), /seed=3 label=default verbose=false typeof seed=number/);
    assert.equal(streamText(nb.cells, "stderr"), "");
    const fig = nb.cells.flatMap((c) => c.outputs ?? []).find((o) => o.data?.[PLOTLY]);
    assert.ok(fig, "the kernel sent the Plotly bundle");
    assert.match(String(fig.data?.["image/png"]), /^iVBORw0KGgo/);
    assert.deepEqual(nb.cells.filter((c) => c.cell_type === "code").map((c) => c.execution_count), [1, 2, 3, 4, 5, 6, 7]);
    assert.ok(nb.cells.slice(1).every((c) => (c.metadata.papermill as { status: string }).status === "completed"));
    assert.deepEqual(nb.metadata.papermill!.parameters, { seed: 3, out: path.resolve(out) });

    const failing = cli(["notebooks", "--engine", "jupyter", "--kernel-prefix", prefix, "--notebooks-dir", path.join(FIXTURES, "failing"), "--only", "02", "--out", out]);
    assert.equal(failing.status, 1, failing.stderr);
    assert.match(failing.stderr, /Notebook 02-throws\.ipynb failed at cell 4 \(In \[3\]\): Error: deliberate failure n=1/);
    const cells = readNotebookJson(path.join(out, "notebooks", "02-throws.ipynb")).cells;
    const bad = cells.find((c) => (c.metadata.papermill as { status?: string } | undefined)?.status === "failed")!;
    const err = (bad.outputs ?? []).filter((o) => o.output_type === "error");
    assert.equal(err.length, 1, "one error output (not nbconvert's empty <Error>:)");
    assert.deepEqual([err[0].ename, err[0].evalue], ["Error", "deliberate failure n=1"]);
    assert.equal(streamText([bad], "stderr"), "", "tslab's stderr report became the error output");
    assert.match(String(cells[0].source), /In \[3\]/);
  });

  it("runs the project's 01-load through Jupyter with that kernel", () => {
    const out = tempDir("sparkify-project-nb-jupyter-");
    const r = cli(["notebooks", "--engine", "jupyter", "--kernel-prefix", prefix, "--only", "01", "--out", out, "--param", `input=${SAMPLE_DATASET}`]);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    const cells = readNotebookJson(path.join(out, "notebooks", "01-load.ipynb")).cells;
    const html = cells.flatMap((c) => c.outputs ?? []).filter((o) => o.data?.["text/html"]).map((o) => String(o.data!["text/html"]));
    assert.ok(html.some((t) => /kept/.test(t)), "the accounting table is shown");
    assert.ok(cells.flatMap((c) => c.outputs ?? []).some((o) => (o.data?.[PLOTLY] as { layout?: { title?: { text?: string } } } | undefined)?.layout?.title?.text === "Events per day"));
    assert.ok(fs.existsSync(path.join(out, "data-report.json")));
  });

  it("re-registers a kernel left by another checkout, even one whose path ends in this one's", () => {
    const other = tempDir("sparkify-kernel-prefix-");
    const spec = path.join(other, "share", "jupyter", "kernels", "tslab", "kernel.json");
    fs.mkdirSync(path.dirname(spec), { recursive: true });
    fs.writeFileSync(spec, JSON.stringify({ argv: [`/elsewhere${TSLAB_BINARY}`, "kernel", "--config-path", "{connection_file}"] }));
    assert.equal(installTslabKernel(other), path.join(other, "share", "jupyter"));
    assert.equal(JSON.parse(fs.readFileSync(spec, "utf8")).argv[0], TSLAB_BINARY);
  });
});
