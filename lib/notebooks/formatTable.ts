import { SparkifyError } from "../errors";
import { escapeHtml } from "../report/escapeHtml";
import { DAY_MS } from "../events/time";

/** A table as plain columns and rows, what both danfo DataFrames and row objects reduce to. */
export interface PlainTable {
  columns: string[];
  rows: unknown[][];
  /** Row labels (a DataFrame's index); positions when absent. */
  index?: Array<string | number>;
  /** Rows the source had in all, when more than `rows` holds. */
  totalRows: number;
}

/** How values are turned into text for display (the data itself keeps full precision). */
export interface CellFormat {
  /** Significant digits of non-integer numbers (default 4). */
  digits?: number;
  /** Text longer than this is cut with "…" (default 60). */
  maxText?: number;
}

/** A danfo DataFrame, as far as tables need it (duck-typed, so danfo stays optional here). */
interface DataFrameLike {
  columns: string[];
  values: unknown[][] | unknown[];
  index: Array<string | number>;
  shape: number[];
}

/** True for a danfo DataFrame (or anything shaped like one). */
export function isDataFrame(x: unknown): x is DataFrameLike {
  const d = x as DataFrameLike;
  return !!d && typeof d === "object" && !Array.isArray(d) && Array.isArray(d.columns) && Array.isArray(d.values) && Array.isArray(d.index) && Array.isArray(d.shape);
}

/** Columns and all rows of a danfo DataFrame or an array of row objects (keys in first-seen order). */
export function tableRows(source: unknown): { columns: string[]; rows: unknown[][]; index?: Array<string | number> } {
  if (isDataFrame(source)) {
    // A one-column DataFrame's values may come back flat.
    return { columns: source.columns.map(String), rows: (source.values as unknown[]).map((r) => (Array.isArray(r) ? r : [r])), index: source.index };
  }
  if (Array.isArray(source)) {
    const seen = new Set<string>();
    for (const r of source) {
      if (!r || typeof r !== "object") throw new SparkifyError("E_BAD_INPUT", "showTable: rows must be objects (or pass a danfo DataFrame).");
      for (const k of Object.keys(r)) seen.add(k);
    }
    const columns = [...seen];
    return { columns, rows: source.map((r: Record<string, unknown>) => columns.map((c) => r[c])) };
  }
  throw new SparkifyError("E_BAD_INPUT", "showTable: expected a danfo DataFrame or an array of row objects.");
}

/** Reduces a danfo DataFrame, or an array of row objects, to its first `maxRows` rows. */
export function toPlainTable(source: unknown, maxRows = 20): PlainTable {
  const { columns, rows, index } = tableRows(source);
  const keep = Math.max(0, Math.min(rows.length, maxRows));
  return { columns, rows: rows.slice(0, keep), index: index?.slice(0, keep), totalRows: rows.length };
}

// Epoch milliseconds between 2000-01-01 and 2100-01-01: how a timestamp column's values look.
const MS_MIN = 946_684_800_000;
const MS_MAX = 4_102_444_800_000;
// Column names that hold times in this project (ts, registration, cutoff, first_ts, ended_at, …).
const TIME_NAME = /(^|_)(ts|time|timestamp|date|cutoff|registration)$|_at$/i;

/**
 * True when a column holds epoch milliseconds: its name says time (ts, registration, cutoff,
 * …_time, …_at) and every non-null value is an integer in the years 2000–2100.
 */
export function isEpochMsColumn(name: string, values: unknown[]): boolean {
  if (!TIME_NAME.test(name)) return false;
  let seen = 0;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    const n = typeof v === "bigint" ? Number(v) : v;
    if (typeof n !== "number" || !Number.isInteger(n) || n < MS_MIN || n > MS_MAX) return false;
    seen++;
  }
  return seen > 0;
}

