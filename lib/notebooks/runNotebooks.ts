import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../config";
import { SparkifyError } from "../errors";
import { DIST_DIR, ensureBuild } from "./ensureBuild";
import { Notebook, TSLAB_METADATA, cellSource, readNotebook, writeNotebook } from "./notebookFormat";
import { ParamValue, injectParameters } from "./parameters";
import { TslabSession } from "./TslabSession";
import { executeWithJupyter, installTslabKernel } from "./jupyterEngine";

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
  /** Values injected after each notebook's `parameters` cell. */
  params?: Record<string, ParamValue>;
  /** Compile lib/ to dist/ first when stale (default true). */
  build?: boolean;
  /**
   * "tslab" (default): tslab's executor in this process, one TypeScript session for all notebooks.
   * "jupyter": each notebook through a real Jupyter client (nbclient) and a fresh tslab kernel.
   */
  engine?: "tslab" | "jupyter";
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

/** One executed notebook. */
export interface NotebookRun {
  name: string;
  output: string;
  cells: number;
  seconds: number;
  /** Parameters given that the notebook does not declare. */
  unknownParams: string[];
}

/** A cell failed: names the notebook, the cell (1-based, among all cells) and tslab's error text. */
export class NotebookExecutionError extends SparkifyError {
  constructor(
    readonly notebook: string,
    readonly cell: number,
    readonly errorText: string,
    readonly output: string,
  ) {
    super("E_NOTEBOOK_FAILED", `Notebook ${notebook} failed at cell ${cell}:\n${errorText.trimEnd() || "(no error text)"}\nExecuted copy with outputs: ${output}`);
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

/**
 * Runs notebooks headless with papermill's conventions: parameters injected in a cell tagged
 * `injected-parameters` after the `parameters` cell, notebooks executed in name order in one tslab
 * session (fresh variables per notebook), executed copies with outputs written to
 * `<outDir>/notebooks/`. The first failing cell stops the run with a NotebookExecutionError; its
 * notebook is still written, with the error in the cell's stderr.
 */
export async function runNotebooks(opts: RunNotebooksOptions): Promise<NotebookRun[]> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const dir = path.resolve(opts.notebooksDir ?? NOTEBOOKS_DIR);
  const names = listNotebooks(dir, opts.only);
  if (names.length === 0) throw new SparkifyError("E_NOTEBOOK_MISSING", `No notebooks (*.ipynb) in ${dir}.`);
  const outDir = path.join(path.resolve(opts.outDir), "notebooks");
  fs.mkdirSync(outDir, { recursive: true });
  if (opts.build !== false) {
    const b = ensureBuild();
    if (b.built) {
      const errors = b.warnings.split("\n").filter((l) => /error TS\d+/.test(l));
      log(`built lib/ into dist/ in ${b.seconds.toFixed(1)} s${errors.length ? `; tsc reported ${errors.length} type error(s), JavaScript was emitted anyway (first: ${errors[0]})` : ""}`);
    }
  }
  const params = opts.params ?? {};
  const notebooks = names.map((n) => ({ name: n, nb: readNotebook(path.join(dir, n)) }));
  if (opts.engine === "jupyter") return runWithJupyter(dir, notebooks, outDir, params, log);
  const session = await TslabSession.create(dir);
  const runs: NotebookRun[] = [];
  try {
    for (const { name, nb } of notebooks) {
      const t0 = Date.now();
      const { notebook, unknown } = injectParameters(nb, params);
      if (unknown.length) log(`${name}: parameters not declared in its parameters cell: ${unknown.join(", ")} (injected anyway)`);
      const output = path.join(outDir, name);
      session.reset();
      for (const d of loadedDisplayModules()) d.resetDisplayNotes?.();
      const failure = await executeNotebook(session, notebook);
      session.release();
      finishMetadata(notebook, params, t0);
      writeNotebook(output, notebook);
      if (failure) throw new NotebookExecutionError(name, failure.cell, failure.stderr, output);
      const seconds = (Date.now() - t0) / 1000;
      runs.push({ name, output, cells: notebook.cells.length, seconds, unknownParams: unknown });
      log(`${name}: ${notebook.cells.length} cells in ${seconds.toFixed(1)} s → ${output}`);
    }
  } finally {
    session.close();
    await closeNotebookDisplays();
  }
  return runs;
}

async function runWithJupyter(dir: string, notebooks: Array<{ name: string; nb: Notebook }>, outDir: string, params: Record<string, ParamValue>, log: (l: string) => void): Promise<NotebookRun[]> {
  const jupyterPath = installTslabKernel();
  const runs: NotebookRun[] = [];
  for (const { name, nb } of notebooks) {
    const t0 = Date.now();
    const { notebook, unknown } = injectParameters(nb, params);
    if (unknown.length) log(`${name}: parameters not declared in its parameters cell: ${unknown.join(", ")} (injected anyway)`);
    finishMetadata(notebook, params, t0);
    const output = path.join(outDir, name);
    const r = await executeWithJupyter(notebook, dir, output, jupyterPath);
    if (r.failedCell !== null) throw new NotebookExecutionError(name, r.failedCell + 1, r.stderr, output);
    const seconds = (Date.now() - t0) / 1000;
    runs.push({ name, output, cells: notebook.cells.length, seconds, unknownParams: unknown });
    log(`${name}: ${notebook.cells.length} cells in ${seconds.toFixed(1)} s (Jupyter) → ${output}`);
  }
  return runs;
}

async function executeNotebook(session: TslabSession, nb: Notebook): Promise<{ cell: number; stderr: string } | null> {
  let count = 0;
  for (const [i, cell] of nb.cells.entries()) {
    if (cell.cell_type !== "code") continue;
    cell.outputs = [];
    cell.execution_count = null;
    const src = cellSource(cell);
    if (src.trim() === "") continue;
    const t0 = Date.now();
    const r = await session.execute(src);
    cell.execution_count = ++count;
    cell.outputs = r.outputs;
    // Like papermill's metadata.papermill: when the cell ran and how long it took.
    cell.metadata.sparkify = { start: new Date(t0).toISOString(), duration_s: (Date.now() - t0) / 1000, status: r.ok ? "ok" : "failed" };
    if (!r.ok) return { cell: i + 1, stderr: r.stderr };
  }
  return null;
}

function finishMetadata(nb: Notebook, params: Record<string, ParamValue>, t0: number): void {
  nb.metadata = {
    ...nb.metadata,
    kernelspec: TSLAB_METADATA.kernelspec,
    language_info: { ...TSLAB_METADATA.language_info, ...(nb.metadata.language_info as object | undefined) },
    sparkify: { parameters: params, start: new Date(t0).toISOString(), seconds: (Date.now() - t0) / 1000 },
  };
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
