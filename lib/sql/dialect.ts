/**
 * Every difference between the SQL dialects the feature query is rendered for. The feature
 * definition (lib/features/featureQuery.ts) is written once against the `Sql` helpers below and
 * never spells a dialect-specific construct itself.
 *
 * Choices that keep the definition portable, and why:
 * - Time stays epoch milliseconds (BIGINT) throughout; UTC days are `FLOOR(ts / 86400000)` on a
 *   DOUBLE. No epoch-to-timestamp conversion is needed, so Spark's session time zone (which shifts
 *   `to_date(timestamp_millis(ts))`) and Trino's `timestamp with time zone` cannot change a result.
 * - Division: Trino divides BIGINT by BIGINT as integers (5 / 2 = 2) where DuckDB and Spark give
 *   2.5, so every ratio casts its numerator to DOUBLE and guards its denominator with NULLIF(…, 0):
 *   a ratio over nothing is NULL, never NaN or an error.
 * - Filtered aggregates are `COUNT(CASE WHEN … THEN 1 END)` (an exact BIGINT everywhere; DuckDB's
 *   `FILTER (WHERE …)` and Spark/Trino `count_if` are not needed, and DuckDB sums CASE to HUGEINT).
 * - Distinct counts are `COUNT(DISTINCT …)` in every dialect; long strings (artists) are hashed to
 *   64 bits first (`hash64`: DuckDB hash, Spark xxhash64, Trino xxhash64 over UTF-8 bytes), which
 *   halves DuckDB's time and is exact up to a ~1e-13 collision chance.
 * - CTEs are inlined into each use (DuckDB needs `NOT MATERIALIZED` for that; see `inlineCte`).
 * - Identifiers are unquoted lower/camel-case names that are no reserved word anywhere (Spark quotes
 *   with backticks, the others with double quotes; unquoted names resolve case-insensitively in
 *   all three). Trino returns result column names in lower case: map them back with
 *   `resultColumnKey` (lib/sql/resultColumnKey.ts).
 */
import { SparkifyError, internalError } from "../errors";
import { DAY_MS } from "../events/time";
import { literal } from "./quote";

/** A SQL dialect the feature query can be rendered for. */
export type SqlDialect = "duckdb" | "spark" | "trino";

/** The supported dialects, in a fixed order. */
export const SQL_DIALECTS: readonly SqlDialect[] = ["duckdb", "spark", "trino"];

/** Builders for the SQL fragments that differ between dialects (or must be written one safe way). */
export interface Sql {
  readonly dialect: SqlDialect;
  /** A string literal; Spark also treats backslashes as escapes inside literals. */
  str(value: string): string;
  /** A BIGINT literal (a whole number, checked). */
  bigint(value: number): string;
  /** `CAST(expr AS <string type>)`: VARCHAR in DuckDB and Trino, STRING in Spark. */
  toString(expr: string): string;
  /** `CAST(expr AS DOUBLE)`. */
  toDouble(expr: string): string;
  /** `CAST(expr AS BIGINT)`. */
  toBigint(expr: string): string;
  /** num / den as a DOUBLE, NULL when den is 0 or NULL (never NaN, never integer division). */
  ratio(num: string, den: string): string;
  /** Number of rows where `cond` holds (0 when none): the portable filtered count. */
  countIf(cond: string): string;
  /** Sum of `expr` over rows where `cond` holds (NULL when none). */
  sumIf(cond: string, expr: string): string;
  /** Exact number of distinct non-null values of `expr`. */
  countDistinct(expr: string): string;
  /**
   * A 64-bit hash of a string (NULL stays NULL), to count distinct long strings cheaply: distinct
   * hashes equal distinct strings up to a collision (≈ n²/2^65: 1e-13 for 3,000 artists). The
   * values differ between engines; only their distinctness is used.
   */
  hash64(expr: string): string;
  /** Value of `value` on the row with the largest `order` (rows with a NULL `value` skipped). */
  maxBy(value: string, order: string): string;
  /** UTC day number (days since 1970-01-01) of an epoch-milliseconds expression. */
  utcDay(epochMs: string): string;
  /** Group `group` of the first match of `pattern` in `expr`, NULL when there is no match. */
  regexExtract(expr: string, pattern: string, group: number): string;
  /** `expr` contains the literal text `needle` (case-sensitive LIKE, wildcards escaped). */
  contains(expr: string, needle: string): string;
  /**
   * One common table expression, `name AS (body)`. Event-level CTEs are inlined into every use (see
   * `inlineCte`); pass `small` for per-user results, which DuckDB may compute once and reuse.
   */
  cte(name: string, body: string, small?: boolean): string;
}

