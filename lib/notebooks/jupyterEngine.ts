import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../config";
import { SparkifyError } from "../errors";
import { writeFileAtomic } from "../io";
import { Notebook, cellSource, readNotebook, writeNotebook } from "./notebookFormat";
import { cellFinished, cellStarted } from "./papermill";

/**
 * The Python that runs Jupyter unless a `python` option names another: Debian's, which has jupyter_client,
 * nbclient and nbformat (the python3 on PATH may not). The CLI's --python (default SPARKIFY_JUPYTER_PYTHON) overrides it.
 */
export const DEFAULT_JUPYTER_PYTHON = "/usr/bin/python3";

/** One kernel folder per checkout: two checkouts on one machine must not reuse each other's kernel. */
export function defaultKernelPrefix(): string {
  return path.join(os.tmpdir(), `sparkify-tslab-kernel-${createHash("sha256").update(PROJECT_ROOT).digest("hex").slice(0, 12)}`);
}

/** The absolute path of the tslab binary this checkout's kernelspec starts. */
export const TSLAB_BINARY = path.join(PROJECT_ROOT, "node_modules", ".bin", "tslab");

/** The Deno version package.json pins (the npm package `deno`); the Deno kernel's tests cover it. */
export const DENO_VERSION = "2.9.6";

/** The kernels the notebooks run on: tslab (the default, type-checks cells) or Deno's built-in kernel. */
export type KernelName = "tslab" | "deno";

/**
 * The Deno executable of the npm package `deno` in this checkout: the copy its install step puts
 * beside it, else the one in its platform package (npm 11 skips unapproved install steps).
 */
export function denoBinary(): string {
  const candidates = [path.join(PROJECT_ROOT, "node_modules", "deno", "deno")];
  const libc = process.platform === "linux" ? "-glibc" : "";
  candidates.push(path.join(PROJECT_ROOT, "node_modules", "@deno", `${process.platform}-${process.arch}${libc}`, "deno"));
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new SparkifyError("E_TOOL_MISSING", `Deno is not installed in ${PROJECT_ROOT} (looked for ${candidates.join(", ")}): run npm install (the deno package, ${DENO_VERSION}).`);
  const v = spawnSync(found, ["--version"], { encoding: "utf8" });
  const version = /^deno (\S+)/.exec(v.stdout ?? "")?.[1];
  if (version !== DENO_VERSION) throw new SparkifyError("E_TOOL_MISSING", `${found} is Deno ${version ?? "(does not run)"}, not the ${DENO_VERSION} the notebooks are tested with: run npm install.`);
  return found;
}

/** The kernelspec file of kernel `name` under an install prefix. */
export function kernelSpecPath(prefix: string, name: KernelName = "tslab"): string {
  return path.join(prefix, "share", "jupyter", "kernels", name, "kernel.json");
}

/** The program a kernel.json starts (argv[0]), or null when there is none or it is unreadable. */
function registeredBinary(spec: string): string | null {
  try {
    const argv = (JSON.parse(fs.readFileSync(spec, "utf8")) as { argv?: unknown }).argv;
    return Array.isArray(argv) && typeof argv[0] === "string" ? argv[0] : null;
  } catch {
    return null;
  }
}

/**
 * Checks that `python` runs and can import jupyter_client (what Jupyter needs to start a kernel);
 * throws naming the Python and the Debian or pip packages that provide it.
 */
export function checkJupyterPython(python: string = DEFAULT_JUPYTER_PYTHON): void {
  const r = spawnSync(python, ["-c", "import jupyter_client, sys; print(sys.executable)"], { encoding: "utf8" });
  if (r.error) throw new SparkifyError("E_TOOL_MISSING", `Python ${python} does not run (${r.error.message}); pass --python with a Python that has Jupyter (Debian: /usr/bin/python3 with jupyter-client; or a venv with jupyterlab).`);
  if (r.status !== 0) throw new SparkifyError("E_TOOL_MISSING", `Python ${python} has no jupyter_client, so Jupyter could not start the kernel: install it there (Debian: apt-get install jupyter-client python3-ipykernel; a venv: pip install jupyterlab) or pass --python with one that has it.`);
}

