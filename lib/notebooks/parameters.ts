import * as path from "node:path";
import { SparkifyError } from "../errors";
import { Cell, Notebook, cellSource, hasTag, toLines } from "./notebookFormat";

/** A parameter value: what `--param key=value` and JSON can express. */
export type ParamValue = string | number | boolean | null | ParamValue[] | { [key: string]: ParamValue };

/**
 * Types a `--param` value the way papermill's `-p` does: integers and decimals become numbers,
 * true/false booleans, null/none null, JSON arrays/objects/quoted strings are parsed, anything else
 * stays a string.
 */
export function parseParamValue(raw: string): ParamValue {
  const v = raw.trim();
  if (/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v) && Number.isFinite(Number(v))) return Number(v);
  if (/^(true|false)$/i.test(v)) return v.toLowerCase() === "true";
  if (/^(null|none)$/i.test(v)) return null;
  if (/^[[{"]/.test(v)) {
    try {
      return JSON.parse(v) as ParamValue;
    } catch {
      return raw;
    }
  }
  return raw;
}

/** Parses `key=value` pairs (repeatable `--param`) into typed parameters; a bad pair is an error naming it. */
export function parseParamArgs(pairs: string[]): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const p of pairs) {
    const eq = p.indexOf("=");
    const key = eq > 0 ? p.slice(0, eq).trim() : "";
    if (!/^[A-Za-z_$][\w$]*$/.test(key)) {
      throw new SparkifyError("E_BAD_PARAM", `--param expects key=value with a TypeScript identifier as key, got "${p}".`);
    }
    out[key] = parseParamValue(p.slice(eq + 1));
  }
  return out;
}

/** Splits `key=value` pairs into raw strings, typed later from each notebook's parameters cell; a bad pair is an error naming it. */
export function splitParamArgs(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf("=");
    const key = eq > 0 ? p.slice(0, eq).trim() : "";
    if (!/^[A-Za-z_$][\w$]*$/.test(key)) {
      throw new SparkifyError("E_BAD_PARAM", `--param expects key=value with a TypeScript identifier as key, got "${p}".`);
    }
    out[key] = p.slice(eq + 1);
  }
  return out;
}

/** Names and declared types (when annotated) of the variables a parameters cell declares. */
export function declaredParameters(source: string): Map<string, string | null> {
  const out = new Map<string, string | null>();
  const re = /^\s*(?:export\s+)?(?:let|const|var)\s+([A-Za-z_$][\w$]*)\s*(?::\s*([^=;]+?))?\s*=/gm;
  for (let m = re.exec(source); m; m = re.exec(source)) out.set(m[1], m[2]?.trim() ?? null);
  return out;
}

/** TypeScript source of an `injected-parameters` cell: `let` re-declarations, keeping declared types. */
export function parametersSource(params: Record<string, ParamValue>, declared: Map<string, string | null> = new Map()): string {
  const lines = ["// Parameters injected by sparkify-churn notebooks"];
  for (const [k, v] of Object.entries(params)) {
    const type = declared.get(k);
    lines.push(`let ${k}${type ? `: ${type}` : ""} = ${JSON.stringify(v)};`);
  }
  return lines.join("\n") + "\n";
}

/** Result of {@link injectParameters}. */
export interface InjectionResult {
  notebook: Notebook;
  /** Given parameters the notebook's `parameters` cell does not declare (papermill warns too). */
  unknown: string[];
  /** Index of the injected cell, or -1 when no parameters were given. */
  injectedIndex: number;
}

/**
 * Papermill's convention: removes an earlier `injected-parameters` cell, then inserts a new one
 * right after the cell tagged `parameters` (at the top when there is none).
 */
export function injectParameters(nb: Notebook, params: Record<string, ParamValue>): InjectionResult {
  const cells = nb.cells.filter((c) => !hasTag(c, "injected-parameters"));
  const copy: Notebook = { ...nb, cells };
  if (Object.keys(params).length === 0) return { notebook: copy, unknown: [], injectedIndex: -1 };
  const pIndex = cells.findIndex((c) => c.cell_type === "code" && hasTag(c, "parameters"));
  const declared = pIndex >= 0 ? declaredParameters(cellSource(cells[pIndex])) : new Map<string, string | null>();
  const unknown = Object.keys(params).filter((k) => !declared.has(k));
  const cell: Cell = {
    cell_type: "code",
    execution_count: null,
    metadata: { tags: ["injected-parameters"] },
    outputs: [],
    source: toLines(parametersSource(params, declared)),
  };
  if (nb.nbformat_minor >= 5) cell.id = "injected-parameters";
  const at = pIndex + 1;
  cells.splice(at, 0, cell);
  return { notebook: copy, unknown, injectedIndex: at };
}

