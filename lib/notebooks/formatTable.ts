/** A table as plain columns and rows, what both danfo DataFrames and row objects reduce to. */
export interface PlainTable {
  columns: string[];
  rows: unknown[][];
  /** Row labels (a DataFrame's index); positions when absent. */
  index?: Array<string | number>;
  /** Rows the source had in all, when more than `rows` holds. */
  totalRows: number;
}

/** A danfo DataFrame, as far as tables need it (duck-typed, so danfo stays optional here). */
interface DataFrameLike {
  columns: string[];
  values: unknown[][] | unknown[];
  index: Array<string | number>;
  shape: number[];
}

function isDataFrame(x: unknown): x is DataFrameLike {
  const d = x as DataFrameLike;
  return !!d && typeof d === "object" && !Array.isArray(d) && Array.isArray(d.columns) && Array.isArray(d.values) && Array.isArray(d.index) && Array.isArray(d.shape);
}

/**
 * Reduces a danfo DataFrame, or an array of row objects, to at most `maxRows` rows of plain values
 * (first and last halves when longer, like pandas).
 */
export function toPlainTable(source: unknown, maxRows = 20): PlainTable {
  let columns: string[];
  let rows: unknown[][];
  let index: Array<string | number> | undefined;
  if (isDataFrame(source)) {
    columns = source.columns.map(String);
    // A one-column DataFrame's values may come back flat.
    rows = (source.values as unknown[]).map((r) => (Array.isArray(r) ? r : [r]));
    index = source.index;
  } else if (Array.isArray(source)) {
    const seen = new Set<string>();
    for (const r of source) {
      if (!r || typeof r !== "object") throw new TypeError("showTable: rows must be objects (or pass a danfo DataFrame).");
      for (const k of Object.keys(r)) seen.add(k);
    }
    columns = [...seen];
    rows = source.map((r: Record<string, unknown>) => columns.map((c) => r[c]));
  } else {
    throw new TypeError("showTable: expected a danfo DataFrame or an array of row objects.");
  }
  const total = rows.length;
  if (total > maxRows) {
    const head = Math.ceil(maxRows / 2);
    const tail = maxRows - head;
    const keep = [...Array(head).keys(), ...Array.from({ length: tail }, (_, i) => total - tail + i)];
    rows = keep.map((i) => rows[i]);
    index = keep.map((i) => (index ? index[i] : i));
  }
  return { columns, rows, index, totalRows: total };
}

/** Formats one cell value for display: numbers to at most 4 significant decimals, null as empty. */
export function formatCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(v);
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** Escapes text for HTML. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function positions(t: PlainTable): string[] {
  return t.rows.map((_, i) => String(t.index ? t.index[i] : i));
}

function elided(t: PlainTable): number {
  return t.totalRows > t.rows.length ? Math.ceil(t.rows.length / 2) : -1;
}

/** An HTML table in the style of pandas' `_repr_html_` (class "dataframe"), with an elision row. */
export function tableHtml(t: PlainTable): string {
  const idx = positions(t);
  const cut = elided(t);
  const head = `<thead><tr style="text-align: right;"><th></th>${t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr></thead>`;
  const body = t.rows.map((r, i) => {
    const row = `<tr><th>${escapeHtml(idx[i])}</th>${r.map((v) => `<td>${escapeHtml(formatCell(v))}</td>`).join("")}</tr>`;
    return i === cut ? `<tr><th>…</th>${t.columns.map(() => "<td>…</td>").join("")}</tr>${row}` : row;
  });
  const foot = t.totalRows > t.rows.length ? `<p>${t.totalRows} rows × ${t.columns.length} columns</p>` : "";
  return `<table border="1" class="dataframe">${head}<tbody>${body.join("")}</tbody></table>${foot}`;
}

/** A fixed-width text table (text/plain fallback of a table display). */
export function tableText(t: PlainTable): string {
  const idx = positions(t);
  const cut = elided(t);
  const lines: string[][] = [["", ...t.columns]];
  t.rows.forEach((r, i) => {
    if (i === cut) lines.push(["…", ...t.columns.map(() => "…")]);
    lines.push([idx[i], ...r.map(formatCell)]);
  });
  const widths = lines[0].map((_, j) => Math.max(...lines.map((l) => l[j].length)));
  const text = lines.map((l) => l.map((c, j) => c.padStart(widths[j])).join("  ").trimEnd()).join("\n");
  return t.totalRows > t.rows.length ? `${text}\n\n[${t.totalRows} rows x ${t.columns.length} columns]` : text;
}
