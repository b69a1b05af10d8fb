import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SparkifyError } from "../../../lib/errors";
import { createRng } from "../../../lib/random";
import { FeatureEncoder, type FeatureSpec } from "../../../lib/models/encoding";
import { RandomForest } from "../../../lib/models/forest";
import { GradientBoostedTrees } from "../../../lib/models/gbt";
import { LogisticRegression } from "../../../lib/models/logistic";
import { BUNDLE_FORMAT_VERSION, loadModel, saveModel, type ModelBundle } from "../../../lib/models/serialize";

const dictionary: FeatureSpec[] = [
  { name: "songs", type: "numeric" },
  { name: "level", type: "categorical" },
];

function table(n: number, seed: number): Array<Record<string, number | string | null>> {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const level = rng.next() < 0.5 ? "paid" : "free";
    const songs = rng.next() < 0.1 ? null : Math.round(rng.next() * 100);
    const churn = rng.next() < (level === "free" ? 0.35 : 0.1) + (songs !== null && songs < 20 ? 0.3 : 0) ? 1 : 0;
    return { userId: `u${i}`, songs, level, churn };
  });
}

async function bundle(): Promise<{ b: ModelBundle; rows: ReturnType<typeof table> }> {
  const rows = table(300, 5);
  const encoder = await new FeatureEncoder().fit(rows, dictionary);
  const X = encoder.transform(rows);
  const model = await new LogisticRegression().fit(X, rows.map((r) => r.churn as number));
  const b: ModelBundle = {
    formatVersion: BUNDLE_FORMAT_VERSION, kind: "lr", encoder, model, threshold: 0.42, featureColumns: [...X.columns],
    trainedAt: "2026-01-01T00:00:00.000Z", mode: "forward", cutoff: "2018-11-15T00:00:00.000Z", horizon: 14, label: "cancel", metrics: { auc: 0.7 },
  };
  return { b, rows };
}

describe("models/serialize saveModel/loadModel", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-serialize-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("scores identically after a save/load round trip, with unseen categories too", async () => {
    const { b, rows } = await bundle();
    const file = path.join(dir, "models", "lr.json");
    saveModel(file, b);
    const loaded = loadModel(file);
    assert.equal(loaded.kind, "lr");
    assert.equal(loaded.threshold, 0.42);
    assert.equal(loaded.cutoff, b.cutoff);
    const probe = [...rows, { userId: "new", songs: 3, level: "family-plan", churn: 0 }];
    assert.deepEqual(Array.from(loaded.model.predictProba(loaded.encoder.transform(probe))), Array.from(b.model.predictProba(b.encoder.transform(probe))));
  });

  it("refuses another format version, naming the file", async () => {
    const { b } = await bundle();
    const file = path.join(dir, "old.json");
    saveModel(file, b);
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    fs.writeFileSync(file, JSON.stringify({ ...json, formatVersion: BUNDLE_FORMAT_VERSION + 1 }));
    assert.throws(() => loadModel(file), (e: unknown) => e instanceof SparkifyError && e.message.startsWith(file) && /format version 2/.test(e.message));
    fs.writeFileSync(file, JSON.stringify({ ...json, model: { ...json.model, formatVersion: 7 } }));
    assert.throws(() => loadModel(file), (e: unknown) => e instanceof SparkifyError && e.message.includes(file) && /format version 7/.test(e.message));
  });

  it("refuses an unknown kind and a kind mismatch", async () => {
    const { b } = await bundle();
    const file = path.join(dir, "kind.json");
    saveModel(file, b);
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    fs.writeFileSync(file, JSON.stringify({ ...json, kind: "svm", model: { ...json.model, kind: "svm" } }));
    assert.throws(() => loadModel(file), /unknown model kind "svm"/);
    fs.writeFileSync(file, JSON.stringify({ ...json, kind: "gbt" }));
    assert.throws(() => loadModel(file), /does not match/);
  });

  it("reports a damaged (truncated) file and a missing file clearly", async () => {
    const { b } = await bundle();
    const file = path.join(dir, "damaged.json");
    saveModel(file, b);
    const text = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
    assert.throws(() => loadModel(file), (e: unknown) => e instanceof SparkifyError && e.message.startsWith(file) && /damaged model file/.test(e.message));
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(text), model: { ...JSON.parse(text).model, state: { coefStd: "x" } } }));
    assert.throws(() => loadModel(file), (e: unknown) => e instanceof SparkifyError && e.message.startsWith(file));
    assert.throws(() => loadModel(path.join(dir, "nope.json")), /cannot read the model file \(ENOENT\)/);
  });
});

describe("models/serialize with the tree models", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-serialize-trees-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const kind of ["rf", "gbt"] as const) {
    it(`${kind}: scores identically after save/load`, async () => {
      const rows = table(400, 6);
      const encoder = await new FeatureEncoder().fit(rows, dictionary);
      const X = encoder.transform(rows);
      const y = rows.map((r) => r.churn as number);
      const model = kind === "rf" ? (await new RandomForest({ nEstimators: 20, seed: 3, nThreads: 1 }).fit(X, y)) : (await new GradientBoostedTrees({ nEstimators: 30, seed: 3 }).fit(X, y));
      const file = path.join(dir, `${kind}.json`);
      saveModel(file, {
        formatVersion: BUNDLE_FORMAT_VERSION, kind, encoder, model, threshold: 0.3, featureColumns: [...X.columns],
        trainedAt: new Date(0).toISOString(), mode: "full-history", cutoff: null, horizon: null, metrics: {},
      });
      const loaded = loadModel(file);
      assert.equal(loaded.kind, kind);
      assert.deepEqual(Array.from(loaded.model.predictProba(loaded.encoder.transform(rows))), Array.from(model.predictProba(X)));
    });
  }
});
