#!/usr/bin/env node
// npm test [-- --strict] [-- MOCHA ARGS…]: the project's declared TypeScript (node_modules/typescript,
// not the copy tslab brings) type-checks the tree, then mocha runs test/**/*.test.ts (or the files
// given). --strict (or CI=true) makes any suite that cannot run fail the run. The Debian packages the
// integration suites need are installed before this by the `pretest` script (scripts/system-deps.js).
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const args = process.argv.slice(2);
const env = { ...process.env };
const strictAt = args.indexOf("--strict");
if (strictAt >= 0) {
  args.splice(strictAt, 1);
  env.SPARKIFY_STRICT = "1";
}

function run(label, script, scriptArgs) {
  const r = spawnSync(process.execPath, [script, ...scriptArgs], { cwd: root, stdio: "inherit", env });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    if (label) console.error(`\n${label} failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status === null ? 1 : r.status);
  }
}

const tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
const version = require(require.resolve("typescript/package.json", { paths: [root] })).version;
console.log(`type check: TypeScript ${version} (${path.relative(root, tsc)}) --noEmit -p tsconfig.json`);
run("The type check", tsc, ["--noEmit", "-p", "tsconfig.json"]);

// Spec files given on the command line replace the default glob; other arguments go to mocha.
const specs = args.filter((a) => !a.startsWith("-") && /\.ts$|^test\//.test(a));
const mochaArgs = specs.length > 0 ? args : ["test/**/*.test.ts", ...args];
run("", require.resolve("mocha/bin/mocha.js", { paths: [root] }), mochaArgs);
