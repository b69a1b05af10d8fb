import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const BIN = path.resolve(__dirname, "../../bin/sparkify-churn.js");

function cli(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
}

describe("cli", () => {
  it("lists every command in --help", () => {
    const r = cli("--help");
    assert.equal(r.status, 0, r.stderr);
    for (const c of ["simulate", "features", "run", "score", "notebooks"]) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
  });

  it("rejects an unknown command with a non-zero exit and a hint", () => {
    const r = cli("no-such-command");
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /unknown command|too many arguments/);
  });
});
