import { SparkifyError } from "../errors";
import { ChromiumUnavailableError, FigureRenderer } from "../plots/FigureRenderer";
import { CHROMIUM_HINT } from "../plots/findChromium";
import type { Figure } from "../plots/types";
import { escapeHtml } from "../report/escapeHtml";
import { tableHtml, tableText, toPlainTable, type CellFormat } from "./formatTable";

/** The MIME type JupyterLab's Plotly renderer displays. */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** A Jupyter display_data payload: MIME type → representation (JSON for JSON types, base64 for images). */
export type MimeBundle = Record<string, unknown>;

type WriteDisplayData = (msg: { data: MimeBundle; metadata: Record<string, unknown>; transient: Record<string, unknown> }, update: boolean) => void;

// One renderer (one Chromium page with plotly.js loaded) for every figure of a kernel session.
let renderer: Promise<FigureRenderer | null> | null = null;
let chromiumNoteShown = false;

/** Deno's Jupyter API (`deno jupyter`), as far as displays need it. */
interface DenoJupyter {
  broadcast(msgType: string, content: Record<string, unknown>, extra?: { metadata?: Record<string, unknown> }): Promise<void> | void;
}

/** Deno's Jupyter API when this code runs in Deno's kernel, else null. */
export function denoJupyter(): DenoJupyter | null {
  const deno = (globalThis as { Deno?: { jupyter?: DenoJupyter } }).Deno;
  return deno?.jupyter && typeof deno.jupyter.broadcast === "function" ? deno.jupyter : null;
}

/** Which kernel runs this code: "deno", "tslab" (a tslab cell is running), or null outside a notebook. */
export function notebookKernel(): "deno" | "tslab" | null {
  if (denoJupyter()) return "deno";
  return tslabWriter() ? "tslab" : null;
}

function tslabWriter(): WriteDisplayData | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("tslab/dist/jupyter") as { lastWriteDisplayData: WriteDisplayData | null }).lastWriteDisplayData;
  } catch {
    return null;
  }
}

/**
 * Sends a MIME bundle to the current notebook cell: in Deno's kernel through
 * `Deno.jupyter.broadcast`, then one macrotask wait (Deno 2.9 does not wait for the message to
 * leave, so output at a cell's very end could arrive after the cell is reported done); in tslab
 * through its display channel (an internal API of tslab 1.0.22, the version package.json pins).
 * Outside a notebook it throws.
 */
