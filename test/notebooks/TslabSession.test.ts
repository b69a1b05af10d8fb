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
  // The session captures stdout while a cell's output may still arrive; give it back to mocha.
  afterEach(() => s?.release());
  after(() => s?.close());

  it("captures stdout and the last expression, keeps variables between cells, resolves local .ts under its folder", async () => {
    const a = await s.execute('import { twice } from "./helper";\nlet x: number = twice(21);\nconsole.log("hello");');
    assert.ok(a.ok);
    assert.deepEqual(a.outputs, [{ output_type: "stream", name: "stdout", text: "hello\n" }]);
    const b = await s.execute("x + 1");
    assert.deepEqual(b.outputs, [{ output_type: "stream", name: "stdout", text: "43\n" }]);
    const c = await s.execute('await new Promise((r) => setTimeout(r, 10)); process.cwd()');
    assert.equal((c.outputs[0] as { text: string }).text.trim(), fs.realpathSync(dir));
  });

  it("reports runtime and type errors on stderr with ok=false", async () => {
    const r = await s.execute('throw new Error("kaput")');
    assert.equal(r.ok, false);
    assert.match(r.stderr, /Error: kaput/);
    const t = await s.execute('const y: string = 5;');
    assert.equal(t.ok, false);
    assert.match(t.stderr, /Type 'number' is not assignable to type 'string'/);
  });

  it("forgets variables on reset", async () => {
    s.reset();
    const r = await s.execute("x");
    assert.equal(r.ok, false);
    assert.match(r.stderr, /Cannot find name 'x'/);
  });
});
