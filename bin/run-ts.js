#!/usr/bin/env node
// Runs a TypeScript entry point through tsx, so the sources need no build step.
"use strict";
require("tsx/cjs");
const path = require("node:path");
const [, , entry, ...rest] = process.argv;
process.argv = [process.argv[0], entry, ...rest];
require(path.resolve(entry));
