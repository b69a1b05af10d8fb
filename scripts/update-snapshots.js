#!/usr/bin/env node
// npm run test:update-snapshots [-- FILES…]: reruns the tests that take snapshots with UPDATE_SNAPSHOTS=1,
// so test/plots/__snapshots__/*.json are rewritten from the figures the code builds now. Review the diff
// (`git diff test/plots/__snapshots__`) and commit it with the change that caused it.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");

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
console.log(`updating snapshots from ${specs.length} test file(s)`);
const r = spawnSync(process.execPath, [require.resolve("mocha/bin/mocha.js", { paths: [root] }), ...specs], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, UPDATE_SNAPSHOTS: "1" },
});
process.exit(r.status === null ? 1 : r.status);
