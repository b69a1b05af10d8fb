import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { distIsStale, ensureBuild } from "../../lib/notebooks/ensureBuild";
import { tempDir } from "./nbTestUtil";

describe("notebooks/ensureBuild", function () {
  this.timeout(120_000);

  it("compiles lib/ to dist/ when stale, not again when fresh, and again after an edit", () => {
    const root = tempDir("sparkify-build-");
    fs.mkdirSync(path.join(root, "lib"), { recursive: true });
    const src = path.join(root, "lib", "index.ts");
    fs.writeFileSync(src, "export const answer: number = 42;\n");
    fs.writeFileSync(path.join(root, "tsconfig.build.json"), JSON.stringify({ compilerOptions: { module: "commonjs", target: "ES2022", outDir: "dist", rootDir: ".", declaration: true }, include: ["lib/**/*.ts"] }));
    assert.ok(distIsStale(root));
    const first = ensureBuild(root);
    assert.equal(first.built, true);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    assert.equal(require(path.join(root, "dist", "lib", "index.js")).answer, 42);
    assert.equal(ensureBuild(root).built, false);
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(src, later, later);
    assert.ok(distIsStale(root));
    assert.equal(ensureBuild(root).built, true);
  });

  it("emits despite type errors (reported as warnings) and fails clearly when nothing can be built", () => {
    const root = tempDir("sparkify-build-err-");
    fs.mkdirSync(path.join(root, "lib"), { recursive: true });
    fs.writeFileSync(path.join(root, "lib", "index.ts"), "export const bad: number = 'text';\n");
    fs.writeFileSync(path.join(root, "tsconfig.build.json"), JSON.stringify({ compilerOptions: { module: "commonjs", outDir: "dist", rootDir: "." }, include: ["lib/**/*.ts"] }));
    const r = ensureBuild(root);
    assert.equal(r.built, true);
    assert.match(r.warnings, /error TS2322/);
    fs.writeFileSync(path.join(root, "tsconfig.build.json"), "{ broken");
    fs.rmSync(path.join(root, "dist"), { recursive: true });
    assert.throws(() => ensureBuild(root), /Building lib\/ for the notebooks failed/);
  });
});
