import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SparkifyError } from "../../lib/errors";
import { LOCK_FILE, acquireRunLock, lockIsStale, processStartTicks } from "../../lib/pipeline/runLock";

function deadPid(): number {
  return Number(spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" }).stdout.trim());
}

describe("pipeline: the run-folder lock", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-lock-"));

  it("is held by one taker at a time, and released by its holder only", () => {
    const lock = acquireRunLock(dir, "run (first)");
    const info = JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), "utf8"));
    assert.equal(info.pid, process.pid);
    assert.equal(info.command, "run (first)");
    assert.throws(() => acquireRunLock(dir, "run (second)"), (e: unknown) => e instanceof SparkifyError && e.code === "E_RUN_LOCKED" && /in use by another run \(pid \d+ on .*: run \(first\)\)/.test(e.message));
    lock.release();
    lock.release();
    assert.equal(fs.existsSync(path.join(dir, LOCK_FILE)), false);
    acquireRunLock(dir, "run (third)").release();
  });

  it("tells a dead holder, or a reused pid, from a live one; never judges another host's lock", () => {
    const base = { host: os.hostname(), startedAt: "2026-01-01T00:00:00Z", command: "run" };
    assert.equal(lockIsStale({ ...base, pid: deadPid(), processStart: null }), true);
    assert.equal(lockIsStale({ ...base, pid: process.pid, processStart: processStartTicks(process.pid) }), false);
    if (processStartTicks(process.pid) !== null) {
      assert.equal(lockIsStale({ ...base, pid: process.pid, processStart: processStartTicks(process.pid)! - 1 }), true, "same pid, another process");
    }
    assert.equal(lockIsStale({ ...base, host: "elsewhere.example", pid: deadPid(), processStart: null }), false);
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ ...base, pid: deadPid(), processStart: null }));
    const lock = acquireRunLock(dir, "run (after a crash)");
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), "utf8")).command, "run (after a crash)");
    lock.release();
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ ...base, host: "elsewhere.example", pid: 1, processStart: null }));
    assert.throws(() => acquireRunLock(dir, "run"), /in use by another run .*elsewhere\.example.*If that run is gone, remove/);
    fs.rmSync(path.join(dir, LOCK_FILE));
  });
});
