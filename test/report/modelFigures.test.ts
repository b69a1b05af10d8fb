import { strict as assert } from "node:assert";
import { calibrationQuantileTable, calibrationTable } from "../../lib/evaluation/metrics";
import { modelFigures } from "../../lib/report/modelFigures";
import type { MetricsInput } from "../../lib/report";
import { fixtureMetrics } from "./reportFixture";

/** A run at a 5 % base rate: calibrated probabilities all below 0.3, as on the default data. */
function lowRateMetrics(withQuantile: boolean): MetricsInput {
  const m = fixtureMetrics(5, 2000);
  let s = 7;
  const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  for (const key of Object.keys(m.models)) {
    const p = Array.from({ length: 2000 }, () => 0.002 + 0.25 * rnd() ** 3);
    const y = p.map((v) => (rnd() < v ? 1 : 0));
    m.models[key].calibration = calibrationTable(y, p);
    if (withQuantile) m.models[key].calibration_quantile = calibrationQuantileTable(y, p);
    else delete m.models[key].calibration_quantile;
  }
  return m;
}

describe("report/modelFigures: the calibration chart", () => {
  it("uses the equal-count bins of metrics.json when every model has them: ten points per model, not two or three", () => {
    const m = lowRateMetrics(true);
    const fig = modelFigures(m, "gbt").find((f) => f.id === "calibration");
    assert.ok(fig, "a calibration chart");
    const models = fig.figure.data.filter((t) => t.name !== "perfect");
    assert.equal(models.length, 3);
    for (const [i, key] of Object.keys(m.models).entries()) {
      const bins = m.models[key].calibration_quantile!;
      assert.equal(bins.length, 10);
      assert.deepEqual(models[i].x, bins.map((b) => b.meanPredicted));
    }
    assert.match(String(JSON.stringify(fig.figure.layout.title)), /equal-count/);
  });

  it("falls back to the equal-width bins for a metrics.json without them", () => {
    const m = lowRateMetrics(false);
    const fig = modelFigures(m, "gbt").find((f) => f.id === "calibration")!;
    const models = fig.figure.data.filter((t) => t.name !== "perfect");
    const widthBins = m.models.lr.calibration!.filter((b) => (b.count ?? 0) > 0);
    assert.ok(widthBins.length <= 3, "at this base rate the equal-width bins hold the rows in two or three bins");
    assert.deepEqual(models[0].x, widthBins.map((b) => b.meanPredicted));
    assert.doesNotMatch(String(JSON.stringify(fig.figure.layout.title)), /equal-count/);
  });
});
