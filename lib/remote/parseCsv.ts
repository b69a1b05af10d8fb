import { SparkifyError } from "../errors";

/** One CSV field: its text, or null for an unquoted empty field (how Spark and Athena write NULL). */
export type CsvCell = string | null;

/** Parses RFC-4180 CSV (quoted fields, doubled quotes, CRLF or LF); `source` names it in errors. */
export function parseCsv(text: string, source: string): CsvCell[][] {
  const rows: CsvCell[][] = [];
  let row: CsvCell[] = [];
  let field = "";
  let wasQuoted = false;
  let quoted = false;
  let line = 1;
  const n = text.length;
  const endField = (): void => {
    row.push(field === "" && !wasQuoted ? null : field);
    field = "";
    wasQuoted = false;
  };
  for (let i = 0; i < n; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
        continue;
      }
      if (c === "\n") line++;
      field += c;
      continue;
    }
    if (c === '"' && field === "" && !wasQuoted) { quoted = true; wasQuoted = true; continue; }
    if (c === ",") { endField(); continue; }
    if (c === "\r" && text[i + 1] === "\n") continue;
    if (c === "\n") { endField(); rows.push(row); row = []; line++; continue; }
    field += c;
  }
  if (quoted) throw new SparkifyError("E_REMOTE_CSV", `${source}, line ${line}: a quoted field is not closed.`);
  if (field !== "" || wasQuoted || row.length > 0) { endField(); rows.push(row); }
  return rows;
}
