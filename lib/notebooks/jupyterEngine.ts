import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../config";
import { SparkifyError } from "../errors";
import { Notebook, cellSource, readNotebook, writeNotebook } from "./notebookFormat";

/** Debian's Python, which has jupyter_client, nbclient and nbformat (the python3 on PATH may not). */
export const JUPYTER_PYTHON = process.env.SPARKIFY_JUPYTER_PYTHON ?? "/usr/bin/python3";

/** One kernel folder per checkout: two checkouts on one machine must not reuse each other's kernel. */
function defaultKernelPrefix(): string {
  return path.join(os.tmpdir(), `sparkify-tslab-kernel-${createHash("sha256").update(PROJECT_ROOT).digest("hex").slice(0, 12)}`);
}

/** The tslab binary a kernel.json starts (argv[0]), or null when there is none or it is unreadable. */
function registeredBinary(spec: string): string | null {
  try {
    const argv = (JSON.parse(fs.readFileSync(spec, "utf8")) as { argv?: unknown }).argv;
    return Array.isArray(argv) && typeof argv[0] === "string" ? argv[0] : null;
  } catch {
    return null;
  }
}

/**
 * Registers the tslab kernel under `prefix` (default: a folder in the OS temp dir, reused) and
 * returns the JUPYTER_PATH that finds it. Nothing is installed into the user's Jupyter.
 */
export function installTslabKernel(prefix: string = defaultKernelPrefix()): string {
  const jupyterPath = path.join(prefix, "share", "jupyter");
  const binary = path.join(PROJECT_ROOT, "node_modules", ".bin", "tslab");
  const spec = path.join(jupyterPath, "kernels", "tslab", "kernel.json");
  if (registeredBinary(spec) === binary) return jupyterPath;
  const install = path.join(PROJECT_ROOT, "node_modules", "tslab", "python", "install.py");
  const r = spawnSync(JUPYTER_PYTHON, [install, `--tslab=${binary}`, `--prefix=${prefix}`], { encoding: "utf8" });
  if (r.status !== 0 || !fs.existsSync(spec)) {
    throw new SparkifyError("E_JUPYTER_MISSING", `Registering the tslab kernel with ${JUPYTER_PYTHON} failed: ${r.error?.message ?? `${r.stdout}${r.stderr}`.trim()} (needs Debian python3-ipykernel / jupyter-client).`);
  }
  return jupyterPath;
}

// Executes a notebook with nbclient in `cwd` and writes it, also when a cell fails; prints the
// failing cell's index (0-based) as JSON on the last line.
const NBCLIENT_SCRIPT = `
import json, sys, nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
src, out, cwd, timeout = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
nb = nbformat.read(src, as_version=4)
client = NotebookClient(nb, timeout=timeout, kernel_name="tslab", resources={"metadata": {"path": cwd}})
failed = None
count = 0
with client.setup_kernel():
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        if not cell.source.strip():
            continue
        try:
            client.execute_cell(cell, i)
        except CellExecutionError:
            failed = i
        count += 1
        # tslab's replies carry no execution count: number the cells like the in-process engine.
        cell.execution_count = count
        if failed is not None:
            break
nbformat.write(nb, out)
print(json.dumps({"failed": failed}))
`;

/** Outcome of {@link executeWithJupyter}: the failing cell (0-based) and its stderr, or null. */
export interface JupyterRun {
  failedCell: number | null;
  stderr: string;
}

/**
 * Executes `nb` through a real Jupyter client (nbclient + the tslab kernel found on
 * `jupyterPath`) with `cwd` as the kernel's working directory, and writes the executed copy to `out`.
 */
export async function executeWithJupyter(nb: Notebook, cwd: string, out: string, jupyterPath: string, timeoutSeconds = 600): Promise<JupyterRun> {
  const src = `${out}.input-${process.pid}.ipynb`;
  writeNotebook(src, nb);
  try {
    const child = spawn(JUPYTER_PYTHON, ["-c", NBCLIENT_SCRIPT, src, out, cwd, String(timeoutSeconds)], {
      env: { ...process.env, JUPYTER_PATH: jupyterPath },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", resolve);
    });
    const last = stdout.trim().split("\n").pop() ?? "";
    if (code !== 0 || !last.startsWith("{")) {
      throw new SparkifyError("E_JUPYTER_FAILED", `Jupyter (nbclient with the tslab kernel) did not run ${path.basename(out)}: ${stderr.trim().split("\n").slice(-8).join("\n")}`);
    }
    const failed = (JSON.parse(last) as { failed: number | null }).failed;
    if (failed === null) return { failedCell: null, stderr: "" };
    // tslab reports errors as stderr stream text: take it from the executed cell.
    const executed = readNotebook(out);
    const cell = executed.cells[failed];
    const text = (cell?.outputs ?? [])
      .map((o) => (o.output_type === "stream" && o.name === "stderr" ? o.text : o.output_type === "error" ? `${o.ename}: ${o.evalue}` : ""))
      .map((t) => (Array.isArray(t) ? t.join("") : t))
      .join("");
    return { failedCell: failed, stderr: text || (cell ? `(no error text; cell source: ${cellSource(cell).slice(0, 200)})` : stderr) };
  } finally {
    fs.rmSync(src, { force: true });
  }
}
