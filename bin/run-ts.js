#!/usr/bin/env node
// Runs a TypeScript entry point through tsx, so the sources need no build step.
"use strict";
const path = require("node:path");
const [, , entry, ...rest] = process.argv;
if (entry === undefined || entry === "" || entry === "-h" || entry === "--help") {
  process.stderr.write("usage: node bin/run-ts.js <entry.ts> [args...]\n  runs a TypeScript file through tsx with args as its argv\n");
  process.exit(entry === "-h" || entry === "--help" ? 0 : 2);
}
require("tsx/cjs");
process.argv = [process.argv[0], entry, ...rest];
require(path.resolve(entry));
