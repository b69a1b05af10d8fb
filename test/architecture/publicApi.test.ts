import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { typeErrorsOf } from "../helpers/typeCheckSource";
import * as api from "../../lib";

const ROOT = path.resolve(__dirname, "..", "..");

// What a notebook or a script reaches for; each must come from the front door.
const PUBLIC_VALUES = [
  "SparkifyError", "NotFittedError", "EventStore", "openEvents", "CLEANING_RULES", "computeFeatures", "features", "featureDictionary",
  "readFeaturesCsv", "writeFeaturesCsv", "runPipeline", "scorePipeline", "buildTrainingTable", "snapshotFeatures", "openEventSource",
  "LogisticRegression", "RandomForest", "GradientBoostedTrees", "FeatureEncoder", "ProbabilityCalibrator",
  "bundlePredictProba", "saveModel", "loadModel", "trainAndEvaluate", "scoreUsers", "rocAuc", "averagePrecision",
  "logLoss", "brierScore", "expectedCalibrationError", "runEda", "rocCurves", "calibrationPlot", "gainsChart",
  "FigureRenderer", "buildReport", "writeReport", "simulate", "runSimulation", "oracleScores",
];

// Internals that stay in their folders: kernels, SQL text, workers, caches, CLI parsing, notebook running.
const INTERNAL_NAMES = [
  "escapeHtml", "tableHtml", "buildHistogram", "findBestSplit", "growTree", "binMatrix", "startModuleWorker",
  "registerRemoteOptions", "parseChoice", "parseNumber", "countNewlines", "createS3Client",
  "downloadToCache", "globToRegExp", "buildFeatureQuery", "sqlFor", "renderFeatureQuery", "shuffleInPlace",
  "createRng", "TslabSession", "installKernel", "runNotebooks", "acquireRunLock", "injectParameters",
  "userGroupCte", "churnRateSql", "PROJECT_ROOT",
];

/** The first ```ts block after the README's public-API marker. */
function readmeExample(): string {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const at = readme.indexOf("<!-- public-api-example -->");
  assert.ok(at >= 0, "README.md has no <!-- public-api-example --> marker");
  const m = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(m, "no ```ts block after the marker");
  return m[1];
}

/** Type errors of `source` as a file in the repository root (see typeErrorsOf). */
function typeErrors(source: string): string[] {
  return typeErrorsOf(source, "readme-example.ts");
}

describe("architecture: lib/index.ts, the public API", () => {
  it("exports what a notebook or a script needs", () => {
    const missing = PUBLIC_VALUES.filter((name) => !(name in api) || (api as Record<string, unknown>)[name] === undefined);
    assert.deepEqual(missing, []);
  });

  it("exports no internals", () => {
    assert.deepEqual(INTERNAL_NAMES.filter((name) => name in api), []);
  });

  it("points package.json main and types at where the build puts lib/index.ts", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { main?: string; types?: string };
    const build = JSON.parse(fs.readFileSync(path.join(ROOT, "tsconfig.json"), "utf8")) as { compilerOptions: { outDir: string; rootDir: string } };
    // rootDir "." keeps the lib/ folder under outDir, so lib/index.ts compiles to <outDir>/lib/index.js.
    const out = path.posix.join(build.compilerOptions.outDir, path.posix.relative(build.compilerOptions.rootDir, "lib/index"));
    assert.equal(pkg.main, `${out}.js`);
    assert.equal(pkg.types, `${out}.d.ts`);
  });

  it("type-checks the README's script", function () {
    this.timeout(300_000);
    const source = readmeExample();
    assert.match(source, /from "\.\/lib"/);
    assert.deepEqual(typeErrors(source), []);
  });

  it("reports a type error in a script that misuses the API (the check can fail)", function () {
    this.timeout(300_000);
    const errors = typeErrors('import { trainAndEvaluate } from "./lib";\nvoid trainAndEvaluate(42, { folds: "five" });\n');
    assert.ok(errors.length > 0, "a wrong call type-checked");
  });
});