/** Per-dialect spellings; everything not listed here is written the same way everywhere. */
interface DialectSpelling {
  stringType: string;
  /** Whether string literals treat `\` as an escape character (Spark's default parser does). */
  backslashEscapes: boolean;
  /** Name of the arg-max aggregate. */
  maxBy: string;
  /** 64-bit string hash call, `$` standing for the argument. */
  hash64: string;
  /**
   * Words after `AS` that make a CTE inlined into each use. DuckDB materialises a CTE used twice
   * (copying every event row: 3× slower here); Spark and Trino inline CTEs on their own and do not
   * know the words.
   */
  inlineCte: string;
}

const SPELLINGS: Readonly<Record<SqlDialect, DialectSpelling>> = {
  duckdb: { stringType: "VARCHAR", backslashEscapes: false, maxBy: "arg_max", hash64: "hash($)", inlineCte: "NOT MATERIALIZED " },
  spark: { stringType: "STRING", backslashEscapes: true, maxBy: "max_by", hash64: "xxhash64($)", inlineCte: "" },
  trino: { stringType: "VARCHAR", backslashEscapes: false, maxBy: "max_by", hash64: "xxhash64(to_utf8($))", inlineCte: "" },
};

/** The `Sql` builders of one dialect. */
export function sqlFor(dialect: SqlDialect): Sql {
  const spelling = SPELLINGS[dialect];
  if (!spelling) throw new SparkifyError("E_BAD_OPTION", `unknown SQL dialect "${String(dialect)}"; choose one of ${SQL_DIALECTS.join(", ")}`);
  const str = (value: string): string => literal(value, { backslashEscapes: spelling.backslashEscapes });
  const toDouble = (expr: string): string => `CAST(${expr} AS DOUBLE)`;
  return {
    dialect,
    str,
    bigint(value: number): string {
      if (!Number.isSafeInteger(value)) throw internalError(`not a whole number for a BIGINT literal: ${value}`);
      return `CAST(${value} AS BIGINT)`;
    },
    toString: (expr) => `CAST(${expr} AS ${spelling.stringType})`,
    toDouble,
    toBigint: (expr) => `CAST(${expr} AS BIGINT)`,
    ratio: (num, den) => `${toDouble(num)} / NULLIF(${toDouble(den)}, 0)`,
    countIf: (cond) => `COUNT(CASE WHEN ${cond} THEN 1 END)`,
    sumIf: (cond, expr) => `SUM(CASE WHEN ${cond} THEN ${expr} END)`,
    countDistinct: (expr) => `COUNT(DISTINCT ${expr})`,
    // DuckDB's hash(NULL) and Spark's xxhash64(NULL) (= 42) are not NULL: keep NULL NULL.
    hash64: (expr) => `CASE WHEN ${expr} IS NULL THEN NULL ELSE ${spelling.hash64.replace("$", expr)} END`,
    maxBy: (value, order) => `${spelling.maxBy}(${value}, CASE WHEN ${value} IS NOT NULL THEN ${order} END)`,
    utcDay: (epochMs) => `FLOOR(${toDouble(epochMs)} / ${DAY_MS})`,
    regexExtract(expr, pattern, group) {
      // regexp_extract(s, p, g) has one name in all three, but DuckDB and Spark return '' on no
      // match where Trino returns NULL: NULLIF makes every dialect return NULL. Patterns must avoid
      // backslashes (Java, RE2 and Joni escapes differ); str() still escapes them for Spark.
      return `NULLIF(regexp_extract(${expr}, ${str(pattern)}, ${group}), '')`;
    },
    contains(expr, needle) {
      if (/[%_\\]/.test(needle)) throw internalError(`contains(): needle must not hold LIKE wildcards: ${needle}`);
      return `${expr} LIKE ${str(`%${needle}%`)}`;
    },
    cte: (name, body, small = false) => `${name} AS ${small ? "" : spelling.inlineCte}(\n${body}\n)`,
  };
}
