import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { TslabSession } from "../../lib/notebooks/TslabSession";
import { tempDir } from "./nbTestUtil";

describe("notebooks/TslabSession", function () {
  this.timeout(120_000);
  let dir: string;
  let s: TslabSession;
  before(async () => {
    dir = tempDir("sparkify-tslab-");
    fs.writeFileSync(path.join(dir, "helper.ts"), "export const twice = (x: number): number => 2 * x;\n");
    s = await TslabSession.create(dir);
  });
  after(() => s?.close());

  // The session keeps capturing stdout after a cell (late output belongs to it); give it back to mocha.
  async function run(src: string) {
    const r = await s.execute(src);
    s.release();
    return r;
  }

  it("captures stdout and the last expression, keeps variables between cells, resolves local .ts under its folder", async () => {
    const a = await run('import { twice } from "./helper";\nlet x: number = twice(21);\nconsole.log("hello");');
    assert.ok(a.ok);
    assert.deepEqual(a.outputs, [{ output_type: "stream", name: "stdout", text: "hello\n" }]);
    const b = await run("x + 1");
    assert.deepEqual(b.outputs, [{ output_type: "stream", name: "stdout", text: "43\n" }]);
    const c = await run('await new Promise((r) => setTimeout(r, 10)); process.cwd()');
    assert.equal((c.outputs[0] as { text: string }).text.trim(), fs.realpathSync(dir));
  });

  it("reports runtime and type errors as an `error` output (name, message, frames) with ok=false, not as stderr text", async () => {
    const r = await run('console.error("a note");\nclass QuotaError extends Error { name = "QuotaError"; }\nthrow new QuotaError("kaput")');
    assert.equal(r.ok, false);
    assert.deepEqual(r.outputs[0], { output_type: "stream", name: "stderr", text: "a note\n" }, "the cell's own stderr stays");
    const err = r.outputs[r.outputs.length - 1];
    assert.equal(err.output_type, "error");
    assert.deepEqual([r.error?.ename, r.error?.evalue], ["QuotaError", "kaput"]);
    assert.equal(r.error?.traceback[0], "QuotaError: kaput");
    assert.ok(r.error!.traceback.slice(1).every((l) => /^\s+at /.test(l)));
    assert.equal(r.stderr, "a note\n");
    const t = await run('const y: string = 5;');
    assert.equal(t.ok, false);
    assert.equal(t.error?.ename, "TypeScriptError");
    assert.equal(t.error?.evalue, "line 1, column 7: Type 'number' is not assignable to type 'string'.");
    assert.equal(t.stderr, "");
  });

  it("interrupts a cell past its timeout with CellTimeoutError, and streams outputs to onOutput as they come", async () => {
    const seen: string[] = [];
    const r = await s.execute('console.log("start");\nawait new Promise((r) => setTimeout(r, 30_000));', { timeoutSeconds: 0.5, onOutput: (o) => seen.push(o.output_type === "stream" ? o.text : o.output_type) });
    s.release();
    assert.equal(r.ok, false);
    assert.equal(r.error?.ename, "CellTimeoutError");
    assert.equal(r.error?.evalue, "A cell timed out while it was being executed, after 0.5 seconds.");
    assert.deepEqual(seen, ["start\n", "error"]);
  });

  it("forgets variables on reset", async () => {
    s.reset();
    const r = await run("x");
    assert.equal(r.ok, false);
    assert.match(r.error!.evalue, /Cannot find name 'x'/);
  });
});