/** Result of {@link installTslabKernel}. */
export interface KernelInstall {
  /** The folder to put on JUPYTER_PATH (`<prefix>/share/jupyter`); "" for the user's own Jupyter folder. */
  jupyterPath: string;
  /** The kernel.json written. */
  spec: string;
  /** Its contents. */
  kernel: { argv: string[]; display_name: string; language: string };
}

/**
 * Registers the tslab kernel with absolute paths: argv[0] is this checkout's
 * `node_modules/.bin/tslab` (no PATH lookup), checked to exist, under `prefix` (or the user's
 * Jupyter data folder when `prefix` is null). The kernel.json is written whole (temporary file, then rename).
 */
export function writeTslabKernel(prefix: string | null, python: string = DEFAULT_JUPYTER_PYTHON): KernelInstall {
  return writeKernel("tslab", prefix, python);
}

/** The kernel.json of a kernel, with absolute paths. */
export function kernelSpec(kernel: KernelName): KernelInstall["kernel"] {
  if (kernel === "deno") return { argv: [denoBinary(), "jupyter", "--kernel", "--conn", "{connection_file}"], display_name: `Deno ${DENO_VERSION} (TypeScript)`, language: "typescript" };
  if (!fs.existsSync(TSLAB_BINARY)) throw new SparkifyError("E_TOOL_MISSING", `tslab is not installed in ${PROJECT_ROOT} (${TSLAB_BINARY} is missing): run npm install.`);
  return { argv: [TSLAB_BINARY, "kernel", "--config-path", "{connection_file}"], display_name: "TypeScript (tslab)", language: "typescript" };
}

/**
 * Registers `kernel` (tslab or Deno) with absolute paths under `prefix` (or the user's Jupyter data
 * folder when null), after checking that `python` has jupyter_client. Deno's kernel takes no flags:
 * the notebooks import `…/index.js` (no directory imports), and package.json's `"type": "commonjs"`
 * makes Deno load dist/ as CommonJS.
 */
export function writeKernel(name: KernelName, prefix: string | null, python: string = DEFAULT_JUPYTER_PYTHON): KernelInstall {
  const kernel = kernelSpec(name);
  checkJupyterPython(python);
  let dataDir: string;
  if (prefix) dataDir = path.join(path.resolve(prefix), "share", "jupyter");
  else {
    const r = spawnSync(python, ["-c", "from jupyter_core.paths import jupyter_data_dir; print(jupyter_data_dir())"], { encoding: "utf8" });
    if (r.status !== 0) throw new SparkifyError("E_TOOL_MISSING", `Could not ask ${python} for the Jupyter data folder: ${r.stderr.trim()}`);
    dataDir = r.stdout.trim();
  }
  const spec = path.join(dataDir, "kernels", name, "kernel.json");
  fs.mkdirSync(path.dirname(spec), { recursive: true });
  writeFileAtomic(spec, JSON.stringify(kernel, null, 1) + "\n");
  return { jupyterPath: prefix ? dataDir : "", spec, kernel };
}

/**
 * Registers the tslab kernel under `prefix` (default: a folder in the OS temp dir, reused) the way
 * `sparkify-churn kernel install --prefix` does, and returns the JUPYTER_PATH that finds it.
 */
export function installTslabKernel(prefix: string = defaultKernelPrefix(), python: string = DEFAULT_JUPYTER_PYTHON): string {
  return installKernel("tslab", prefix, python);
}

/**
 * Registers `kernel` under `prefix` (default: a reused folder in the OS temp dir) unless already there
 * (then checking first that `python` has jupyter_client); returns its JUPYTER_PATH.
 */
export function installKernel(kernel: KernelName, prefix: string = defaultKernelPrefix(), python: string = DEFAULT_JUPYTER_PYTHON): string {
  const spec = kernelSpecPath(prefix, kernel);
  if (registeredBinary(spec) === kernelSpec(kernel).argv[0]) return path.join(prefix, "share", "jupyter");
  return writeKernel(kernel, prefix, python).jupyterPath;
}

