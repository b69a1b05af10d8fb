import { SparkifyError } from "../errors";

/** One accepted form of a parameter: a number range (optionally integer), a boolean, or fixed strings. */
export type ParamRule =
  | { type: "int" | "number"; min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean }
  | { type: "boolean" }
  | { type: "string"; values: readonly string[] };

/** A parameter table: each name lists the forms its value may take (any one suffices). */
export type ParamConstraints = Readonly<Record<string, readonly ParamRule[]>>;

function describe(rule: ParamRule): string {
  if (rule.type === "boolean") return "a boolean";
  if (rule.type === "string") return `one of ${rule.values.map((v) => JSON.stringify(v)).join(", ")}`;
  const lo = rule.min === undefined ? "" : `${rule.minExclusive ? ">" : ">="} ${rule.min}`;
  const hi = rule.max === undefined ? "" : `${rule.maxExclusive ? "<" : "<="} ${rule.max}`;
  const range = [lo, hi].filter(Boolean).join(" and ");
  return `${rule.type === "int" ? "an integer" : "a number"}${range ? ` ${range}` : ""}`;
}

function matches(rule: ParamRule, v: unknown): boolean {
  if (rule.type === "boolean") return typeof v === "boolean";
  if (rule.type === "string") return typeof v === "string" && rule.values.includes(v);
  if (typeof v !== "number" || !Number.isFinite(v)) return false;
  if (rule.type === "int" && !Number.isInteger(v)) return false;
  if (rule.min !== undefined && (rule.minExclusive ? v <= rule.min : v < rule.min)) return false;
  if (rule.max !== undefined && (rule.maxExclusive ? v >= rule.max : v > rule.max)) return false;
  return true;
}

/**
 * Checks `params` against a constraint table; throws a SparkifyError naming the estimator, the parameter,
 * the bad value and what is accepted. Unknown parameter names are rejected too (a typo would otherwise be ignored).
 */
export function checkParams(estimator: string, params: object, constraints: ParamConstraints): void {
  for (const [name, value] of Object.entries(params)) {
    const rules = constraints[name];
    if (!rules) {
      throw new SparkifyError("E_BAD_PARAM", `${estimator}: unknown parameter "${name}"; known: ${Object.keys(constraints).join(", ")}`);
    }
    if (!rules.some((r) => matches(r, value))) {
      throw new SparkifyError(
        "E_BAD_PARAM",
        `${estimator}: parameter ${name} = ${typeof value === "number" ? String(value) : JSON.stringify(value)} is invalid; expected ${rules.map(describe).join(" or ")}`,
      );
    }
  }
}