/** One parameter a notebook's `parameters` cell declares. */
export interface DeclaredParameter {
  name: string;
  /** The declared TypeScript type (`string`, `number`, `boolean`, `string[]`, unions), or null. */
  type: string | null;
  /** The default as a JSON value when it is a literal (papermill's `default_parameters`), else its source text. */
  value: ParamValue;
  /** The comment after the declaration, which says what the parameter means. */
  help: string;
}

/** The parameters a notebook declares in its cell tagged `parameters`, in order (none when it has no such cell). */
export function notebookParameters(nb: Notebook): DeclaredParameter[] {
  const cell = nb.cells.find((c) => c.cell_type === "code" && hasTag(c, "parameters"));
  if (!cell) return [];
  const out: DeclaredParameter[] = [];
  const re = /^\s*(?:export\s+)?(?:let|const|var)\s+([A-Za-z_$][\w$]*)\s*(?::\s*([^=;]+?))?\s*=\s*(.*?);?\s*(?:\/\/\s*(.*))?$/gm;
  for (let m = re.exec(cellSource(cell)); m; m = re.exec(cellSource(cell))) {
    const raw = m[3].trim().replace(/;$/, "");
    let value: ParamValue;
    try {
      value = JSON.parse(raw) as ParamValue;
    } catch {
      value = raw;
    }
    out.push({ name: m[1], type: m[2]?.trim() ?? null, value, help: m[4]?.trim() ?? "" });
  }
  return out;
}

function typeParts(type: string): string[] {
  return type.split("|").map((t) => t.trim()).filter(Boolean);
}

/**
 * Types a value for a declared parameter: a string given on the command line becomes what the
 * parameters cell declares (`number`, `boolean`, `string[]` from JSON or a comma list, `null`
 * where allowed); a value that cannot be that type is an error naming the parameter.
 */
export function coerceParameter(value: ParamValue, declared: DeclaredParameter, where: string): ParamValue {
  const type = declared.type;
  const bad = (want: string) => new SparkifyError("E_BAD_PARAM", `Parameter ${declared.name} of ${where} is ${want} (declared \`${type}\`), got ${JSON.stringify(value)}.`);
  if (!type) return typeof value === "string" ? parseParamValue(value) : value;
  const parts = typeParts(type);
  if (value === null || (typeof value === "string" && /^(null|none)$/i.test(value.trim()) && parts.includes("null"))) {
    if (parts.includes("null") || parts.includes("undefined")) return null;
    throw bad(`not nullable`);
  }
  if (typeof value !== "string") {
    // Values given as data (the programmatic API) are checked, not converted.
    const kind = Array.isArray(value) ? "array" : typeof value;
    const ok = parts.some((p) => p === kind || (p.endsWith("[]") && kind === "array") || /^(any|unknown)$/.test(p) || (kind === "object" && /^Record|^\{/.test(p)));
    if (!ok) throw bad(`of type ${type}`);
    return value;
  }
  const v = value;
  if (parts.includes("string") || parts.some((p) => /^".*"$/.test(p))) return v;
  if (parts.includes("number")) {
    if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v.trim())) return Number(v);
    throw bad("a number");
  }
  if (parts.includes("boolean")) {
    if (/^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === "true";
    throw bad("true or false");
  }
  const arr = parts.find((p) => p.endsWith("[]") || /^Array</.test(p));
  if (arr) {
    const parsed = v.trim().startsWith("[") ? (parseParamValue(v) as ParamValue) : v.split(",").map((s) => s.trim()).filter(Boolean);
    if (!Array.isArray(parsed)) throw bad("a list (JSON array or comma-separated)");
    return /number/.test(arr) ? parsed.map((x) => (typeof x === "string" ? Number(x) : x)) : parsed;
  }
  return parseParamValue(v);
}

/** Parameters holding paths (resolved against the caller's working folder): `input`, `out` and names ending in _path, _dir, _file. */
export function isPathParameter(name: string): boolean {
  return name === "input" || name === "out" || /_(path|dir|file)$/.test(name);
}

/**
 * Resolves a relative local path against `cwd`; URLs (s3://…), absolute paths and "" stay as they
 * are.
 */
export function resolvePathValue(value: ParamValue, cwd: string): ParamValue {
  if (typeof value !== "string" || value === "") return value;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) || path.isAbsolute(value) ? value : path.resolve(cwd, value);
}
