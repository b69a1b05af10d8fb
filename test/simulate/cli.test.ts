import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeSimulation } from "../../lib/simulate";

// `sparkify-churn simulate` as a user runs it (through bin/, so worker threads start under tsx).
const BIN = path.resolve(__dirname, "../../bin/sparkify-churn.js");

function cli(...args: string[]) {
  return spawnSync(process.execPath, [BIN, "simulate", ...args], { encoding: "utf8" });
}

describe("sparkify-churn simulate", function () {
  let tmp: string;
  before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-cli-")); });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("has --help naming the presets and flags", () => {
    const r = cli("--help");
    assert.equal(r.status, 0, r.stderr);
    for (const s of ["--preset", "mini", "medium", "full", "--users", "--seed", "--start", "--end", "--out", "--workers"]) assert.ok(r.stdout.includes(s), s);
  });

  it("rejects bad flags with a clear error and a non-zero exit", () => {
    const cases: [string[], RegExp][] = [
      [["--preset", "huge", "--out", path.join(tmp, "x.jsonl")], /--preset must be one of mini, medium, full, got "huge"/],
      [["--start", "2018-13-45", "--out", path.join(tmp, "x.jsonl")], /--start must be an ISO date/],
      [["--start", "2018-12-01", "--end", "2018-11-01", "--out", path.join(tmp, "x.jsonl")], /end \(2018-11-01T00:00:00.000Z\) must be after start/],
      [["--users", "12"], /--out <path> is required/],
      [["--users", "ten", "--out", path.join(tmp, "x.jsonl")], /--users must be a whole number/],
      [["--workers", "0", "--out", path.join(tmp, "x.jsonl")], /--workers must be at least 1/],
    ];
    for (const [args, message] of cases) {
      const r = cli(...args);
      assert.notEqual(r.status, 0, args.join(" "));
      assert.match(r.stderr, message, args.join(" "));
    }
    assert.ok(!fs.existsSync(path.join(tmp, "x.jsonl")));
  });

  it("writes with two worker threads the bytes the library writes in one thread, and prints a summary", async () => {
    const out = path.join(tmp, "cli.jsonl");
    const r = cli("--users", "10", "--seed", "5", "--end", "2018-10-15", "--workers", "2", "--out", out, "--quiet");
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /events [\d,]+, users \d+, churners \d+/);
    const ref = path.join(tmp, "ref.jsonl");
    await writeSimulation({ preset: "mini", users: 10, seed: 5, end: "2018-10-15", out: ref, workers: 1, quiet: true });
    assert.ok(fs.readFileSync(out).equals(fs.readFileSync(ref)));
  });
});
