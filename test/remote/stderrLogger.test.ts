import { strict as assert } from "node:assert";
import { stderrLogger } from "../../lib/remote/stderrLogger";

/** A stand-in for process.stderr that keeps what is written. */
function stream(isTTY: boolean): NodeJS.WriteStream & { out: string } {
  const s = { out: "", isTTY, write(chunk: string) { s.out += chunk; return true; } };
  return s as unknown as NodeJS.WriteStream & { out: string };
}

describe("remote/stderrLogger", () => {
  it("off a terminal, prints a progress line only when the state changes", () => {
    const s = stream(false);
    const log = stderrLogger(s);
    log.progress("job: RUNNING after 1 s (limit 1 h 00 min)");
    log.progress("job: RUNNING after 2 s (limit 1 h 00 min)");
    log.progress("job: SUCCESS after 3 s (limit 1 h 00 min)");
    log.warn("careful");
    assert.equal(s.out, "job: RUNNING after 1 s (limit 1 h 00 min)\njob: SUCCESS after 3 s (limit 1 h 00 min)\nwarning: careful\n");
  });

  it("on a terminal, rewrites one progress line and ends it before a message", () => {
    const s = stream(true);
    const log = stderrLogger(s);
    log.progress("a");
    log.progress("b");
    log.info("done");
    assert.equal(s.out, "\ra\x1b[K\rb\x1b[K\ndone\n");
  });
});
