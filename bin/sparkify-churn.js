#!/usr/bin/env node
// The CLI runs the TypeScript sources through tsx: no build step between an edit and a run.
"use strict";
require("tsx/cjs");
require("../lib/cli/main.ts").main(process.argv).catch((err) => {
  require("../lib/cli/main.ts").reportFatal(err);
});
