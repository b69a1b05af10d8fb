import { EVENT_COLUMN_TYPES, EVENT_FIELDS, type EventField } from "../events/schema";

/** Fields every event must carry (non-null) or the line is quarantined. */
export const REQUIRED_FIELDS: readonly EventField[] = ["ts", "page", "sessionId", "auth"];

/** Fields that may be absent or null (kept as SQL NULL). userId is handled on its own. */
export const OPTIONAL_FIELDS: readonly EventField[] = EVENT_FIELDS.filter(
  (f) => !REQUIRED_FIELDS.includes(f) && f !== "userId",
);

const INTEGER_TYPES = "('BIGINT','UBIGINT')";

/** SQL quoting of an identifier. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** SQL quoting of a string literal. */
export function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** JSON structure for json_transform: every field with its table type. */
export function transformStructure(): string {
  return JSON.stringify(Object.fromEntries(EVENT_FIELDS.map((f) => [f, EVENT_COLUMN_TYPES[f]])));
}

/** DuckDB struct literal for read_ndjson's `columns`: every field as JSON or with its table type. */
export function columnSpec(as: "JSON" | "typed"): string {
  const parts = EVENT_FIELDS.map((f) => `${literal(f)}: ${literal(as === "JSON" ? "JSON" : EVENT_COLUMN_TYPES[f])}`);
  return `{${parts.join(", ")}}`;
}

/** Name of the column holding a field's JSON type in typedFieldsSql's output. */
function typeCol(f: EventField): string {
  return ident(`__t_${f}`);
}

/**
 * Select-list computing each field's JSON type once (`__t_<field>`, NULL when absent) and passing
 * the raw JSON of integer fields on (`<field>`), for reasonSql to read.
 */
export function fieldTypesSql(get: (f: EventField) => string): string {
  const parts = EVENT_FIELDS.map((f) => `json_type(${get(f)}) AS ${typeCol(f)}`);
  for (const f of EVENT_FIELDS) {
    if (EVENT_COLUMN_TYPES[f] === "INTEGER" || EVENT_COLUMN_TYPES[f] === "BIGINT" || f === "userId") parts.push(`${get(f)} AS ${ident(`__v_${f}`)}`);
  }
  return parts.join(", ");
}

function isNullish(f: EventField): string {
  return `coalesce(${typeCol(f)}, 'NULL') = 'NULL'`;
}

function fits(f: EventField, sqlType: string): string {
  return `TRY_CAST(CAST(${ident(`__v_${f}`)} AS VARCHAR) AS ${sqlType}) IS NOT NULL`;
}

function check(field: EventField, cond: string, expected: string): string {
  return `WHEN NOT (${isNullish(field)}) AND NOT (${cond}) THEN 'wrong type for "${field}": ' || lower(${typeCol(field)}) || ${literal(`, expected ${expected}`)}`;
}

function typeCheck(field: EventField): string {
  const t = typeCol(field);
  switch (EVENT_COLUMN_TYPES[field]) {
    case "VARCHAR":
      return check(field, `${t} = 'VARCHAR'`, "a string");
    case "DOUBLE":
      return check(field, `${t} IN ('BIGINT','UBIGINT','DOUBLE')`, "a number");
    case "INTEGER":
      return check(field, `${t} IN ${INTEGER_TYPES} AND ${fits(field, "INTEGER")}`, "a 32-bit integer");
    case "BIGINT":
      return check(field, `${t} IN ${INTEGER_TYPES} AND ${fits(field, "BIGINT")}`, "a 64-bit integer");
    default:
      throw new Error(`no type check for ${EVENT_COLUMN_TYPES[field]}`);
  }
}

/**
 * SQL expression giving the quarantine reason of one parsed JSON object, or NULL when the event is
 * good, over the columns of fieldTypesSql. The fast path (read_ndjson columns) and the line-by-line
 * path use this same expression, so both accept exactly the same lines.
 */
export function reasonSql(normaliseUserId: boolean): string {
  const whens: string[] = [];
  for (const f of REQUIRED_FIELDS) whens.push(`WHEN ${isNullish(f)} THEN 'missing field "${f}"'`);
  for (const f of REQUIRED_FIELDS) whens.push(typeCheck(f));
  const t = typeCol("userId");
  const uidOk = normaliseUserId ? `${t} = 'VARCHAR' OR (${t} IN ${INTEGER_TYPES} AND ${fits("userId", "BIGINT")})` : `${t} = 'VARCHAR'`;
  whens.push(check("userId", uidOk, normaliseUserId ? "a string or an integer" : "a string"));
  for (const f of OPTIONAL_FIELDS) whens.push(typeCheck(f));
  return `CASE ${whens.join(" ")} ELSE NULL END`;
}

/** SQL boolean over fieldTypesSql's columns: the userId is a JSON number (normalise_user_id). */
export function numericUserIdSql(): string {
  return `coalesce(${typeCol("userId")} IN ${INTEGER_TYPES}, false)`;
}

/** The 18 typed columns of the events table from a typed struct or typed columns, userId never NULL. */
export function typedSelectList(col: (f: EventField) => string): string {
  return EVENT_FIELDS.map((f) => (f === "userId" ? `coalesce(${col(f)}, '') AS "userId"` : `${col(f)} AS ${ident(f)}`)).join(", ");
}
