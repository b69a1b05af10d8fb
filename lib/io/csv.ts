import { SparkifyError } from "../errors";

/** One CSV field: its text, or null for an unquoted empty field (how Spark, Athena and writeFeaturesCsv write NULL). */
export type CsvCell = string | null;

/** Options of the CSV reader. */
export interface CsvReadOptions {
  /** The error code of a malformed text (default "E_INPUT_FORMAT"; the remote engines' results use "E_REMOTE_OUTPUT"). */
  code?: ConstructorParameters<typeof SparkifyError>[0];
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * Calls `fn` with each record of RFC-4180 CSV text (quoted fields, doubled quotes, CRLF or LF) and
 * the line it starts on; `source` names the text in errors (`source:line: what`). A blank line (one
 * unquoted empty field) is no record. Text after a closing quote other than a comma or a line end,
 * and a quote never closed, are errors. Fields are sliced, never built a character at a time, so
 * large tables parse at memory speed.
 */
export function forEachCsvRecord(text: string, source: string, fn: (cells: CsvCell[], line: number) => void, options: CsvReadOptions = {}): void {
  const code = options.code ?? "E_INPUT_FORMAT";
  const n = text.length;
  let i = 0;
  let line = 1;
  let start = 1;
  let row: CsvCell[] = [];
  while (i < n) {
    let value: CsvCell;
    if (text.charCodeAt(i) === QUOTE) {
      let j = i + 1;
      let from = j;
      let v = "";
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) throw new SparkifyError(code, `${source}:${start}: a quoted field is not closed.`);
        if (text.charCodeAt(q + 1) === QUOTE) {
          v += text.slice(from, q + 1);
          j = q + 2;
          from = j;
          continue;
        }
        v += text.slice(from, q);
        i = q + 1;
        break;
      }
      for (let k = v.indexOf("\n"); k >= 0; k = v.indexOf("\n", k + 1)) line++;
      value = v;
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === COMMA || c === LF || c === CR) break;
        j++;
      }
      value = j === i ? null : text.slice(i, j);
      i = j;
    }
    row.push(value);
    const c = i < n ? text.charCodeAt(i) : -1;
    if (c === COMMA) {
      i++;
      if (i >= n) row.push(null);
      else continue;
    } else if (c === CR || c === LF) {
      if (c === CR) i++;
      if (i < n && text.charCodeAt(i) === LF) i++;
    } else if (c !== -1) {
      throw new SparkifyError(code, `${source}:${line}: unexpected character after a quoted field.`);
    }
    if (!(row.length === 1 && row[0] === null)) fn(row, start);
    row = [];
    line++;
    start = line;
  }
}

/**
 * One CSV field as the readers here read it back exactly: null and undefined are an empty field (a missing
 * value); a string is quoted when it holds a quote, comma or line break, starts or ends with white space, or
 * is empty (so "" stays a text, not a missing value); numbers and booleans are written as String() writes them.
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "string") return String(value);
  return value === "" || /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Parses RFC-4180 CSV text into records (see forEachCsvRecord). */
export function parseCsv(text: string, source: string, options: CsvReadOptions = {}): CsvCell[][] {
  const rows: CsvCell[][] = [];
  forEachCsvRecord(text, source, (cells) => rows.push(cells), options);
  return rows;
}
