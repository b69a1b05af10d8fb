import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SparkifyError } from "../../../lib/errors";
import { createRng } from "../../../lib/random";
import { ProbabilityCalibrator, bundlePredictProba, rawScores } from "../../../lib/models/calibration";
import { FeatureEncoder } from "../../../lib/models/encoding";
import { GradientBoostedTrees } from "../../../lib/models/gbt";
import { BUNDLE_FORMAT_VERSION, loadModel, saveModel, type ModelBundle } from "../../../lib/models/serialize";

describe("models/calibration in a saved bundle", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-calibrated-bundle-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function bundle(): Promise<{ b: ModelBundle; rows: Array<Record<string, number | string | null>> }> {
    const rng = createRng(4);
    const rows = Array.from({ length: 600 }, (_, i) => {
      const songs = Math.round(rng.next() * 100);
      const level = rng.next() < 0.5 ? "paid" : "free";
      return { userId: `u${i}`, songs, level, churn: rng.next() < (songs < 20 ? 0.3 : 0.05) + (level === "free" ? 0.05 : 0) ? 1 : 0 };
    });
    const dictionary = [{ name: "songs", type: "numeric" as const }, { name: "level", type: "categorical" as const }];
    const encoder = await new FeatureEncoder().fit(rows, dictionary);
    const X = encoder.transform(rows);
    const y = rows.map((r) => r.churn as number);
    const model = await new GradientBoostedTrees({ nEstimators: 20, seed: 1 }).fit(X, y);
    const calibrator = await new ProbabilityCalibrator({ method: "isotonic" }).fit(rawScores(model, X), y);
    const b: ModelBundle = {
      formatVersion: BUNDLE_FORMAT_VERSION, kind: "gbt", encoder, model, threshold: 0.2, featureColumns: [...X.columns], trainedAt: new Date(0).toISOString(),
      mode: "forward", cutoff: null, horizon: 14, metrics: {}, calibrator, typical: { songs: 50, level: "paid" }, excludedAttributes: ["gender", "state"],
    };
    return { b, rows };
  }

  it("round-trips the calibrator, typical values and exclusions: the loaded bundle gives the same calibrated probabilities", async () => {
    const { b, rows } = await bundle();
    const file = path.join(dir, "gbt.json");
    saveModel(file, b);
    const loaded = loadModel(file);
    assert.deepEqual(loaded.typical, b.typical);
    assert.deepEqual(loaded.excludedAttributes, ["gender", "state"]);
    assert.equal(loaded.calibrator?.method_, "isotonic");
    const X = loaded.encoder.transform(rows);
    const p = bundlePredictProba(loaded, X);
    assert.deepEqual(Array.from(p), Array.from(bundlePredictProba(b, b.encoder.transform(rows))));
    // calibrated, not the raw model's probabilities
    assert.notDeepEqual(Array.from(p), Array.from(loaded.model.predictProba(X)));
  });

  it("refuses to give probabilities without a calibrator, and names the file of a damaged one", async () => {
    const { b, rows } = await bundle();
    const file = path.join(dir, "old.json");
    saveModel(file, { ...b, calibrator: undefined });
    const old = loadModel(file);
    assert.throws(() => bundlePredictProba(old, old.encoder.transform(rows)), (e: unknown) => e instanceof SparkifyError && e.code === "E_MODEL_VERSION" && /retrain/.test(e.message));
    saveModel(file, b);
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    json.calibrator.state.isotonic.y[0] = 7;
    fs.writeFileSync(file, JSON.stringify(json));
    assert.throws(() => loadModel(file), (e: unknown) => e instanceof SparkifyError && e.message.startsWith(file) && /outside \[0, 1\]/.test(e.message));
  });
});
