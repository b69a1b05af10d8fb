// The "TensorFlow.js backend: …" notice is the CLI's to ask for (announceBackend), not read from the
// environment: a library caller, a notebook and a CV worker thread stay quiet without setting anything.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../lib/config";

const NOTICE = /TensorFlow\.js backend: /g;

/** Runs `body` (TypeScript, with `backend` and `LogisticRegression` imported) in a fresh process; its stderr. */
function stderrOf(body: string, env: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "backend-notice-"));
  const file = path.join(dir, "script.ts");
  fs.writeFileSync(file, [
    `import * as backend from ${JSON.stringify(path.join(PROJECT_ROOT, "lib/models/backend"))};`,
    `import { LogisticRegression } from ${JSON.stringify(path.join(PROJECT_ROOT, "lib/models"))};`,
    "void backend; void LogisticRegression;",
    "async function main(): Promise<void> {",
    body,
    "}",
    "main().catch((e) => { console.error(e); process.exit(1); });",
  ].join("\n"));
  const clean = { ...process.env };
  delete clean.SPARKIFY_QUIET;
  const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "bin/run-ts.js"), file], { cwd: PROJECT_ROOT, encoding: "utf8", env: { ...clean, ...env } });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  return r.stderr;
}

const FIT = [
  "{ const X = { data: Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7]), nRows: 8, nCols: 1, columns: ['x'] };",
  "await new LogisticRegression().fit(X, Float64Array.from([0, 0, 0, 1, 0, 1, 1, 1])); }",
].join("\n");

describe("models: the TensorFlow.js backend notice", function () {
  this.timeout(120_000);

  it("is not printed by a library caller, even without SPARKIFY_QUIET", () => {
    assert.equal(stderrOf(FIT).match(NOTICE), null);
  });

  it("is printed once when asked for with announceBackend(true), and not when asked off again", () => {
    assert.equal(stderrOf(`backend.announceBackend(true);\n${FIT}\n${FIT}`).match(NOTICE)?.length, 1);
    assert.equal(stderrOf(`backend.announceBackend(true);\nbackend.announceBackend(false);\n${FIT}`).match(NOTICE), null);
  });

  it("is asked for by the CLI unless --quiet or SPARKIFY_QUIET", () => {
    // A probe command added to the real program: the program's preAction hook decides before any action runs.
    const probe = (args: string, env: Record<string, string> = {}) => stderrOf([
      `const { buildProgram } = require(${JSON.stringify(path.join(PROJECT_ROOT, "lib/cli/main"))}) as typeof import("../../lib/cli/main");`,
      "const program = buildProgram();",
      `program.command("probe").option("--quiet").action(async () => { ${FIT.replace(/\n/g, " ")} });`,
      `await program.parseAsync(["node", "sparkify-churn", "probe", ${args}]);`,
    ].join("\n"), env).match(NOTICE)?.length ?? 0;
    assert.equal(probe(""), 1);
    assert.equal(probe(`"--quiet"`), 0);
    assert.equal(probe("", { SPARKIFY_QUIET: "1" }), 0);
  });

  it("ignores SPARKIFY_QUIET: the variable is the CLI's to read, not the library's", () => {
    assert.equal(stderrOf(`backend.announceBackend(true);\n${FIT}`, { SPARKIFY_QUIET: "1" }).match(NOTICE)?.length, 1);
  });
});
