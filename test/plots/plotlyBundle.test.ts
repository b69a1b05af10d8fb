import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { PLOTLY_BUNDLE, PLOTLY_TRACE_TYPES, assertTracesInBundle, barChart, calibrationPlot, confusionMatrix, distributionByGroup, gainsChart, plotlyBundlePath } from "../../lib/plots";

describe("plots/plotlyBundle", () => {
  it("is the minified partial bundle, small enough for a 4 MB report, and registers every trace type it claims", () => {
    const src = fs.readFileSync(plotlyBundlePath(), "utf8");
    assert.ok(src.length < 2_000_000, `${PLOTLY_BUNDLE.package} is ${src.length} bytes`);
    assert.match(src.slice(0, 200), /plotly\.js \(cartesian - minified\) v3\./);
    const registered = new Set([...src.matchAll(/moduleType:"trace",name:"([a-z0-9]+)"/g)].map((m) => m[1]));
    assert.deepEqual([...registered].sort(), [...PLOTLY_TRACE_TYPES].sort());
  });

  it("accepts every trace type the figure builders use and names the figure that uses another", () => {
    const figs = {
      bar: barChart({ title: "t", labels: ["a"], series: [{ name: "s", values: [1] }] }),
      heat: confusionMatrix({ tp: 1, fp: 2, tn: 3, fn: 4 }),
      box: distributionByGroup([{ name: "g", values: [1, 2] }], { title: "t", valueTitle: "v", kind: "box" }),
      hist: distributionByGroup([{ name: "g", values: [1, 2] }], { title: "t", valueTitle: "v" }),
      scatter: calibrationPlot([]),
      gains: gainsChart([]),
    };
    assert.doesNotThrow(() => assertTracesInBundle(figs));
    assert.throws(() => assertTracesInBundle({ ...figs, map: { data: [{ type: "choropleth" }], layout: {} } }), /Figure map uses the trace type "choropleth"/);
  });
});