// Executes a notebook with nbclient in `cwd`, cell by cell, and writes it, also when a cell fails;
// prints a JSON record of when each cell ran and how the first failure ended as its last line.
// With --log-output, each output is printed to stderr as it arrives (the `output` hook).
const NBCLIENT_SCRIPT = `
import json, sys, time, nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
src, out, cwd, timeout, kernel, log = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6] == "1"

class Client(NotebookClient):
    def output(self, outs, msg, display_id, cell_index):
        o = super().output(outs, msg, display_id, cell_index)
        if log and o is not None:
            text = o.get("text") if o.get("output_type") == "stream" else (o.get("data") or {}).get("text/plain", "<" + ", ".join((o.get("data") or {}).keys()) + ">") + "\\n"
            if o.get("output_type") == "error":
                text = o.get("ename", "") + ": " + o.get("evalue", "") + "\\n"
            sys.stderr.write(text if isinstance(text, str) else "".join(text))
            sys.stderr.flush()
        return o

nb = nbformat.read(src, as_version=4)
client = Client(nb, timeout=(float(timeout) if timeout != "0" else None), kernel_name=kernel, resources={"metadata": {"path": cwd}})
cells, failed, error = {}, None, None
count = 0
last = {"id": None, "execute": None}

def flush(cell, index):
    # Deno 2.9 may report a cell idle before its last broadcast leaves the kernel. A no-op request
    # that waits one macrotask lets those messages out; everything that arrives for the cell before
    # the no-op's idle is added to it, in order.
    noop = last["execute"]("await new Promise((r) => setTimeout(r, 0));", store_history=False, allow_stdin=False)
    while True:
        msg = run_sync(client.kc.get_iopub_msg)(timeout=60)
        parent = msg["parent_header"].get("msg_id")
        if parent == last["id"] and msg["msg_type"] not in ("status", "execute_input"):
            client.process_message(msg, cell, index)
        elif parent == noop and msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break

with client.setup_kernel():
    last["execute"] = execute = client.kc.execute
    def tracked(*a, **k):
        # The id of each cell's request, to recognise its late messages (the flush sends its own untracked).
        last["id"] = execute(*a, **k)
        return last["id"]
    client.kc.execute = tracked
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        cell.outputs = []
        if log:
            sys.stderr.write("Executing cell %d\\n" % (i + 1))
        start = time.time()
        try:
            client.execute_cell(cell, i)
        except CellTimeoutError as e:
            failed, error = i, {"ename": "CellTimeoutError", "evalue": str(e).strip().split("\\n")[0]}
        except CellExecutionError as e:
            failed, error = i, {"ename": getattr(e, "ename", "") or "", "evalue": getattr(e, "evalue", "") or ""}
        except DeadKernelError as e:
            failed, error = i, {"ename": "DeadKernelError", "evalue": str(e)}
        if kernel == "deno" and failed is None:
            flush(cell, i)
        count += 1
        # tslab's replies carry no execution count: number the cells like the in-process engine.
        cell.execution_count = count
        cells[i] = {"start": start * 1000, "end": time.time() * 1000, "ok": failed is None}
        if failed is not None:
            break
nbformat.write(nb, out)
print(json.dumps({"cells": cells, "failed": failed, "error": error}))
`;

/** Options of {@link executeWithJupyter}. */
export interface JupyterExecuteOptions {
  /** Seconds per cell before nbclient interrupts it (CellTimeoutError); none when absent. */
  timeoutSeconds?: number;
  /** Receives each output line as it arrives (`--log-output`). */
  logOutput?: (line: string) => void;
  /** Kernel name on `jupyterPath` (default "tslab"). */
  kernel?: KernelName;
  /** The Python that runs nbclient (default {@link DEFAULT_JUPYTER_PYTHON}). */
  python?: string;
}

/**
 * A kernel's error reported as stderr text (tslab does this) turned into an `error` output: the
 * first "Name: message" line gives ename and evalue, the text the traceback. Returns null when the
 * text holds no such line.
 */
export function errorFromStderr(text: string): { ename: string; evalue: string; traceback: string[] } | null {
  const lines = text.replace(/\n+$/, "").split("\n");
  const head = lines.findIndex((l) => /^[A-Za-z_$][\w$.]*(Error|Exception)\b[^:]*: /.test(l) || /^[A-Za-z_$][\w$.]*: /.test(l));
  if (head < 0) return null;
  const m = /^([^:]+): ([\s\S]*)$/.exec(lines[head])!;
  const rest = lines.slice(head + 1);
  const frames = rest.findIndex((l) => /^\s+at /.test(l));
  const message = [m[2], ...(frames < 0 ? [] : rest.slice(0, frames))].join("\n").trim();
  return { ename: m[1].trim(), evalue: message, traceback: lines };
}

