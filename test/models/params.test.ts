import { strict as assert } from "node:assert";
import { SparkifyError } from "../../lib/errors";
import { checkParams, type ParamConstraints } from "../../lib/models/params";

const table: ParamConstraints = {
  n: [{ type: "int", min: 1 }],
  rate: [{ type: "number", min: 0, max: 1, minExclusive: true }],
  pick: [{ type: "oneOf", values: ["sqrt", "log2"] }, { type: "number", min: 0, max: 1 }],
  flag: [{ type: "boolean" }],
  weight: [{ type: "oneOf", values: ["balanced", null] }],
  names: [{ type: "strings" }],
};

describe("models/params", () => {
  it("accepts values matching any allowed form", () => {
    checkParams("M", { n: 3, rate: 1, pick: "sqrt", flag: false }, table);
    checkParams("M", { pick: 0.5, weight: null, names: ["a"] }, table);
    checkParams("M", { n: undefined, rate: undefined }, table); // undefined means "the default"
  });

  it("names the estimator, the parameter, the value and what is accepted", () => {
    const cases: Array<[object, RegExp]> = [
      [{ n: 0 }, /^M: parameter n = 0 is invalid; expected an integer >= 1$/],
      [{ n: 1.5 }, /n = 1.5/],
      [{ rate: 0 }, /rate = 0 is invalid; expected a finite number > 0 and <= 1/],
      [{ pick: "all" }, /pick = "all" is invalid; expected one of "sqrt", "log2" or a finite number >= 0 and <= 1/],
      [{ rate: NaN }, /rate = NaN is invalid/],
      [{ pick: -Infinity }, /pick = -Infinity is invalid/],
      [{ weight: "auto" }, /weight = "auto" is invalid; expected one of "balanced", null/],
      [{ names: ["a", 1] }, /names = \["a",1\] is invalid; expected an array of strings/],
      [{ flag: null }, /flag = null is invalid; expected a boolean/],
      [{ flag: "yes" }, /flag = "yes" is invalid; expected a boolean/],
      [{ n: Infinity }, /n = Infinity is invalid/],
      [{ nn: 1 }, /unknown parameter "nn"; known: n, rate, pick, flag, weight, names/],
      [{ nn: undefined }, /unknown parameter "nn"/],
    ];
    for (const [p, re] of cases) assert.throws(() => checkParams("M", p, table), (e: unknown) => e instanceof SparkifyError && e.code === "E_BAD_PARAM" && re.test(e.message));
  });
});
