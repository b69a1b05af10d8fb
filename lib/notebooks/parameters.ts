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
