import { SparkifyError } from "../../errors";

/** One rule of a static paramConstraints table: a numeric interval or a list of allowed values. */
export type ParamRule =
  | { type: "number"; min?: number; max?: number; minExclusive?: boolean; integer?: boolean; optional?: boolean }
  | { type: "enum"; values: readonly unknown[] };

/**
 * Checks `params` against a paramConstraints table; throws a SparkifyError naming the estimator,
 * the parameter, the value and the rule.
 */
export function checkParams(estimator: string, params: Record<string, unknown>, rules: Record<string, ParamRule>): void {
  for (const [name, rule] of Object.entries(rules)) {
    const v = params[name];
    if (rule.type === "enum") {
      if (!rule.values.includes(v)) {
        throw new SparkifyError("E_BAD_PARAM", `${estimator}: ${name} = ${JSON.stringify(v)} is not one of ${rule.values.map((x) => JSON.stringify(x)).join(", ")}`);
      }
      continue;
    }
    if (v === undefined && rule.optional) continue;
    const bad = (why: string): never => {
      throw new SparkifyError("E_BAD_PARAM", `${estimator}: ${name} = ${JSON.stringify(v)} ${why}`);
    };
    if (typeof v !== "number" || !Number.isFinite(v)) bad("must be a finite number");
    const x = v as number;
    if (rule.integer && !Number.isInteger(x)) bad("must be an integer");
    if (rule.min !== undefined && (rule.minExclusive ? x <= rule.min : x < rule.min)) bad(`must be ${rule.minExclusive ? ">" : ">="} ${rule.min}`);
    if (rule.max !== undefined && x > rule.max) bad(`must be <= ${rule.max}`);
  }
}
