import { EVENT_COLUMN_TYPES, EVENT_FIELDS, type EventField } from "../../events/schema";
import { SparkifyError } from "../../errors";

/** How one event field is read from a Parquet file's column. */
export interface ColumnPlan {
  field: EventField;
  /** DuckDB type of the file's column. */
  source: string;
  /** "as-is": the column has the field's type; "cast": a lossless (or range-checked) conversion; "null": read as NULL. */
  use: "as-is" | "cast" | "null";
  /** Values may not fit the field's type (BIGINT into INTEGER): rows out of range are quarantined. */
  rangeCheck: boolean;
  /** A floating-point column: NaN and infinities are quarantined (JSON cannot hold them). */
  finiteCheck: boolean;
  /** An integer userId (Spark's numeric re-export): normalised to its decimal string, or quarantined when the rule is off. */
  numericUserId: boolean;
}

/** A column of a type the field cannot take; acceptable only when it holds no value at all. */
export interface WrongType {
  field: EventField;
  source: string;
  expected: string;
}

const SIGNED = ["TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"];
const UNSIGNED = ["UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT"];
/** Integer types whose every value fits each target type. */
const FITS: Record<string, string[]> = {
  INTEGER: ["TINYINT", "SMALLINT", "INTEGER", "UTINYINT", "USMALLINT"],
  BIGINT: ["TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER"],
};

function isInteger(t: string): boolean {
  return SIGNED.includes(t) || UNSIGNED.includes(t);
}

/** What a field accepts, in words, for the schema error. */
export function expectedType(field: EventField, normaliseUserId: boolean): string {
  if (field === "userId") return normaliseUserId ? "a string (VARCHAR) or an integer" : "a string (VARCHAR)";
  if (field === "ts" || field === "registration") return "an integer (BIGINT, epoch milliseconds)";
  switch (EVENT_COLUMN_TYPES[field]) {
    case "VARCHAR": return "a string (VARCHAR)";
    case "BIGINT": return "an integer (BIGINT)";
    case "INTEGER": return "an integer (INTEGER)";
    default: return "a number (DOUBLE)";
  }
}

function planOne(field: EventField, source: string): ColumnPlan | null {
  const target = EVENT_COLUMN_TYPES[field];
  const plan = (use: ColumnPlan["use"], extra: Partial<ColumnPlan> = {}): ColumnPlan => ({
    field, source, use, rangeCheck: false, finiteCheck: false, numericUserId: false, ...extra,
  });
  if (source === target) return plan("as-is", { finiteCheck: target === "DOUBLE" });
  if (source === '"NULL"' || source === "NULL") return plan("null");
  if (field === "userId") return isInteger(source) ? plan("cast", { numericUserId: true }) : null;
  if (target === "INTEGER" || target === "BIGINT") {
    if (!isInteger(source)) return null;
    return plan("cast", { rangeCheck: !FITS[target].includes(source) });
  }
  if (target === "DOUBLE") {
    if (source === "FLOAT") return plan("cast", { finiteCheck: true });
    if (isInteger(source) || /^DECIMAL\(\d+,\d+\)$/.test(source)) return plan("cast");
  }
  return null;
}

/**
 * Plans how each of the 18 fields is read from a Parquet file with these columns (DuckDB types).
 * A missing field is an error naming the file and the columns; a field of another type is returned
 * in `wrongTypes` (the caller accepts it only if the column holds no value: Spark infers an
 * always-null JSON field as a string column). Extra columns are ignored, as extra JSON keys are.
 */
export function planColumns(source: string, columns: Array<{ name: string; type: string }>, normaliseUserId: boolean): { plan: ColumnPlan[]; wrongTypes: WrongType[] } {
  const types = new Map(columns.map((c) => [c.name, c.type]));
  const missing = EVENT_FIELDS.filter((f) => !types.has(f));
  if (missing.length > 0) {
    const near = missing.map((f) => columns.find((c) => c.name.toLowerCase() === f.toLowerCase())).filter((c) => c !== undefined);
    throw new SparkifyError(
      "E_INPUT_FORMAT",
      `${source} is a Parquet file of another schema: it has no column ${missing.map((f) => `"${f}"`).join(", ")}` +
        (near.length > 0 ? ` (it has ${near.map((c) => `"${c!.name}"`).join(", ")}: names are case-sensitive)` : "") +
        `. Expected the 18 Sparkify event fields: ${EVENT_FIELDS.join(", ")}`,
    );
  }
  const plan: ColumnPlan[] = [];
  const wrongTypes: WrongType[] = [];
  for (const field of EVENT_FIELDS) {
    const type = types.get(field)!;
    const p = planOne(field, type);
    if (p) plan.push(p);
    else {
      wrongTypes.push({ field, source: type, expected: expectedType(field, normaliseUserId) });
      plan.push({ field, source: type, use: "null", rangeCheck: false, finiteCheck: false, numericUserId: false });
    }
  }
  return { plan, wrongTypes };
}

/** The error for a column of the wrong type that holds values. */
export function wrongTypeError(source: string, w: WrongType, values: number): SparkifyError {
  return new SparkifyError(
    "E_INPUT_FORMAT",
    `${source} is a Parquet file of another schema: column "${w.field}" is ${w.source} (${values} non-null values), expected ${w.expected}`,
  );
}
