import { strict as assert } from "node:assert";
import { SparkifyError } from "../../lib/errors";
import { checkSavedModel, checkTrainingData } from "../../lib/models/checkInput";
import { matrix } from "./trees/helpers";

describe("models/checkInput", () => {
  it("returns labels and weights (1 by default)", () => {
    const t = checkTrainingData("M", matrix([1, 2, 3], 1), [0, 1, 0]);
    assert.deepEqual(Array.from(t.y), [0, 1, 0]);
    assert.deepEqual(Array.from(t.w), [1, 1, 1]);
  });

  it("needs both classes among rows of positive weight", () => {
    assert.throws(() => checkTrainingData("M", matrix([1, 2, 3], 1), [0, 1, 0], [1, 0, 1]), /both classes.*2 zeros, 0 ones/);
  });

  it("rejects a damaged X and non-objects as saved models", () => {
    assert.throws(() => checkTrainingData("M", { data: new Float64Array(3), nRows: 2, nCols: 2, columns: ["a", "b"] }, [0, 1]), /3 values, expected nRows × nCols = 4/);
    assert.throws(() => checkSavedModel(null, "gbt", 1, "M"), (e: unknown) => e instanceof SparkifyError && /got null/.test(e.message));
    assert.throws(() => checkSavedModel({ kind: "gbt", formatVersion: 1, params: {}, state: [] }, "gbt", 1, "M"), /"state" is missing or not an object/);
  });
});
