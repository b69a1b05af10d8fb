// Which Python runs Jupyter is an option of the library (runNotebooks / installKernel `python`), not an
// environment variable it reads: only the CLI maps SPARKIFY_JUPYTER_PYTHON, as the default of --python.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../lib/config";
import { SparkifyError } from "../../lib/errors";
import { installKernel } from "../../lib/notebooks/jupyterEngine";
import { runNotebooks } from "../../lib/notebooks/runNotebooks";

const BOGUS = "/nonexistent/sparkify-python";
const BIN = path.join(PROJECT_ROOT, "bin", "sparkify-churn.js");

describe("notebooks: the Python that runs Jupyter", function () {
  this.timeout(120_000);
  let tmp: string;
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "jupyter-python-"))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("is the `python` option of installKernel, named in the error when it does not run", () => {
    assert.throws(() => installKernel("tslab", tmp, BOGUS), (e: unknown) => e instanceof SparkifyError && e.code === "E_TOOL_MISSING" && e.message.includes(BOGUS));
  });

  it("is the `python` option of runNotebooks with the Jupyter engine", async () => {
    await assert.rejects(
      runNotebooks({ outDir: tmp, only: ["01"], engine: "jupyter", build: false, python: BOGUS, kernelPrefix: undefined, log: () => undefined }),
      (e: unknown) => e instanceof SparkifyError && e.code === "E_TOOL_MISSING" && e.message.includes(BOGUS),
    );
  });

  it("is not read from SPARKIFY_JUPYTER_PYTHON by the library", () => {
    const script = `const j = require(${JSON.stringify(path.join(PROJECT_ROOT, "lib/notebooks/jupyterEngine"))}); process.stdout.write(j.installKernel("tslab", ${JSON.stringify(tmp)}));`;
    const r = spawnSync(process.execPath, ["-r", "tsx/cjs", "-e", script], { cwd: PROJECT_ROOT, encoding: "utf8", env: { ...process.env, SPARKIFY_JUPYTER_PYTHON: BOGUS } });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, path.join(tmp, "share", "jupyter"));
  });

  it("defaults to SPARKIFY_JUPYTER_PYTHON in the CLI (`kernel install`)", () => {
    const r = spawnSync(process.execPath, [BIN, "kernel", "install", "--prefix", tmp], { encoding: "utf8", env: { ...process.env, SPARKIFY_JUPYTER_PYTHON: BOGUS } });
    assert.equal(r.status, 69, `${r.stdout}${r.stderr}`);
    assert.match(r.stderr, new RegExp(BOGUS));
  });
});
