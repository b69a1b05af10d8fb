// One compiler: every script that type-checks or builds runs the TypeScript the project declares
// (node_modules/typescript), never node_modules/.bin/tsc, which links to the older copy tslab bundles.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../lib/config";

const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe("tooling: one TypeScript compiler", () => {
  it("typecheck and build run the declared compiler by path; no script calls a bare tsc", () => {
    assert.equal(pkg.scripts.typecheck, "node node_modules/typescript/bin/tsc --noEmit -p tsconfig.json");
    assert.equal(pkg.scripts.build, "node node_modules/typescript/bin/tsc -p tsconfig.build.json");
    for (const [name, cmd] of Object.entries(pkg.scripts)) assert.doesNotMatch(cmd, /(^|[\s;&|(])(npx )?tsc\b/, `script ${name}: ${cmd}`);
  });

  it("the test runner and the notebooks' rebuild resolve typescript/bin/tsc, not .bin/tsc", () => {
    for (const file of ["scripts/test.js", "lib/notebooks/ensureBuild.ts"]) {
      const text = fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
      assert.match(text, /require\.resolve\("typescript\/bin\/tsc"/, file);
      assert.doesNotMatch(text, /\.bin\/tsc/, file);
    }
  });

  it("node_modules/typescript is the version package.json declares", () => {
    const declared = pkg.devDependencies.typescript; // e.g. "~5.9.3"
    const installed = (JSON.parse(fs.readFileSync(require.resolve("typescript/package.json", { paths: [PROJECT_ROOT] }), "utf8")) as { version: string }).version;
    const [major, minor] = declared.replace(/^[~^]/, "").split(".");
    assert.ok(installed.startsWith(`${major}.${minor}.`), `declared ${declared}, installed ${installed}`);
  });
});
