#!/usr/bin/env node
// npm run test:update-snapshots [-- FILES…]: reruns the tests that take snapshots with UPDATE_SNAPSHOTS=1,
// so test/plots/__snapshots__/*.json are rewritten from the figures the code builds now. Run over all
// of them (no FILES), it also removes the snapshots no test takes any more. Review the diff
// (`git diff test/plots/__snapshots__`) and commit it with the change that caused it.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const snapshotDir = path.join(root, "test", "plots", "__snapshots__");

/** Test files under test/ that call writeSnapshot. */
function snapshotTests(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...snapshotTests(p));
    else if (e.name.endsWith(".test.ts") && /\bwriteSnapshot\(/.test(fs.readFileSync(p, "utf8"))) out.push(path.relative(root, p));
  }
  return out;
}

const files = process.argv.slice(2);
const specs = files.length > 0 ? files : snapshotTests(path.join(root, "test")).sort();
const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-snapshots-")), "used.txt");
fs.writeFileSync(log, "");
console.log(`updating snapshots from ${specs.length} test file(s)`);
const r = spawnSync(process.execPath, [require.resolve("mocha/bin/mocha.js", { paths: [root] }), ...specs], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, UPDATE_SNAPSHOTS: "1", SPARKIFY_SNAPSHOT_LOG: log },
});
if (r.status === 0 && files.length === 0 && fs.existsSync(snapshotDir)) {
  const used = new Set(fs.readFileSync(log, "utf8").split("\n").filter(Boolean));
  for (const f of fs.readdirSync(snapshotDir).filter((f) => f.endsWith(".json")).sort()) {
    if (used.has(f)) continue;
    fs.rmSync(path.join(snapshotDir, f));
    console.log(`removed ${path.relative(root, path.join(snapshotDir, f))}: no test takes it any more`);
  }
}
fs.rmSync(path.dirname(log), { recursive: true, force: true });
process.exit(r.status === null ? 1 : r.status);
