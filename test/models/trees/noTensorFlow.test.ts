import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../../..");

/**
 * In a fresh process (the mocha process has TensorFlow.js loaded by other tests): loads what a
 * cross-validation worker loads at start, fits forest and boosted-tree folds, computes their
 * permutation importance and scores them, then fits logistic regression; prints which of these steps
 * found @tensorflow/tfjs in the module cache.
 */
function probe(): Record<string, boolean> {
  const script = `
    require(${JSON.stringify(require.resolve("tsx/cjs"))});
    const root = ${JSON.stringify(ROOT)};
    const tfLoaded = () => Object.keys(require.cache).some((k) => k.includes("@tensorflow"));
    const seen = {};
    require(root + "/lib/evaluation/cvWorker.ts");
    seen.workerStart = tfLoaded();
    const { fitFold } = require(root + "/lib/evaluation/crossValidate.ts");
    const { permutationImportance } = require(root + "/lib/evaluation/permutationImportance.ts");
    const { takeRows } = require(root + "/lib/models/types.ts");
    const n = 240;
    const data = Float64Array.from({ length: n * 3 }, (_, k) => ((k * 7919) % 101) / 101);
    const X = { data, nRows: n, nCols: 3, columns: ["a", "b", "c"] };
    const y = Float64Array.from({ length: n }, (_, i) => (data[i * 3] > 0.6 ? 1 : 0));
    const fold = { train: Int32Array.from({ length: 180 }, (_, i) => i), test: Int32Array.from({ length: 60 }, (_, i) => 180 + i) };
    (async () => {
      for (const kind of ["rf", "gbt"]) {
        const fit = await fitFold(kind, { nEstimators: 10, seed: 1 }, X, y, fold, "balanced", 1);
        permutationImportance(fit.model, takeRows(X, fold.test), y.subarray(180), { nRepeats: 1 });
      }
      seen.afterTrees = tfLoaded();
      await fitFold("lr", {}, X, y, fold, "balanced", 1);
      seen.afterLogistic = tfLoaded();
      process.stdout.write(JSON.stringify(seen));
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  const out = execFileSync(process.execPath, ["-e", script], { cwd: ROOT, env: { ...process.env, SPARKIFY_QUIET: "1" }, encoding: "utf8" });
  return JSON.parse(out) as Record<string, boolean>;
}

describe("models/trees without TensorFlow.js", function () {
  this.timeout(120_000);

  it("a worker fitting, explaining and scoring tree models never loads TensorFlow.js; logistic regression loads it when it runs", () => {
    const seen = probe();
    assert.equal(seen.workerStart, false, "loaded by the worker's imports");
    assert.equal(seen.afterTrees, false, "loaded while fitting or explaining tree models");
    assert.equal(seen.afterLogistic, true, "logistic regression ran without TensorFlow.js: the probe cannot see it");
  });
});
