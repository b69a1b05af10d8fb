import { SparkifyError } from "../errors";

/** What a rule does to the rows it matches. */
export type RuleKind = "drop" | "flag";

/** The named cleaning rules, each counted in the data report. */
export const CLEANING_RULES = {
  /** Empty or whitespace-only lines: dropped, never an event. Cannot be turned off. */
  blank_line: { kind: "drop", optional: false },
  /** Events without a user (userId "" or absent: logged out, guests). */
  no_user: { kind: "drop", optional: true },
  /** Exact duplicates of an earlier event (all 18 fields equal, nulls equal). */
  duplicate: { kind: "drop", optional: true },
  /** Numeric userId (Spark re-export) turned into its decimal string; off: quarantined as wrong type. */
  normalise_user_id: { kind: "flag", optional: true },
  /** Events with absent or null optional fields, kept as SQL NULL. Cannot be turned off. */
  nulls_kept: { kind: "flag", optional: false },
  /** Users whose registration is after their first event (counted per user, rows kept). */
  registration_after_first_event: { kind: "flag", optional: true },
} as const satisfies Record<string, { kind: RuleKind; optional: boolean }>;

/** A cleaning rule name. */
export type RuleName = keyof typeof CLEANING_RULES;

/** Which rules are on, after applying the user's choices to the defaults (all on). */
export function resolveRules(choices: Partial<Record<string, boolean>> = {}): Record<RuleName, boolean> {
  const out = {} as Record<RuleName, boolean>;
  for (const name of Object.keys(CLEANING_RULES) as RuleName[]) out[name] = true;
  for (const [name, on] of Object.entries(choices)) {
    if (!(name in CLEANING_RULES)) {
      throw new SparkifyError("E_BAD_OPTION", `unknown cleaning rule "${name}"; rules are ${Object.keys(CLEANING_RULES).join(", ")}`);
    }
    const rule = CLEANING_RULES[name as RuleName];
    if (on === false && !rule.optional) {
      throw new SparkifyError("E_BAD_OPTION", `cleaning rule "${name}" cannot be turned off`);
    }
    if (on !== undefined) out[name as RuleName] = on;
  }
  return out;
}
