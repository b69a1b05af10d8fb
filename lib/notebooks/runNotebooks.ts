import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../config";
import { SparkifyError } from "../errors";
import { DIST_DIR, ensureBuild } from "./ensureBuild";
import { CellOutput, Notebook, TSLAB_METADATA, cellSource, readNotebook, writeNotebook } from "./notebookFormat";
import { addErrorMarkers, cellFinished, cellStarted, finishNotebook, firstError, startNotebook } from "./papermill";
import { DeclaredParameter, ParamValue, coerceParameter, injectParameters, isPathParameter, notebookParameters, resolvePathValue } from "./parameters";
import { TslabSession } from "./TslabSession";
import { executeWithJupyter, installKernel, kernelSpecPath, type KernelName } from "./jupyterEngine";

/** The project's notebooks folder (default of `sparkify-churn notebooks`). */
export const NOTEBOOKS_DIR = path.join(PROJECT_ROOT, "notebooks");

/** Options of {@link runNotebooks}. */
export interface RunNotebooksOptions {
  /** Run folder: executed copies go to `<outDir>/notebooks/`. */
  outDir: string;
  /** Folder of the notebooks to run (default: the project's notebooks/). */
  notebooksDir?: string;
  /** Only notebooks whose name starts with one of these (e.g. ["01", "02"]); all when absent. */
  only?: string[];
  /**
   * Values injected after each notebook's `parameters` cell; each notebook gets the ones it
   * declares, typed as its parameters cell declares them. A name no notebook declares is an error.
   */
  params?: Record<string, ParamValue>;
  /** Values for the notebooks that declare them, without the unknown-name check (the CLI's `--out` as `out`); `params` win. */
  implicitParams?: Record<string, ParamValue>;
  /** Folder that relative paths in path parameters (input, out, *_path, *_dir, *_file) resolve against (default: process.cwd()). */
  cwd?: string;
  /** Compile lib/ to dist/ first when stale (default true). */
  build?: boolean;
  /**
   * "tslab" (default): tslab's executor in this process, one TypeScript session for all notebooks.
   * "jupyter": each notebook through a real Jupyter client (nbclient) and a fresh tslab kernel.
   */
  engine?: "tslab" | "jupyter";
  /** The kernel: "tslab" (default) or "deno" (Deno's kernel, always through Jupyter). */
  kernel?: KernelName;
  /** With engine "jupyter": the prefix `sparkify-churn kernel install --prefix` registered the kernel under (default: a temporary one). */
  kernelPrefix?: string;
  /** With engine "jupyter" or the Deno kernel: the Python whose Jupyter (nbclient) runs the notebooks (default /usr/bin/python3). */
  python?: string;
  /** Seconds each cell may run before it fails with CellTimeoutError (papermill's --execution-timeout); none by default. */
  executionTimeout?: number;
  /** Stream each cell's outputs as they come (papermill's --log-output), to `logOutput` lines. */
  logOutput?: boolean;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

/** One executed notebook. */
export interface NotebookRun {
  name: string;
  output: string;
  cells: number;
  seconds: number;
  /** The parameters injected into it, typed. */
  parameters: Record<string, ParamValue>;
}

/**
 * A cell failed (papermill's PapermillExecutionError): names the notebook, the cell (1-based
 * position among all cells of the notebook as written, and its execution count) and the error.
 */
export class NotebookExecutionError extends SparkifyError {
  constructor(
    readonly notebook: string,
    /** 1-based position of the failing cell in the source notebook ("injected-parameters" for that cell). */
    readonly cell: number | "injected-parameters",
    readonly execCount: number | null,
    readonly ename: string,
    readonly evalue: string,
    readonly output: string,
  ) {
    super(
      "E_NOTEBOOK_FAILED",
      `Notebook ${notebook} failed at cell ${cell}${execCount !== null ? ` (In [${execCount}])` : ""}: ${ename}: ${evalue.trimEnd() || "(no message)"}\nExecuted copy with the outputs up to the failure: ${output}`,
    );
    this.name = "NotebookExecutionError";
  }
}

/** The notebooks of `dir` in name order, filtered by name prefixes; an unmatched prefix is an error. */
export function listNotebooks(dir: string, only?: string[]): string[] {
  if (!fs.existsSync(dir)) throw new SparkifyError("E_NOTEBOOK_MISSING", `Notebook folder ${dir} does not exist.`);
  const all = fs.readdirSync(dir).filter((f) => f.endsWith(".ipynb") && !f.startsWith(".")).sort();
  if (!only || only.length === 0) return all;
  for (const p of only) {
    if (!all.some((f) => f.startsWith(p))) throw new SparkifyError("E_NOTEBOOK_MISSING", `No notebook in ${dir} starts with "${p}" (have: ${all.join(", ") || "none"}).`);
  }
  return all.filter((f) => only.some((p) => f.startsWith(p)));
}

/** A notebook ready to run: its declared parameters and the typed values it receives. */
interface PreparedNotebook {
  name: string;
  nb: Notebook;
  declared: DeclaredParameter[];
  params: Record<string, ParamValue>;
}

/**
 * Checks the given parameters against what the notebooks declare and types them per notebook.
 * A name that no notebook of the run declares is an error listing each notebook's parameters
 * (papermill only warns; a typo would otherwise run the defaults silently).
 */
export function prepareParameters(notebooks: Array<{ name: string; nb: Notebook }>, params: Record<string, ParamValue>, cwd: string, implicit: Record<string, ParamValue> = {}): PreparedNotebook[] {
  const prepared = notebooks.map(({ name, nb }) => ({ name, nb, declared: notebookParameters(nb), params: {} as Record<string, ParamValue> }));
  const unknown = Object.keys(params).filter((k) => !prepared.some((p) => p.declared.some((d) => d.name === k)));
  if (unknown.length) {
    const lines = prepared.map((p) => `  ${p.name}: ${p.declared.map((d) => `${d.name}${d.type ? `: ${d.type}` : ""}`).join(", ") || "(no parameters cell)"}`);
    throw new SparkifyError("E_BAD_PARAM", `Unknown parameter${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}: no notebook of this run declares ${unknown.length > 1 ? "them" : "it"}. The notebooks' parameters:\n${lines.join("\n")}`);
  }
  const all = { ...implicit, ...params };
  for (const p of prepared) {
    for (const d of p.declared) {
      if (!(d.name in all)) continue;
      const typed = coerceParameter(all[d.name], d, p.name);
      p.params[d.name] = isPathParameter(d.name) ? resolvePathValue(typed, cwd) : typed;
    }
  }
  return prepared;
}

/**
 * Runs notebooks headless with papermill's conventions: parameters injected in a cell tagged
 * `injected-parameters` after the `parameters` cell, `metadata.papermill` on the notebook and on
 * every cell, notebooks executed in name order (fresh variables per notebook), executed copies
 * written to `<outDir>/notebooks/`. The first failing cell stops the run with a
 * NotebookExecutionError; its notebook is written with the outputs up to the failure, the error
 * as an `error` output and papermill's error markers.
 */
export async function runNotebooks(opts: RunNotebooksOptions): Promise<NotebookRun[]> {
  // The real stderr, bound before the tslab session captures process.stderr for cell outputs.
  const rawStderr = process.stderr.write.bind(process.stderr) as (text: string) => boolean;
  const log = opts.log ?? ((l: string) => rawStderr(`${l}\n`));
  const dir = path.resolve(opts.notebooksDir ?? NOTEBOOKS_DIR);
  const names = listNotebooks(dir, opts.only);
  if (names.length === 0) throw new SparkifyError("E_NOTEBOOK_MISSING", `No notebooks (*.ipynb) in ${dir}.`);
  if (opts.executionTimeout !== undefined && !(opts.executionTimeout > 0)) throw new SparkifyError("E_BAD_OPTION", `--execution-timeout must be a positive number of seconds, got ${opts.executionTimeout}.`);
  const prepared = prepareParameters(names.map((n) => ({ name: n, nb: readNotebook(path.join(dir, n)) })), opts.params ?? {}, opts.cwd ?? process.cwd(), opts.implicitParams);
  const outDir = path.join(path.resolve(opts.outDir), "notebooks");
  fs.mkdirSync(outDir, { recursive: true });
  if (opts.build !== false) {
    const b = ensureBuild();
    if (b.built) {
      const errors = b.warnings.split("\n").filter((l) => /error TS\d+/.test(l));
      log(`built lib/ into dist/ in ${b.seconds.toFixed(1)} s${errors.length ? `; tsc reported ${errors.length} type error(s), JavaScript was emitted anyway (first: ${errors[0]})` : ""}`);
    }
  }
  const runs: NotebookRun[] = [];
  const kernel: KernelName = opts.kernel ?? "tslab";
  const viaJupyter = opts.engine === "jupyter" || kernel === "deno";
  const session = viaJupyter ? null : await TslabSession.create(dir);
  const jupyterPath = viaJupyter ? registeredKernelPath(kernel, opts.kernelPrefix, opts.python) : "";
  try {
    for (const p of prepared) {
      const t0 = Date.now();
      const output = path.join(outDir, p.name);
      const { notebook, injectedIndex } = injectParameters(p.nb, p.params);
      notebook.metadata = kernel === "deno"
        ? { ...notebook.metadata, ...DENO_METADATA }
        : { ...notebook.metadata, kernelspec: TSLAB_METADATA.kernelspec, language_info: { ...TSLAB_METADATA.language_info, ...(notebook.metadata.language_info as object | undefined) } };
      const defaults = Object.fromEntries(p.declared.map((d) => [d.name, d.value]));
      startNotebook(notebook, { parameters: p.params, defaults, inputPath: path.join(dir, p.name), outputPath: output }, t0);
      if (opts.logOutput) log(`${p.name}: executing ${notebook.cells.length} cells`);
      if (session) {
        session.reset();
        for (const d of loadedDisplayModules()) d.resetDisplayNotes?.();
        await executeInSession(session, notebook, opts, (l) => log(`${p.name} ${l}`), rawStderr);
        session.release();
      } else {
        await executeWithJupyter(notebook, dir, jupyterPath, { kernel, python: opts.python, timeoutSeconds: opts.executionTimeout, logOutput: opts.logOutput ? (l) => log(`${p.name} ${l}`) : undefined });
      }
      finishNotebook(notebook);
      const failure = firstError(notebook);
      if (failure) {
        // The failing cell's position in the notebook as its author sees it (without the injected cell).
        const position = failure.index === injectedIndex ? "injected-parameters" : failure.index - (injectedIndex >= 0 && injectedIndex < failure.index ? 1 : 0) + 1;
        addErrorMarkers(notebook, failure.index);
        writeNotebook(output, notebook);
        throw new NotebookExecutionError(p.name, position, failure.cell.execution_count ?? null, failure.error.ename, failure.error.evalue, output);
      }
      writeNotebook(output, notebook);
      const seconds = (Date.now() - t0) / 1000;
      runs.push({ name: p.name, output, cells: notebook.cells.length, seconds, parameters: p.params });
      log(`${p.name}: ${notebook.cells.length} cells in ${seconds.toFixed(1)} s${session ? "" : ` (Jupyter, ${kernel})`} → ${output}`);
    }
  } finally {
    session?.close();
    await closeNotebookDisplays();
  }
  return runs;
}

/** The kernelspec and language info of executed copies run on Deno's kernel. */
const DENO_METADATA = {
  kernelspec: { name: "deno", display_name: "Deno", language: "typescript" },
  language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/x.typescript", codemirror_mode: "typescript", pygments_lexer: "typescript", nbconvert_exporter: "script" },
};

/** JUPYTER_PATH of the kernel registered under `prefix` (checked), or of a temporary registration. */
function registeredKernelPath(kernel: KernelName, prefix?: string, python?: string): string {
  if (!prefix) return installKernel(kernel, undefined, python);
  const spec = kernelSpecPath(path.resolve(prefix), kernel);
  if (!fs.existsSync(spec)) throw new SparkifyError("E_TOOL_MISSING", `No ${kernel} kernel under ${prefix} (${spec} is missing): run \`sparkify-churn kernel install --kernel ${kernel} --prefix ${prefix}\` first.`);
  return path.join(path.resolve(prefix), "share", "jupyter");
}

/** A line for --log-output: stream text as written, displays by their text form. */
export function outputLogText(o: CellOutput): string {
  if (o.output_type === "stream") return o.text;
  if (o.output_type === "error") return `${o.ename}: ${o.evalue}\n`;
  const data = o.data as Record<string, unknown>;
  const text = data["text/plain"];
  return `${typeof text === "string" ? text : Array.isArray(text) ? text.join("") : `<${Object.keys(data).join(", ")}>`}\n`;
}

async function executeInSession(session: TslabSession, nb: Notebook, opts: RunNotebooksOptions, log: (l: string) => void, rawStderr: (text: string) => boolean): Promise<void> {
  let count = 0;
  for (const [i, cell] of nb.cells.entries()) {
    if (cell.cell_type !== "code" || cellSource(cell).trim() === "") continue;
    const t0 = Date.now();
    cellStarted(cell, t0);
    if (opts.logOutput) log(`Executing cell ${i + 1}`);
    const r = await session.execute(cellSource(cell), {
      timeoutSeconds: opts.executionTimeout,
      onOutput: opts.logOutput ? (o) => rawStderr(outputLogText(o)) : undefined,
    });
    cell.execution_count = ++count;
    cell.outputs = r.outputs;
    cellFinished(nb, cell, r.ok);
    if (opts.logOutput) log(`Ending cell ${i + 1}`);
    if (!r.ok) return;
  }
}

interface DisplayModule {
  closeDisplay?: () => Promise<void>;
  resetDisplayNotes?: () => void;
}

/** The display modules notebooks loaded in this process: the compiled one, and the source one. */
function loadedDisplayModules(): DisplayModule[] {
  const files = [path.join(DIST_DIR, "lib", "notebooks", "display.js"), require.resolve("./display")];
  return files.map((f) => require.cache[f]?.exports as DisplayModule | undefined).filter((m): m is DisplayModule => !!m);
}

/** Closes the Chromium of the display modules the notebooks loaded (if they loaded one). */
async function closeNotebookDisplays(): Promise<void> {
  for (const mod of loadedDisplayModules()) await mod.closeDisplay?.().catch(() => undefined);
}
