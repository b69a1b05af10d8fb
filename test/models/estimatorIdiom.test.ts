import { strict as assert } from "node:assert";
import { NotFittedError, SparkifyError } from "../../lib/errors";
import { GradientBoostedTrees, LogisticRegression, RandomForest, FeatureEncoder, matrixFromRows, type Classifier, type Matrix } from "../../lib/models";
import { ProbabilityCalibrator } from "../../lib/models/calibration";

// One estimator idiom (issue 13): every estimator in lib/models is held to the same rules here, so a new
// one or a changed one cannot drift back into its own conventions.

type AnyOptions = Record<string, unknown>;
const classifiers: Array<{ name: string; make: (o?: AnyOptions) => Classifier & Record<string, unknown>; quick: AnyOptions }> = [
  { name: "LogisticRegression", make: (o = {}) => new LogisticRegression(o) as never, quick: {} },
  { name: "RandomForest", make: (o = {}) => new RandomForest(o) as never, quick: { nEstimators: 5, nThreads: 1 } },
  { name: "GradientBoostedTrees", make: (o = {}) => new GradientBoostedTrees(o) as never, quick: { nEstimators: 5 } },
];

const X: Matrix = matrixFromRows(Array.from({ length: 40 }, (_, i) => [i % 8, (i * 3) % 7]), ["a", "b"]);
const y = Array.from({ length: 40 }, (_, i) => (i % 8 < 3 ? 1 : 0));
const isCode = (code: string, re?: RegExp) => (e: unknown) => e instanceof SparkifyError && e.code === code && (!re || re.test(e.message));

/** The learned fields (names ending in "_") an instance has defined. */
const learned = (m: object): string[] => Object.entries(m).filter(([k, v]) => k.endsWith("_") && v !== undefined).map(([k]) => k);

describe("models: one estimator idiom", () => {
  for (const { name, make, quick } of classifiers) {
    describe(name, () => {
      it("stores its options as given, checks nothing and learns nothing in the constructor", () => {
        const given = { ...quick, nonsense: -1 };
        const m = make(given);
        assert.equal(m.options, given);
        assert.deepEqual(learned(m), []);
        assert.equal(typeof m.getParams(), "object");
      });

      it("refuses to predict, explain or save before fit (NotFittedError, E_NOT_FITTED)", () => {
        const m = make(quick) as unknown as Classifier & { contributions(X: Matrix): Float64Array; featureImportance(): Float64Array };
        for (const call of [() => m.predictProba(X), () => m.toJSON(), () => m.featureImportance(), () => m.contributions(X)]) {
          assert.throws(call, (e: unknown) => e instanceof NotFittedError && e.code === "E_NOT_FITTED" && e.message.startsWith(name));
        }
      });

      it("fit resolves to the estimator itself, with its learned fields set", async () => {
        const m = make(quick);
        const pending = m.fit(X, y);
        assert.ok(pending instanceof Promise);
        assert.equal(await pending, m);
        assert.ok(learned(m).includes("columns_"), learned(m).join());
        assert.equal(m.predictProba(X).length, X.nRows);
      });

      it("rejects unknown names and non-finite numbers with one code (E_BAD_PARAM)", async () => {
        await assert.rejects(make({ ...quick, nEstimator: 3 }).fit(X, y), isCode("E_BAD_PARAM", new RegExp(`^${name}: unknown parameter "nEstimator"`)));
        const numeric = name === "LogisticRegression" ? "l2" : "maxDepth";
        for (const bad of [Infinity, -Infinity, NaN]) {
          await assert.rejects(make({ ...quick, [numeric]: bad }).fit(X, y), isCode("E_BAD_PARAM", new RegExp(`parameter ${numeric} = ${String(bad)} is invalid`)));
        }
        await assert.doesNotReject(make({ ...quick, [numeric]: undefined }).fit(X, y));
      });

      it("checks its input with the shared checker (E_BAD_INPUT, same wording)", async () => {
        const inf = matrixFromRows([[1, 2], [Infinity, 0], [3, 1], [0, 0]], ["a", "b"]);
        const cases: Array<[Matrix, ArrayLike<number>, ArrayLike<number> | undefined, RegExp]> = [
          [inf, [0, 1, 0, 1], undefined, /X\[1, "a"\] is Infinity; use NaN for a missing value/],
          [X, y.slice(1), undefined, /y has 39 labels but X has 40 rows/],
          [X, y.map((v, i) => (i === 5 ? 2 : v)), undefined, /y\[5\] = 2; labels must be 0 or 1/],
          [X, y.map(() => 1), undefined, /both classes/],
          [X, y, new Float64Array(39).fill(1), /sampleWeight has 39 values but X has 40 rows/],
          [X, y, Float64Array.from(y, (_, i) => (i === 3 ? NaN : 1)), /sampleWeight\[3\] = NaN/],
        ];
        for (const [Xc, yc, w, re] of cases) {
          await assert.rejects(make(quick).fit(Xc, yc, w), isCode("E_BAD_INPUT", new RegExp(`^${name}\\.fit: .*${re.source}`)), re.source);
        }
      });
    });
  }

  it("the calibrator and the encoder follow the same rules", async () => {
    const calOptions = { method: "platt" } as never;
    const cal = new ProbabilityCalibrator(calOptions);
    assert.equal(cal.options, calOptions);
    assert.deepEqual(learned(cal), []);
    assert.throws(() => cal.predictProba([0]), NotFittedError);
    assert.throws(() => cal.toJSON(), NotFittedError);
    await assert.rejects(cal.fit([0, 1], [0, 1]), isCode("E_BAD_PARAM", /method = "platt" is invalid; expected one of "auto", "sigmoid", "isotonic"/));
    await assert.rejects(new ProbabilityCalibrator().fit([0, 1, 2], [0, 1]), isCode("E_BAD_INPUT", /y has 2 labels but scores has 3 rows/));
    const good = new ProbabilityCalibrator({ method: "sigmoid" });
    assert.equal(await good.fit([0, 1, 2, 3], [0, 0, 1, 1]), good);

    const encOptions = { maxCategories: 0 };
    const enc = new FeatureEncoder(encOptions);
    assert.equal(enc.options, encOptions);
    assert.deepEqual(learned(enc), []);
    assert.throws(() => enc.transform([]), (e: unknown) => e instanceof NotFittedError && /call fit\(rows, dictionary\)/.test(e.message));
    await assert.rejects(enc.fit([], [{ name: "a", type: "numeric" }]), isCode("E_BAD_PARAM", /maxCategories = 0 is invalid; expected an integer >= 1/));
    await assert.rejects(new FeatureEncoder({ exclude: "userId" } as never).fit([], []), isCode("E_BAD_PARAM", /exclude = "userId" is invalid; expected an array of strings/));
    await assert.rejects(new FeatureEncoder({ maxCategory: 3 } as never).fit([], []), isCode("E_BAD_PARAM", /unknown parameter "maxCategory"/));
  });
});
