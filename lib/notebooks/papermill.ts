import type { Cell, CellOutput, Notebook } from "./notebookFormat";
import type { ParamValue } from "./parameters";

/** Tag of the two markdown cells papermill adds when a cell fails. */
export const ERROR_MARKER_TAG = "papermill-error-cell-tag";

const ERROR_STYLE = 'style="color:red; font-family:Helvetica Neue, Helvetica, Arial, sans-serif; font-size:2em;"';

/** Papermill's message at the top of a failed notebook, linking to the anchor (`%s`: the failing cell's execution count). */
export const ERROR_MESSAGE_TEMPLATE = `<span ${ERROR_STYLE}>An Exception was encountered at '<a href="#papermill-error-cell">In [%s]</a>'.</span>`;

/** Papermill's anchor cell, placed right before the failing cell. */
export const ERROR_ANCHOR_MSG = `<span id="papermill-error-cell" ${ERROR_STYLE}>Execution using papermill encountered an exception here and stopped:</span>`;

/** A cell's execution record, as papermill writes it under `metadata.papermill`. */
export interface PapermillCellMetadata {
  start_time: string | null;
  end_time: string | null;
  duration: number | null;
  status: "pending" | "running" | "completed" | "failed";
  exception: boolean | null;
}

/** A notebook's execution record, as papermill writes it under `metadata.papermill`. */
export interface PapermillMetadata {
  default_parameters: Record<string, ParamValue>;
  parameters: Record<string, ParamValue>;
  environment_variables: Record<string, string>;
  input_path: string;
  output_path: string;
  start_time: string | null;
  end_time: string | null;
  duration: number | null;
  exception: boolean | null;
}

// Papermill writes Python's datetime.isoformat() of a UTC time: microseconds and "+00:00".
function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000+00:00");
}

function cellMeta(cell: Cell): PapermillCellMetadata {
  return cell.metadata.papermill as PapermillCellMetadata;
}

/** The notebook's papermill record (after {@link startNotebook}). */
export function notebookMeta(nb: Notebook): PapermillMetadata {
  return nb.metadata.papermill as PapermillMetadata;
}

/**
 * Starts a papermill-style execution record: the notebook's parameters, defaults, paths and start
 * time; every cell `pending`, code cells without outputs or execution counts; earlier error markers removed.
 */
export function startNotebook(nb: Notebook, info: { parameters: Record<string, ParamValue>; defaults: Record<string, ParamValue>; inputPath: string; outputPath: string }, now = Date.now()): void {
  nb.cells = nb.cells.filter((c) => !(c.metadata.tags ?? []).includes(ERROR_MARKER_TAG));
  const meta: PapermillMetadata = {
    default_parameters: info.defaults,
    parameters: info.parameters,
    environment_variables: {},
    input_path: info.inputPath,
    output_path: info.outputPath,
    start_time: isoUtc(now),
    end_time: null,
    duration: null,
    exception: null,
  };
  nb.metadata.papermill = meta;
  for (const cell of nb.cells) {
    if (cell.cell_type === "code") {
      cell.execution_count = null;
      cell.outputs = [];
    }
    const m: PapermillCellMetadata = { exception: null, start_time: null, end_time: null, duration: null, status: "pending" };
    cell.metadata.papermill = m;
  }
}

/** Marks a cell running from `start` (epoch ms). */
export function cellStarted(cell: Cell, start = Date.now()): void {
  Object.assign(cellMeta(cell), { start_time: isoUtc(start), status: "running", exception: false });
}

/** Marks a cell completed or failed at `end` (epoch ms); a failure marks the notebook too. */
export function cellFinished(nb: Notebook, cell: Cell, ok: boolean, end = Date.now()): void {
  const m = cellMeta(cell);
  m.end_time = isoUtc(end);
  if (m.start_time) m.duration = (end - Date.parse(m.start_time.replace(/(\.\d{3})\d{3}\+00:00$/, "$1Z"))) / 1000;
  if (ok) m.status = "completed";
  else {
    m.status = "failed";
    m.exception = true;
    notebookMeta(nb).exception = true;
  }
}

/**
 * Ends the record: end time and duration; cells still pending before the failure (markdown,
 * empty code cells) count as completed, as papermill does; cells after it stay pending.
 */
export function finishNotebook(nb: Notebook, end = Date.now()): void {
  const meta = notebookMeta(nb);
  meta.end_time = isoUtc(end);
  if (meta.start_time) meta.duration = (end - Date.parse(meta.start_time.replace(/(\.\d{3})\d{3}\+00:00$/, "$1Z"))) / 1000;
  for (const cell of nb.cells) {
    const m = cellMeta(cell);
    if (!m) continue;
    if (m.status === "failed") break;
    if (m.status === "pending") m.status = "completed";
  }
}

/** The first cell with an `error` output: its index and the error, or null. */
export function firstError(nb: Notebook): { index: number; cell: Cell; error: Extract<CellOutput, { output_type: "error" }> } | null {
  for (const [index, cell] of nb.cells.entries()) {
    const error = (cell.outputs ?? []).find((o): o is Extract<CellOutput, { output_type: "error" }> => o.output_type === "error");
    if (error) return { index, cell, error };
  }
  return null;
}

function markdown(source: string, id: string, minor: number): Cell {
  const c: Cell = { cell_type: "markdown", metadata: { tags: [ERROR_MARKER_TAG] }, source };
  if (minor >= 5) c.id = id;
  return c;
}

/**
 * Papermill's error markers: an anchor cell right before the failing cell and, at the top, a red
 * message linking to it that names the cell's execution count.
 */
export function addErrorMarkers(nb: Notebook, failedIndex: number): void {
  const count = nb.cells[failedIndex]?.execution_count ?? null;
  nb.cells.splice(failedIndex, 0, markdown(ERROR_ANCHOR_MSG, "papermill-error-anchor", nb.nbformat_minor));
  nb.cells.unshift(markdown(ERROR_MESSAGE_TEMPLATE.replace("%s", String(count)), "papermill-error-message", nb.nbformat_minor));
}
