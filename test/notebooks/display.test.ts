import { strict as assert } from "node:assert";
import { PLOTLY_MIME, closeDisplay, show, showAll, showTable } from "../../lib/notebooks/display";
import { rocCurves } from "../../lib/plots";
import { systemIt } from "../helpers/systemSuites";

type Msg = { data: Record<string, unknown>; metadata: Record<string, unknown> };

// The channel tslab's kernel sets for the running cell; the test plays the kernel.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData: ((m: Msg, update: boolean) => void) | null };

function collect(): Msg[] {
  const got: Msg[] = [];
  jupyter.lastWriteDisplayData = (m) => got.push(m);
  return got;
}

describe("notebooks/display", function () {
  this.timeout(120_000);
  const saved = process.env.SPARKIFY_CHROMIUM;
  afterEach(async () => {
    jupyter.lastWriteDisplayData = null;
    if (saved === undefined) delete process.env.SPARKIFY_CHROMIUM;
    else process.env.SPARKIFY_CHROMIUM = saved;
    await closeDisplay();
  });

  it("without Chromium shows the Plotly JSON alone and, once, a note on how to get PNGs", async () => {
    process.env.SPARKIFY_CHROMIUM = "";
    const got = collect();
    const fig = rocCurves([{ name: "lr", fpr: [0, 1], tpr: [0, 1] }], "no png");
    await show(fig);
    await show(fig);
    assert.equal(got.length, 3, "two figures and one note");
    assert.deepEqual(Object.keys(got[0].data).sort(), [PLOTLY_MIME, "text/plain"]);
    assert.deepEqual(got[0].data[PLOTLY_MIME], { data: fig.data, layout: fig.layout });
    assert.match(String(got[1].data["text/markdown"]), /apt-get install chromium/);
    assert.deepEqual(Object.keys(got[2].data).sort(), [PLOTLY_MIME, "text/plain"]);
  });

  it("showAll shows the figures of a record in order, skipping missing ones", async () => {
    const got = collect();
    const a = rocCurves([{ name: "a", fpr: [0, 1], tpr: [0, 1] }], "A");
    const b = rocCurves([{ name: "b", fpr: [0, 1], tpr: [0, 1] }], "B");
    await showAll({ a, missing: undefined, b }, { png: false });
    assert.deepEqual(got.map((m) => m.data["text/plain"]), ["<Plotly figure: A>", "<Plotly figure: B>"]);
  });

  systemIt("chromium")("with Chromium adds a PNG fallback, reusing one renderer", async () => {
    const got = collect();
    await show(rocCurves([{ name: "lr", fpr: [0, 1], tpr: [0, 1] }]));
    await show(rocCurves([{ name: "rf", fpr: [0, 0.5, 1], tpr: [0, 0.9, 1] }]), { width: 320, height: 240 });
    assert.equal(got.length, 2);
    for (const m of got) assert.match(String(m.data["image/png"]), /^iVBORw0KGgo/);
    const png = Buffer.from(String(got[1].data["image/png"]), "base64");
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [320, 240]);
  });

  it("shows tables as HTML with a text fallback, and refuses to run outside a notebook", async () => {
    const got = collect();
    showTable([{ a: 1, b: "x" }], { caption: "T" });
    assert.match(String(got[0].data["text/html"]), /^<p><b>T<\/b><\/p><table/);
    assert.match(String(got[0].data["text/plain"]), /^T\n/);
    jupyter.lastWriteDisplayData = null;
    assert.throws(() => showTable([{ a: 1 }]), /display in a notebook/);
    await assert.rejects(show(rocCurves([]), { png: false }), /display in a notebook/);
  });
});
