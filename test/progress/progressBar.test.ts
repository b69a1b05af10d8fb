// Tests lib/progress (kept beside the store tests: the store is its main user).
import { strict as assert } from "node:assert";
import { PassThrough } from "node:stream";
import { ProgressBar, formatBytes, formatSeconds } from "../../lib/progress";

function sink(): { stream: NodeJS.WriteStream; text: () => string } {
  const s = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
  let out = "";
  s.on("data", (b: Buffer) => (out += b.toString()));
  (s as unknown as { isTTY: boolean }).isTTY = true;
  (s as unknown as { columns: number }).columns = 200;
  s.cursorTo = ((): boolean => true) as never;
  s.clearLine = ((): boolean => true) as never;
  s.moveCursor = ((): boolean => true) as never;
  return { stream: s, text: () => out };
}

describe("progress/ProgressBar", () => {
  it("formats bytes and durations", () => {
    assert.equal(formatBytes(999), "999 B");
    assert.equal(formatBytes(1_500_000), "1.5 MB");
    assert.equal(formatBytes(2.25e9), "2.3 GB");
    assert.equal(formatSeconds(65), "1m05s");
    assert.equal(formatSeconds(Number.NaN), "?");
  });

  it("shows bytes, rows, rate and ETA once the work lasts past the delay", async () => {
    const out = sink();
    const bar = new ProgressBar({ label: "load", totalBytes: 10_000_000, delayMs: 20, stream: out.stream });
    bar.update(2_000_000, 1234);
    await new Promise((r) => setTimeout(r, 60));
    bar.update(5_000_000, 5678);
    bar.stop();
    const text = out.text();
    assert.match(text, /load/);
    assert.match(text, /5\.0 MB\/10\.0 MB/);
    assert.match(text, /5,678 rows/);
    assert.match(text, /MB\/s/);
    assert.match(text, /ETA /);
  });

  it("prints nothing in quiet mode or for work shorter than the delay", async () => {
    for (const quiet of [true, false]) {
      const out = sink();
      const bar = new ProgressBar({ label: "load", totalBytes: 100, quiet, delayMs: quiet ? 0 : 10_000, stream: out.stream });
      bar.update(50, 5);
      await new Promise((r) => setTimeout(r, 20));
      bar.stop();
      assert.equal(out.text(), "");
    }
  });
});
