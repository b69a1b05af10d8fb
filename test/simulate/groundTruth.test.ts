import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CONFIGURATIONS, groundTruth, resolvePlan, simulate, TRUTH_COLUMNS } from "../../lib/simulate";

// `simulate --truth FILE`: each user's hidden parameters, from the same per-user streams as the events.
const BIN = path.resolve(__dirname, "../../bin/sparkify-churn.js");

describe("simulate/groundTruth", function () {
  this.timeout(120_000);
  let tmp: string;
  before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-truth-")); });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("`simulate --truth` writes one row per user and leaves every byte of the events as without it", () => {
    const common = ["simulate", "--preset", "mini", "--users", "40", "--seed", "5", "--quiet"];
    const a = spawnSync(process.execPath, [BIN, ...common, "--out", path.join(tmp, "a.jsonl")], { encoding: "utf8" });
    assert.equal(a.status, 0, a.stderr);
    const truthFile = path.join(tmp, "truth.csv");
    const b = spawnSync(process.execPath, [BIN, ...common, "--out", path.join(tmp, "b.jsonl"), "--truth", truthFile], { encoding: "utf8" });
    assert.equal(b.status, 0, b.stderr);
    assert.match(b.stdout, /hidden parameters of 40 users/);
    assert.ok(fs.readFileSync(path.join(tmp, "a.jsonl")).equals(fs.readFileSync(path.join(tmp, "b.jsonl"))));
    const lines = fs.readFileSync(truthFile, "utf8").trimEnd().split("\n");
    assert.equal(lines[0], TRUTH_COLUMNS.join(","));
    assert.equal(lines.length, 41);
    assert.deepEqual(lines.slice(1).map((l) => l.split(",")[0]), Array.from({ length: 40 }, (_, i) => String(i + 1)));
    assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.endsWith(".tmp")), [], "no temporary file left");
  });

  it("agrees with the events: registration on every row, first time and level of users who start logged in", async () => {
    const options = { preset: "mini" as const, users: 80, seed: 11 };
    const truth = new Map(groundTruth(options).map((t) => [t.userId, t]));
    const plan = resolvePlan(options);
    const first = new Map<string, { ts: number; level: string }>();
    const seen = new Set<string>();
    for await (const line of simulate(options)) {
      const e = JSON.parse(line) as { ts: number; userId: string; level: string; registration?: number };
      if (!e.userId) continue;
      const t = truth.get(e.userId);
      assert.ok(t, `userId ${e.userId} is not in the truth`);
      assert.equal(e.registration, t.registration, `registration of ${e.userId}`);
      seen.add(e.userId);
      if (!first.has(e.userId)) first.set(e.userId, { ts: e.ts, level: e.level });
    }
    let checked = 0;
    for (const t of truth.values()) {
      assert.ok(CONFIGURATIONS.some((c) => c.name === t.configuration));
      assert.ok(t.alpha > 0 && t.beta > 0 && Number.isFinite(t.alpha) && Number.isFinite(t.beta));
      if (t.startAuth !== "Logged In") continue;
      if (t.firstEventTs >= plan.endSec * 1000) {
        assert.ok(!seen.has(t.userId), `${t.userId} starts after the window but has rows`);
        continue;
      }
      const f = first.get(t.userId);
      assert.ok(f, `user ${t.userId} starts logged in inside the window but has no rows`);
      assert.equal(f.ts, t.firstEventTs, `first event of ${t.userId}`);
      assert.equal(f.level, t.startLevel, `first level of ${t.userId}`);
      checked++;
    }
    assert.ok(checked > 40, `checked ${checked} users`);
  });

  it("draws per-user parameters that vary around the configuration's, and none for another seed alike", () => {
    const a = groundTruth({ preset: "mini", users: 200, seed: 1 });
    const b = groundTruth({ preset: "mini", users: 200, seed: 2 });
    assert.notDeepEqual(a.map((t) => t.alpha), b.map((t) => t.alpha));
    // userSigma 0.4: the log-ratio to the configuration's alpha has a standard deviation near 0.4.
    const logs = a.map((t) => Math.log(t.alpha / t.configAlpha));
    const mean = logs.reduce((s, v) => s + v, 0) / logs.length;
    const sd = Math.sqrt(logs.reduce((s, v) => s + (v - mean) ** 2, 0) / logs.length);
    assert.ok(Math.abs(mean) < 0.1 && Math.abs(sd - 0.4) < 0.07, `mean ${mean}, sd ${sd}`);
  });
});
