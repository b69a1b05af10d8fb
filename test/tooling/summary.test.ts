// The closing summary of a run (test/helpers/summaryReporter.ts) and strict mode, on a child mocha
// run of a fixture whose system parts are made missing with SPARKIFY_TEST_WITHOUT.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../lib/config";
import { systemPartMissing } from "../helpers/systemSuites";

const FIXTURE = path.join(__dirname, "fixtures", "needsSystem.fixture.ts");

function runFixture(env: Record<string, string>, args: string[] = []): { status: number | null; out: string; last: string } {
  const clean = { ...process.env };
  for (const k of ["CI", "SPARKIFY_STRICT", "SPARKIFY_TEST_WITHOUT", "FIXTURE_PLAIN_SKIP", "SPARKIFY_CONFORMANCE_DIR"]) delete clean[k];
  const r = spawnSync(process.execPath, [require.resolve("mocha/bin/mocha.js", { paths: [PROJECT_ROOT] }), ...args, FIXTURE], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    env: { ...clean, ...env },
  });
  const out = `${r.stdout}${r.stderr}`;
  return { status: r.status, out, last: r.stdout.trimEnd().split("\n").pop() ?? "" };
}

describe("tooling: the run's summary and strict mode", function () {
  this.timeout(120_000);

  it("names each suite that cannot run with what to install, and ends with the plain count line", () => {
    const r = runFixture({ SPARKIFY_TEST_WITHOUT: "radosgw,chromium" });
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /Suites: 1 ran, 1 passed, 0 failed, 1 skipped; 2 not run for a missing system part or data:/);
    assert.match(r.out, /not run: fixture: a suite that needs radosgw: Ceph radosgw .* is missing: SPARKIFY_TEST_WITHOUT names it; install it with `apt-get install radosgw ceph-mon ceph-osd`/);
    assert.match(r.out, /not run: fixture: plain tests: Chromium is missing: .*`apt-get install chromium`/);
    assert.equal(r.last, "1 passed, 0 failed, 2 skipped");
  });

  it("lists only the parts that are missing", () => {
    const r = runFixture({ SPARKIFY_TEST_WITHOUT: "chromium", SPARKIFY_CHROMIUM: "" });
    assert.match(r.out, /not run: fixture: plain tests: Chromium/);
    // (On a machine without radosgw its suite is listed too.)
    if (systemPartMissing("radosgw") === null) assert.doesNotMatch(r.out, /not run: fixture: a suite that needs radosgw/);
  });

  for (const [how, env] of [["CI=true", { CI: "true" }], ["SPARKIFY_STRICT=1 (what `npm test -- --strict` sets)", { SPARKIFY_STRICT: "1" }]] as const) {
    it(`${how}: a suite that cannot run fails the run`, () => {
      const r = runFixture({ SPARKIFY_TEST_WITHOUT: "radosgw,chromium", ...env });
      assert.notEqual(r.status, 0, r.out);
      assert.match(r.out, /fixture: a suite that needs radosgw: cannot run, Ceph radosgw .* Strict mode \(CI=true or --strict\) fails a suite that cannot run/);
      assert.equal(r.last, "1 passed, 2 failed");
    });
  }

  it("strict mode also fails a test skipped without a declared reason", () => {
    // Only the two plain tests (-g), so that no system part is involved.
    const grep = ["-g", "passes|is skipped"];
    const loose = runFixture({ FIXTURE_PLAIN_SKIP: "1" }, grep);
    assert.equal(loose.status, 0, loose.out);
    assert.match(loose.out, /skipped without a declared reason: 1 test\(s\) in "fixture: plain tests"/);
    assert.equal(loose.last, "1 passed, 0 failed, 1 skipped");
    const strict = runFixture({ FIXTURE_PLAIN_SKIP: "1", CI: "true" }, grep);
    assert.notEqual(strict.status, 0, strict.out);
    assert.match(strict.out, /Strict mode \(CI=true or --strict\): 1 skipped test\(s\) count as failed/);
    assert.equal(strict.last, "1 passed, 1 failed");
  });
});
