#!/usr/bin/env node
// `pretest`: on Debian as root, installs the Debian packages the integration suites need when they are
// missing (scripts/install-system-deps.sh). Elsewhere it installs nothing: the suites that need a
// missing part are skipped, each named at the end of the run with what to install (strict mode,
// CI=true or --strict, fails them instead). SPARKIFY_SKIP_SYSTEM_DEPS=1 turns the install off.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const script = path.join(__dirname, "install-system-deps.sh");
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const isDebian = process.platform === "linux" && fs.existsSync("/etc/debian_version");
const hasApt = ["/usr/bin/apt-get", "/bin/apt-get"].some((p) => fs.existsSync(p));

if (process.env.SPARKIFY_SKIP_SYSTEM_DEPS === "1") {
  console.log("system packages: not checked (SPARKIFY_SKIP_SYSTEM_DEPS=1)");
} else if (isDebian && isRoot && hasApt) {
  const r = spawnSync("bash", [script], { stdio: "inherit" });
  if (r.status !== 0) {
    // The run goes on: the suites that need what is missing say so, and strict mode fails them.
    console.error(`system packages: ${path.relative(process.cwd(), script)} failed (exit ${r.status ?? r.signal}); suites that need them will be listed as not run`);
  }
} else {
  const why = !isDebian ? "not a Debian system" : !isRoot ? "not root" : "no apt-get";
  console.log(`system packages: not installed automatically (${why}); suites that need Chromium, Jupyter or radosgw and cannot find them are listed at the end of the run`);
}