/**
 * Executes `nb` (parameters injected, papermill record started) through a real Jupyter client:
 * nbclient and the kernel found on `jupyterPath`, with `cwd` as the kernel's working directory.
 * Updates `nb` in place: outputs, execution counts, each cell's papermill record, and the failing
 * cell's error as an `error` output (tslab reports errors as stderr text, which nbconvert would
 * show as an empty `<Error>:`).
 */
export async function executeWithJupyter(nb: Notebook, cwd: string, jupyterPath: string, opts: JupyterExecuteOptions = {}): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-nbclient-"));
  const src = path.join(work, "input.ipynb");
  const out = path.join(work, "output.ipynb");
  writeNotebook(src, nb);
  try {
    const args = ["-c", NBCLIENT_SCRIPT, src, out, cwd, String(opts.timeoutSeconds ?? 0), opts.kernel ?? "tslab", opts.logOutput ? "1" : "0"];
    const python = opts.python ?? DEFAULT_JUPYTER_PYTHON;
    const child = spawn(python, args, { env: { ...process.env, JUPYTER_PATH: jupyterPath }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (opts.logOutput) process.stderr.write(d);
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on("error", (e) => reject(new SparkifyError("E_TOOL_MISSING", `Python ${python} does not run (${e.message}); pass --python with a Python that has Jupyter (Debian: /usr/bin/python3 with python3-nbclient).`)));
      child.on("close", resolve);
    });
    const last = stdout.trim().split("\n").pop() ?? "";
    if (code !== 0 || !last.startsWith("{")) {
      throw new SparkifyError("E_JUPYTER_FAILED", `Jupyter (nbclient with the ${opts.kernel ?? "tslab"} kernel) did not run the notebook: ${stderr.trim().split("\n").slice(-8).join("\n")}`);
    }
    const record = JSON.parse(last) as { cells: Record<string, { start: number; end: number; ok: boolean }>; failed: number | null; error: { ename: string; evalue: string } | null };
    const executed = readNotebook(out);
    executed.cells.forEach((cell, i) => {
      const target = nb.cells[i];
      if (cell.cell_type !== "code" || !target) return;
      target.execution_count = cell.execution_count ?? null;
      // The kernel numbers its own requests (Deno counts the runner's flushes too): results carry the cell's count.
      target.outputs = (cell.outputs ?? []).map((o) => (o.output_type === "execute_result" ? { ...o, execution_count: target.execution_count ?? null } : o));
      const r = record.cells[String(i)];
      if (!r) return;
      cellStarted(target, r.start);
      if (i === record.failed) ensureErrorOutput(target, record.error);
      cellFinished(nb, target, r.ok, r.end);
    });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Gives a failed cell an `error` output when the kernel sent none: from its last stderr text, or nbclient's error. */
function ensureErrorOutput(cell: Notebook["cells"][number], error: { ename: string; evalue: string } | null): void {
  const outs = cell.outputs ?? [];
  if (outs.some((o) => o.output_type === "error" && o.ename)) return;
  // nbclient's placeholder for a kernel that reported an error without ename (tslab): replace it.
  const kept = outs.filter((o) => !(o.output_type === "error" && !o.ename));
  let lastErr = -1;
  kept.forEach((o, i) => {
    if (o.output_type === "stream" && o.name === "stderr") lastErr = i;
  });
  const text = lastErr >= 0 ? (kept[lastErr] as { text: string | string[] }).text : "";
  const parsed = errorFromStderr(Array.isArray(text) ? text.join("") : text);
  if (parsed && lastErr >= 0) kept.splice(lastErr, 1);
  const e = parsed ?? { ename: error?.ename || "Error", evalue: error?.evalue || `the cell failed without an error message (source: ${cellSource(cell).slice(0, 120)})`, traceback: [] };
  kept.push({ output_type: "error", ename: e.ename, evalue: e.evalue, traceback: e.traceback });
  cell.outputs = kept;
}
