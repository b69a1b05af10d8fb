import { strict as assert } from "node:assert";
import { ChromiumUnavailableError, FigureRenderer, confusionMatrix, findChromium, rocCurves } from "../../lib/plots";
import { systemDescribe } from "../helpers/systemSuites";
import { writeOutput } from "./snapshot";

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe("plots/FigureRenderer", function () {
  this.timeout(120_000);

  it("signals a missing Chromium with ChromiumUnavailableError and a hint", async () => {
    await assert.rejects(FigureRenderer.create({ executablePath: "" }), ChromiumUnavailableError);
    await assert.rejects(FigureRenderer.create({ executablePath: "/nonexistent/chromium" }), /No Chromium found.*apt-get install chromium/s);
    assert.equal(findChromium({ SPARKIFY_CHROMIUM: "" }), null);
  });

  systemDescribe("chromium")("with the system Chromium", () => {
    let r: FigureRenderer;
    before(async () => {
      r = await FigureRenderer.create();
    });
    after(async () => {
      await r?.close();
    });

    it("renders several figures to PNG on one page, at the requested size", async () => {
      const roc = rocCurves([{ name: "lr", fpr: [0, 0.2, 1], tpr: [0, 0.7, 1], auc: 0.75 }]);
      const a = await r.toPng(roc);
      const b = await r.toPng(confusionMatrix({ tp: 5, fp: 2, tn: 20, fn: 3 }));
      const c = await r.toPng(roc, { width: 300, height: 200, scale: 2 });
      writeOutput("plots-renderer-roc.png", a);
      writeOutput("plots-renderer-confusion.png", b);
      for (const png of [a, b, c]) assert.ok(png.subarray(0, 8).equals(PNG_MAGIC));
      assert.deepEqual(pngSize(a), { width: 800, height: 450 });
      assert.deepEqual(pngSize(b), { width: 460, height: 380 }, "layout width/height are honoured");
      assert.deepEqual(pngSize(c), { width: 600, height: 400 });
      assert.notDeepEqual(a, c);
    });

    it("renders SVG text with the figure's title", async () => {
      const svg = await r.toSvg(rocCurves([{ name: "gbt", fpr: [0, 1], tpr: [0, 1] }], "My ROC title"));
      writeOutput("plots-renderer-roc.svg", svg);
      assert.match(svg, /^<svg/);
      assert.match(svg, /My ROC title/);
    });

    it("serialises concurrent renders on its one page", async () => {
      const figs = [0.3, 0.6, 0.9].map((t) => rocCurves([{ name: "m", fpr: [0, t, 1], tpr: [0, 0.8, 1] }], `ROC ${t}`));
      const svgs = await Promise.all(figs.map((f) => r.toSvg(f)));
      svgs.forEach((svg, i) => assert.match(svg, new RegExp(`ROC ${[0.3, 0.6, 0.9][i]}`)));
    });
  });
});
