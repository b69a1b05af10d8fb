import { SparkifyError } from "../errors";

/**
 * One accepted form of a parameter: a finite number in a range (optionally an integer), a boolean, one of
 * fixed values, or an array of strings. Numbers are always finite: no parameter here means anything at
 * ±Infinity or NaN, so those are refused rather than left to fail deep inside a fit.
 */
export type ParamRule =
  | { type: "int" | "number"; min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean }
  | { type: "boolean" }
  | { type: "oneOf"; values: readonly (string | number | boolean | null)[] }
  | { type: "strings" };

/** A parameter table: each name lists the forms its value may take (any one suffices). */
export type ParamConstraints = Readonly<Record<string, readonly ParamRule[]>>;

function describe(rule: ParamRule): string {
  if (rule.type === "boolean") return "a boolean";
  if (rule.type === "strings") return "an array of strings";
  if (rule.type === "oneOf") return `one of ${rule.values.map((v) => JSON.stringify(v)).join(", ")}`;
  const lo = rule.min === undefined ? "" : `${rule.minExclusive ? ">" : ">="} ${rule.min}`;
  const hi = rule.max === undefined ? "" : `${rule.maxExclusive ? "<" : "<="} ${rule.max}`;
  const range = [lo, hi].filter(Boolean).join(" and ");
  return `${rule.type === "int" ? "an integer" : "a finite number"}${range ? ` ${range}` : ""}`;
}

function matches(rule: ParamRule, v: unknown): boolean {
  if (rule.type === "boolean") return typeof v === "boolean";
  if (rule.type === "strings") return Array.isArray(v) && v.every((s) => typeof s === "string");
  if (rule.type === "oneOf") return rule.values.includes(v as string | number | boolean | null);
  if (typeof v !== "number" || !Number.isFinite(v)) return false;
  if (rule.type === "int" && !Number.isInteger(v)) return false;
  if (rule.min !== undefined && (rule.minExclusive ? v <= rule.min : v < rule.min)) return false;
  if (rule.max !== undefined && (rule.maxExclusive ? v >= rule.max : v > rule.max)) return false;
  return true;
}

function show(v: unknown): string {
  return typeof v === "number" ? String(v) : v === undefined ? "undefined" : JSON.stringify(v);
}

/**
 * Checks an estimator's options against its constraint table, as given to the constructor: an undefined
 * value means "the default" and passes. Throws a SparkifyError (E_BAD_PARAM) naming the estimator, the
 * parameter, the bad value and what is accepted; an unknown name is refused too (a typo would otherwise be
 * ignored and the default used silently).
 * @example
 * import { checkParams } from "./lib/models/params";
 * const rules = { nEstimators: [{ type: "int", min: 1 }], method: [{ type: "oneOf", values: ["a", "b"] }] } as const;
 * checkParams("Demo", { nEstimators: 10, method: undefined }, rules); // passes: undefined means the default
 * let message = "";
 * try { checkParams("Demo", { nEstimator: 10 }, rules); } catch (e) { message = (e as Error).message; }
 * if (!message.includes('unknown parameter "nEstimator"')) throw new Error(message);
 */
export function checkParams(estimator: string, params: object, constraints: ParamConstraints): void {
  for (const [name, value] of Object.entries(params)) {
    const rules = constraints[name];
    if (!rules) {
      throw new SparkifyError("E_BAD_PARAM", `${estimator}: unknown parameter "${name}"; known: ${Object.keys(constraints).join(", ")}`);
    }
    if (value === undefined) continue;
    if (!rules.some((r) => matches(r, value))) {
      throw new SparkifyError("E_BAD_PARAM", `${estimator}: parameter ${name} = ${show(value)} is invalid; expected ${rules.map(describe).join(" or ")}`);
    }
  }
}

/** The options in effect: `defaults`, overridden by each given option that is not undefined. */
export function resolveParams<P extends object>(defaults: P, given: Partial<P>): P {
  const set = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<P>;
  return { ...defaults, ...set };
}
