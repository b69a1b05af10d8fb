import { DataFrame } from "danfojs";
import { SparkifyError } from "../errors";
import { tableRows } from "./formatTable";

/** The statistics {@link describe} reports, in row order (pandas' `describe` plus the null count). */
export const DESCRIBE_STATS = ["count", "nulls", "mean", "std", "min", "25%", "50%", "75%", "max"] as const;

/** Summary statistics of one numeric column, nulls skipped. */
export interface ColumnSummary {
  /** Non-null values. */
  count: number;
  /** Null, undefined or NaN values (pandas counts NaN as missing too). */
  nulls: number;
  mean: number;
  /** Sample standard deviation (n - 1), as pandas; NaN below two values. */
  std: number;
  min: number;
  "25%": number;
  "50%": number;
  "75%": number;
  max: number;
}

/** The q-quantile of sorted values with linear interpolation (pandas' and NumPy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** A value as a number, null when missing, undefined when not numeric at all. */
function toNumber(v: unknown): number | null | undefined {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return Number.isNaN(v) ? null : v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  return undefined;
}

/**
 * Summarises one column's values, skipping nulls (and NaN) as pandas does; throws naming the
 * column when a value is not numeric.
 */
export function summarizeColumn(name: string, values: unknown[]): ColumnSummary {
  const xs: number[] = [];
  let nulls = 0;
  for (const v of values) {
    const x = toNumber(v);
    if (x === undefined) throw new SparkifyError("E_BAD_OPTION", `describe: column "${name}" is not numeric (value ${JSON.stringify(v)}); pick numeric columns.`);
    if (x === null) nulls++;
    else xs.push(x);
  }
  const sorted = Float64Array.from(xs).sort();
  const n = sorted.length;
  let sum = 0;
  for (const x of sorted) sum += x;
  const mean = n ? sum / n : NaN;
  let ss = 0;
  for (const x of sorted) ss += (x - mean) ** 2;
  return {
    count: n, nulls, mean, std: n > 1 ? Math.sqrt(ss / (n - 1)) : NaN,
    min: n ? sorted[0] : NaN, "25%": quantileSorted(sorted, 0.25), "50%": quantileSorted(sorted, 0.5), "75%": quantileSorted(sorted, 0.75), max: n ? sorted[n - 1] : NaN,
  };
}

function isNumericColumn(values: unknown[]): boolean {
  return values.every((v) => v === null || v === undefined || typeof v === "number" || typeof v === "bigint" || typeof v === "boolean");
}

/**
 * Summary statistics like pandas' `DataFrame.describe()`, as a danfo DataFrame with one row per
 * statistic (count, nulls, mean, std, min, quartiles, max) and one column per numeric column.
 * Unlike danfo's own `describe()`, which throws on the first null, it skips nulls and counts them.
 * @param source a danfo DataFrame or an array of row objects
 * @param columns the columns to describe (default: every numeric column)
 */
export function describe(source: unknown, columns?: string[]): DataFrame {
  const t = tableRows(source);
  const wanted = columns ?? t.columns.filter((_, j) => isNumericColumn(t.rows.map((r) => r[j])));
  const summaries = wanted.map((c) => {
    const j = t.columns.indexOf(c);
    if (j < 0) throw new SparkifyError("E_BAD_OPTION", `describe: no column "${c}" (have: ${t.columns.join(", ")}).`);
    return summarizeColumn(c, t.rows.map((r) => r[j]));
  });
  if (wanted.length === 0) throw new SparkifyError("E_BAD_OPTION", "describe: the table has no numeric column.");
  const rows = DESCRIBE_STATS.map((s) => summaries.map((m) => m[s]));
  return new DataFrame(rows, { columns: wanted, index: [...DESCRIBE_STATS] });
}
