import { internalError } from "../errors";
import { EVENT_COLUMN_TYPES, EVENT_FIELDS, OPTIONAL_FIELDS, REQUIRED_FIELDS, USER_FIELD, type EventField } from "../events/schema";
import { ident, literal } from "../sql/quote";


/** JSON structure for json_transform: every field with its table type. */
export function transformStructure(): string {
  return JSON.stringify(Object.fromEntries(EVENT_FIELDS.map((f) => [f, EVENT_COLUMN_TYPES[f]])));
}

/** DuckDB struct literal for read_ndjson's `columns`: every field as JSON or with its table type. */
export function columnSpec(as: "JSON" | "typed"): string {
  const parts = EVENT_FIELDS.map((f) => `${literal(f)}: ${literal(as === "JSON" ? "JSON" : EVENT_COLUMN_TYPES[f])}`);
  return `{${parts.join(", ")}}`;
}

// Type checks read the JSON text of each value (first character, exact integer round trip):
// json_type() allocates a parse per call and was 20× slower. json_type only names the wrong type
// in the error branch, which runs on bad rows alone.

function txt(v: string): string {
  return `CAST(${v} AS VARCHAR)`;
}

function isNullish(v: string): string {
  return `coalesce(${txt(v)} = ${literal("null")}, true)`;
}

function exactInt(v: string, sqlType: string): string {
  return `CAST(TRY_CAST(${txt(v)} AS ${sqlType}) AS VARCHAR) = ${txt(v)}`;
}

function isOk(v: string, kind: string): string {
  switch (kind) {
    case "VARCHAR":
      return `starts_with(${txt(v)}, ${literal('"')})`;
    case "DOUBLE":
      return `TRY_CAST(${txt(v)} AS DOUBLE) IS NOT NULL`;
    case "INTEGER":
    case "BIGINT":
      return exactInt(v, kind);
    default:
      throw internalError(`no type check for ${kind}`);
  }
}

const EXPECTED: Record<string, string> = {
  VARCHAR: "a string", DOUBLE: "a number", INTEGER: "a 32-bit integer", BIGINT: "a 64-bit integer",
};

function check(field: EventField, v: string, cond: string, expected: string): string {
  return `WHEN NOT ${isNullish(v)} AND NOT coalesce(${cond}, false) THEN ${literal(`wrong type for "${field}": `)} || lower(json_type(${v})) || ${literal(`, expected ${expected}`)}`;
}

/**
 * SQL expression giving the quarantine reason of one parsed JSON object, or NULL when the event is
 * good. `get(field)` is the SQL of that field's raw JSON value (SQL NULL when absent). The fast path
 * (read_ndjson JSON columns) and the line-by-line path use this same expression, so both accept
 * exactly the same lines.
 */
export function reasonSql(get: (f: EventField) => string, normaliseUserId: boolean): string {
  const whens: string[] = [];
  for (const f of REQUIRED_FIELDS) whens.push(`WHEN ${isNullish(get(f))} THEN ${literal(`missing field "${f}"`)}`);
  for (const f of REQUIRED_FIELDS) whens.push(check(f, get(f), isOk(get(f), EVENT_COLUMN_TYPES[f]), EXPECTED[EVENT_COLUMN_TYPES[f]]));
  const uid = get(USER_FIELD);
  const uidOk = normaliseUserId ? `${isOk(uid, "VARCHAR")} OR ${exactInt(uid, "BIGINT")}` : isOk(uid, "VARCHAR");
  whens.push(check(USER_FIELD, uid, uidOk, normaliseUserId ? "a string or an integer" : "a string"));
  for (const f of OPTIONAL_FIELDS) whens.push(check(f, get(f), isOk(get(f), EVENT_COLUMN_TYPES[f]), EXPECTED[EVENT_COLUMN_TYPES[f]]));
  return `CASE ${whens.join(" ")} ELSE NULL END`;
}

/** SQL boolean: the userId is a JSON integer (counted by the normalise_user_id rule). */
export function numericUserIdSql(get: (f: EventField) => string): string {
  return `coalesce(${exactInt(get(USER_FIELD), "BIGINT")}, false)`;
}

/** The 18 typed columns of the events table from a typed struct or typed columns, userId never NULL. */
export function typedSelectList(col: (f: EventField) => string): string {
  return EVENT_FIELDS.map((f) => (f === USER_FIELD ? `coalesce(${col(f)}, ${literal("")}) AS ${ident(USER_FIELD)}` : `${col(f)} AS ${ident(f)}`)).join(", ");
}
