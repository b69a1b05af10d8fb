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

  it("reports runtime and type errors on stderr with ok=false", async () => {
    const r = await run('throw new Error("kaput")');
    assert.equal(r.ok, false);
    assert.match(r.stderr, /Error: kaput/);
    const t = await run('const y: string = 5;');
    assert.equal(t.ok, false);
    assert.match(t.stderr, /Type 'number' is not assignable to type 'string'/);
  });

  it("forgets variables on reset", async () => {
    s.reset();
    const r = await run("x");
    assert.equal(r.ok, false);
    assert.match(r.stderr, /Cannot find name 'x'/);
  });
});