export function displayBundle(data: MimeBundle, metadata: Record<string, unknown> = {}): Promise<void> {
  const deno = denoJupyter();
  // Deno 2.9.6's broadcast returns nothing (no promise to wait on): hence the macrotask.
  if (deno) return Promise.resolve(deno.broadcast("display_data", { data, metadata, transient: {} })).then(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
  const write = tslabWriter();
  if (!write) throw new SparkifyError("E_NOT_IN_NOTEBOOK", "show()/showTable() display in a notebook (tslab or Deno kernel); outside one, render with FigureRenderer or buildReport instead.");
  write({ data, metadata, transient: {} }, false);
  return Promise.resolve();
}

function getRenderer(): Promise<FigureRenderer | null> {
  if (!renderer) {
    renderer = FigureRenderer.create().catch((err: unknown) => {
      if (err instanceof ChromiumUnavailableError) return null;
      throw err;
    });
  }
  return renderer;
}

/** Options of {@link show}. */
export interface ShowOptions {
  /** Size of the PNG fallback (CSS pixels); the figure's layout width/height win when set. */
  width?: number;
  height?: number;
  /** Leave out the PNG fallback (faster; the figure shows only where Plotly renders). */
  png?: boolean;
}

/** The bundle {@link show} displays: Plotly JSON, a text line, and the PNG when given. */
export function figureBundle(fig: Figure, png?: Buffer): MimeBundle {
  const t = fig.layout?.title as string | { text?: string } | undefined;
  const title = (typeof t === "string" ? t : t?.text) ?? "figure";
  const bundle: MimeBundle = { [PLOTLY_MIME]: { data: fig.data, layout: fig.layout }, "text/plain": `<Plotly figure: ${title}>` };
  if (png) bundle["image/png"] = png.toString("base64");
  return bundle;
}

/**
 * Shows a Plotly figure in a tslab notebook: Plotly JSON for JupyterLab plus an `image/png`
 * fallback (nbconvert, GitHub) rendered by headless Chromium. Without Chromium the JSON alone is
 * shown, with a note on how to get PNGs. Await it: `await show(fig)`.
 */
export async function show(fig: Figure, opts: ShowOptions = {}): Promise<void> {
  let png: Buffer | undefined;
  let note: string | null = null;
  if (opts.png !== false) {
    try {
      const r = await getRenderer();
      if (r) png = await r.toPng(fig, { width: opts.width, height: opts.height });
      else note = `*No PNG fallback for this figure: ${CHROMIUM_HINT}*`;
    } catch (err) {
      note = `*No PNG fallback for this figure: rendering failed (${(err as Error).message.split("\n")[0]}).*`;
      // A broken browser is not reused: the next figure starts a fresh one.
      const old = renderer;
      renderer = null;
      void old?.then((r) => r?.close()).catch(() => undefined);
    }
  }
  await displayBundle(figureBundle(fig, png));
  if (note && !(chromiumNoteShown && note.includes(CHROMIUM_HINT))) {
    chromiumNoteShown = true;
    await displayBundle({ "text/markdown": note, "text/plain": note.replace(/\*/g, "") });
  }
}

/** Shows several figures in order (an array, or the values of a record such as `edaFigures(eda)`). */
export async function showAll(figures: Figure[] | Record<string, Figure | undefined>, opts: ShowOptions = {}): Promise<void> {
  const list = Array.isArray(figures) ? figures : Object.values(figures).filter((f): f is Figure => f !== undefined);
  for (const f of list) await show(f, opts);
}

/** Options of {@link showTable}. */
export interface ShowTableOptions extends CellFormat {
  /** Rows shown at most (default 20); the rest are counted in a "… N more rows" line. */
  maxRows?: number;
  /** A caption above the table. */
  caption?: string;
}

/** The bundle {@link showTable} displays: an HTML table and its text form, both formatted for reading. */
export function tableBundle(table: unknown, opts: ShowTableOptions = {}): MimeBundle {
  const t = toPlainTable(table, opts.maxRows ?? 20);
  const caption = opts.caption ? `<p><b>${escapeHtml(opts.caption)}</b></p>` : "";
  return { "text/html": `${caption}${tableHtml(t, opts)}`, "text/plain": `${opts.caption ? `${opts.caption}\n` : ""}${tableText(t, opts)}` };
}

/**
 * Shows a danfo DataFrame, or an array of row objects, as an HTML table with a text/plain
 * fallback: nulls as null, NaN as NaN, bigints in full, epoch-ms time columns as ISO dates,
 * numbers rounded for reading (the data keeps full precision), long text cut, at most `maxRows` rows.
 */
export function showTable(table: unknown, opts: ShowTableOptions = {}): Promise<void> {
  return displayBundle(tableBundle(table, opts));
}

/** Shows Markdown text (prose computed in a cell, e.g. a sentence that reads the numbers above). */
export function showMarkdown(markdown: string): Promise<void> {
  return displayBundle({ "text/markdown": markdown, "text/plain": markdown });
}

/** Lets the next figure without PNG carry the note again (the runner calls it at each notebook's start). */
export function resetDisplayNotes(): void {
  chromiumNoteShown = false;
}

/** Closes the Chromium used by {@link show} (the headless runner calls this after the last notebook). */
export async function closeDisplay(): Promise<void> {
  const r = renderer;
  renderer = null;
  chromiumNoteShown = false;
  const fr = await r?.catch(() => null);
  await fr?.close();
}
