import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../lib/config";
import { installTslabKernel } from "../../lib/notebooks/jupyterEngine";
import { systemIt } from "../helpers/systemSuites";
import { FIXTURES, cli, nbformatErrors, readCells, streamText, tempDir } from "./nbTestUtil";

describe("notebooks/jupyterEngine (a real Jupyter client and tslab kernel)", function () {
  this.timeout(300_000);

  systemIt("jupyter")("executes a notebook through nbclient with the tslab kernel registered under a temporary prefix", () => {
    const out = tempDir("sparkify-nb-jupyter-");
    const r = cli(["notebooks", "--engine", "jupyter", "--notebooks-dir", path.join(FIXTURES, "ok"), "--only", "01", "--out", out, "--param", "seed=3"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /01-first\.ipynb: 8 cells in .* \(Jupyter\)/);
    const file = path.join(out, "notebooks", "01-first.ipynb");
    assert.equal(nbformatErrors(file), "");
    const cells = readCells(file);
    assert.deepEqual(cells[2].metadata.tags, ["injected-parameters"]);
    assert.match(streamText(cells, "stdout"), /seed=3 label=default verbose=false typeof seed=number/);
    assert.equal(streamText(cells, "stderr"), "");
    const fig = cells.flatMap((c) => c.outputs ?? []).find((o) => o.data?.["application/vnd.plotly.v1+json"]);
    assert.ok(fig, "the kernel sent the Plotly bundle");
    assert.match(String(fig.data?.["image/png"]), /^iVBORw0KGgo/);
    assert.deepEqual(cells.filter((c) => c.cell_type === "code").map((c) => c.execution_count), [1, 2, 3, 4, 5, 6, 7]);
  });

  systemIt("jupyter")("re-registers a kernel left by another checkout, even one whose path ends in this one's", () => {
    const prefix = tempDir("sparkify-kernel-prefix-");
    const spec = path.join(prefix, "share", "jupyter", "kernels", "tslab", "kernel.json");
    const ours = path.join(PROJECT_ROOT, "node_modules", ".bin", "tslab");
    fs.mkdirSync(path.dirname(spec), { recursive: true });
    fs.writeFileSync(spec, JSON.stringify({ argv: [`/elsewhere${ours}`, "kernel", "--config-path", "{connection_file}"] }));
    try {
      assert.equal(installTslabKernel(prefix), path.join(prefix, "share", "jupyter"));
      assert.equal(JSON.parse(fs.readFileSync(spec, "utf8")).argv[0], ours);
    } finally {
      fs.rmSync(prefix, { recursive: true, force: true });
    }
  });
});
