// bin/run-ts.js, the tsx launcher behind `npm run bench` and `build:wasm`: a missing entry point is a usage
// error, not a stack trace.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../lib/config";

const RUN_TS = path.join(PROJECT_ROOT, "bin", "run-ts.js");

describe("tooling: bin/run-ts.js", function () {
  this.timeout(60_000);

  it("prints its usage and exits 2 when no entry point is given", () => {
    const r = spawnSync(process.execPath, [RUN_TS], { cwd: PROJECT_ROOT, encoding: "utf8" });
    assert.equal(r.status, 2, `${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /^usage: node bin\/run-ts\.js <entry\.ts> \[args\.\.\.\]/);
    assert.doesNotMatch(r.stderr, /TypeError|at /);
  });

  it("runs the entry point with the remaining arguments as its argv", () => {
    const r = spawnSync(process.execPath, [RUN_TS, "test/tooling/fixtures/printArgv.fixture.ts", "a", "--b"], { cwd: PROJECT_ROOT, encoding: "utf8" });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.equal(r.stdout.trim(), JSON.stringify(["a", "--b"]));
  });
});
