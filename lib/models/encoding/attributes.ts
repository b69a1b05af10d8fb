import { SparkifyError } from "../../errors";

/**
 * Source attributes that describe who a listener is rather than how they behave: gender, and the
 * state taken from location. They stay out of the model inputs by default, because a retention
 * team cannot act on them, a "reason" saying "gender: F" is a fairness problem, and on small samples
 * per-state dummies fit noise. The EDA still shows churn by them.
 */
export const NON_BEHAVIOUR_ATTRIBUTES: readonly string[] = ["gender", "state"];

/**
 * The attributes to leave out of the model inputs: NON_BEHAVIOUR_ATTRIBUTES minus those opted in
 * with `include`. Throws a SparkifyError naming an unknown attribute.
 */
export function excludedAttributes(include: readonly string[] = []): string[] {
  for (const name of include) {
    if (!NON_BEHAVIOUR_ATTRIBUTES.includes(name)) {
      throw new SparkifyError("E_BAD_OPTION", `--include ${name}: only ${NON_BEHAVIOUR_ATTRIBUTES.join(" and ")} can be included (the other features are model inputs already)`);
    }
  }
  return NON_BEHAVIOUR_ATTRIBUTES.filter((a) => !include.includes(a));
}