/** An instant as ISO text: the date alone when `dateOnly` (all of a column at midnight UTC), else to the second. */
export function formatInstant(ms: number, dateOnly = false): string {
  const iso = new Date(ms).toISOString();
  return dateOnly ? iso.slice(0, 10) : `${iso.slice(0, 19)}Z`;
}

/** A number for reading: integers in full, others to `digits` significant digits (never in exponent form above 1e-4). */
export function formatNumber(v: number, digits = 4): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  // Large values: as many decimals as the digits leave (at least none), so 12345.678 reads 12346.
  if (abs >= 10 ** (digits - 1)) return String(Math.round(v));
  return String(Number(v.toPrecision(digits)));
}

/** Cuts text longer than `max` characters, marking the cut with "…". */
export function cutText(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, Math.max(1, max - 1))}…` : s;
}

/**
 * Formats one value for display: null/undefined as "null", NaN as "NaN", bigint in full, dates as
 * ISO, numbers rounded, long text cut.
 */
export function formatCell(v: unknown, fmt: CellFormat = {}): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "number") return formatNumber(v, fmt.digits);
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "boolean") return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? "Invalid Date" : formatInstant(v.getTime());
  if (typeof v === "object") return cutText(JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x)), fmt.maxText ?? 60);
  return cutText(String(v), fmt.maxText ?? 60);
}

/** Formats every cell of a table, column by column: epoch-ms columns become ISO instants. */
export function formatTableCells(t: PlainTable, fmt: CellFormat = {}): string[][] {
  const out = t.rows.map(() => new Array<string>(t.columns.length));
  t.columns.forEach((name, j) => {
    const col = t.rows.map((r) => r[j]);
    if (isEpochMsColumn(name, col)) {
      const dateOnly = col.every((v) => v === null || v === undefined || Number(v) % DAY_MS === 0);
      col.forEach((v, i) => (out[i][j] = v === null || v === undefined ? "null" : formatInstant(Number(v), dateOnly)));
    } else {
      col.forEach((v, i) => (out[i][j] = formatCell(v, fmt)));
    }
  });
  return out;
}

function labels(t: PlainTable): string[] {
  return t.rows.map((_, i) => String(t.index ? t.index[i] : i));
}

/** The line under a capped table: "… N more rows", or "" when every row is shown. */
export function moreRowsLine(t: PlainTable): string {
  const more = t.totalRows - t.rows.length;
  return more > 0 ? `… ${more} more row${more === 1 ? "" : "s"}` : "";
}

/** An HTML table in the style of pandas' `_repr_html_` (class "dataframe"), with a "… N more rows" line. */
export function tableHtml(t: PlainTable, fmt: CellFormat = {}): string {
  const idx = labels(t);
  const cells = formatTableCells(t, fmt);
  const head = `<thead><tr style="text-align: right;"><th></th>${t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr></thead>`;
  const body = cells.map((r, i) => `<tr><th>${escapeHtml(idx[i])}</th>${r.map((v) => `<td>${escapeHtml(v)}</td>`).join("")}</tr>`);
  const more = moreRowsLine(t);
  return `<table border="1" class="dataframe">${head}<tbody>${body.join("")}</tbody></table>${more ? `<p>${escapeHtml(more)} (${t.totalRows} rows × ${t.columns.length} columns)</p>` : ""}`;
}

/** A fixed-width text table (text/plain fallback of a table display), with a "… N more rows" line. */
export function tableText(t: PlainTable, fmt: CellFormat = {}): string {
  const idx = labels(t);
  const cells = formatTableCells(t, fmt);
  const lines: string[][] = [["", ...t.columns], ...cells.map((r, i) => [idx[i], ...r])];
  const widths = lines[0].map((_, j) => Math.max(...lines.map((l) => l[j].length)));
  const text = lines.map((l) => l.map((c, j) => c.padStart(widths[j])).join("  ").trimEnd()).join("\n");
  const more = moreRowsLine(t);
  return more ? `${text}\n${more}` : text;
}
