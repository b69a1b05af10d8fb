import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXIT_CODES } from "../../lib/cli/exitCodes";
import { TEMP_FILE } from "../../lib/io";
import { LOCK_FILE } from "../../lib/pipeline/runLock";
import { readRunManifest, verifyRunFolder } from "../../lib/pipeline/runManifest";

const BIN = path.resolve(__dirname, "../../bin/sparkify-churn.js");
const ENV = { ...process.env, SPARKIFY_QUIET: "1" };

function cli(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: ENV });
}

/** Every file below `dir` (relative), for "nothing else was left" checks. */
function allFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** A run is either finished (run.json and every file it lists, unchanged) or visibly unfinished (no run.json). */
async function assertTrustworthy(dir: string, when: string): Promise<"finished" | "unfinished"> {
  if (!fs.existsSync(path.join(dir, "run.json"))) return "unfinished";
  assert.deepEqual(await verifyRunFolder(dir), [], `${when}: run.json present, so every file it lists must match`);
  return "finished";
}

describe("pipeline: run folders you can trust", function () {
  this.timeout(600_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-runfolder-"));
  const input = path.join(dir, "events.jsonl");
  const base = (out: string, models = "lr"): string[] => ["run", "--input", input, "--out", out, "--models", models, "--no-search", "--folds", "2", "--seed", "3"];

  before(() => {
    const r = cli(["simulate", "--preset", "mini", "--users", "25", "--seed", "11", "--out", input, "--quiet"]);
    assert.equal(r.status, 0, r.stderr);
  });

  it("writes run.json last: command, options, version, input fingerprint, timings and every file with its SHA-256", async () => {
    const out = path.join(dir, "run-a");
    const r = cli(base(out, "lr,rf"));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^manifest +.*run\.json/m);
    assert.match(r.stdout, /^quarantine none of the [\d,]+ lines/m);
    const m = readRunManifest(out)!;
    assert.equal(m.command, "run");
    assert.deepEqual(m.options.models, ["lr", "rf"]);
    assert.match(m.version, /^\d+\.\d+\.\d+/);
    const st = fs.statSync(input);
    assert.deepEqual(m.inputs.map((i) => [i.source, i.bytes, i.mtimeMs, i.ino]), [[input, st.size, st.mtimeMs, st.ino]]);
    const listed = m.artefacts.map((a) => a.path).sort();
    assert.deepEqual(listed, allFiles(out).filter((f) => f !== "run.json"), "every file of the folder, nothing else");
    for (const f of ["data-report.json", "features.csv", "metrics.json", "models/lr.json", "models/rf.json", "scores.csv", "report.html"]) assert.ok(listed.includes(f), f);
    for (const a of m.artefacts) assert.match(a.sha256, /^[0-9a-f]{64}$/);
    assert.ok(m.timings.total > 0 && m.timings["features.csv"] <= m.timings["report.html"]);
    assert.ok(fs.statSync(path.join(out, "run.json")).mtimeMs >= Math.max(...listed.map((f) => fs.statSync(path.join(out, f)).mtimeMs)), "run.json is the last file written");
    assert.deepEqual(await verifyRunFolder(out), []);
    fs.appendFileSync(path.join(out, "scores.csv"), "x\n");
    assert.match((await verifyRunFolder(out)).join("; "), /scores\.csv has \d+ bytes, run\.json says/);
  });

  it("a later run removes the earlier run's files it does not rewrite; score refuses a model that is not the run's, or was changed", async () => {
    const out = path.join(dir, "run-b");
    assert.equal(cli(base(out, "lr,rf")).status, 0);
    fs.writeFileSync(path.join(out, "notes.txt"), "mine\n"); // a user's file: kept, never listed
    const r = cli(base(out, "lr"));
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.existsSync(path.join(out, "models", "rf.json")), false, "rf.json of the earlier run is gone");
    assert.equal(fs.readFileSync(path.join(out, "notes.txt"), "utf8"), "mine\n");
    assert.ok(!readRunManifest(out)!.artefacts.some((a) => a.path === "notes.txt"));
    assert.deepEqual(await verifyRunFolder(out), []);
    // A model planted beside the run's own, then an edited one: both refused before any work.
    fs.copyFileSync(path.join(out, "models", "lr.json"), path.join(out, "models", "gbt.json"));
    const planted = cli(["score", "--model", path.join(out, "models", "gbt.json"), "--input", input, "--out", path.join(dir, "s1.csv"), "--quiet"]);
    assert.equal(planted.status, EXIT_CODES.E_RUN_MANIFEST);
    assert.match(planted.stderr, /gbt\.json is not one of the files of the run recorded in .*run\.json/);
    const ok = cli(["score", "--model", path.join(out, "models", "lr.json"), "--input", input, "--out", path.join(dir, "s2.csv")]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /model +checked against .*run-b\/run\.json/);
    const lr = JSON.parse(fs.readFileSync(path.join(out, "models", "lr.json"), "utf8"));
    lr.threshold = 0.5;
    fs.writeFileSync(path.join(out, "models", "lr.json"), JSON.stringify(lr));
    const edited = cli(["score", "--model", path.join(out, "models", "lr.json"), "--input", input, "--out", path.join(dir, "s3.csv"), "--quiet"]);
    assert.equal(edited.status, EXIT_CODES.E_RUN_MANIFEST);
    assert.match(edited.stderr, /lr\.json changed since the run that wrote it/);
    assert.equal(fs.existsSync(path.join(dir, "s3.csv")), false);
    // Without run.json (an interrupted run), score still works but says nothing vouches for the model.
    fs.rmSync(path.join(out, "run.json"));
    const unvouched = cli(["score", "--model", path.join(out, "models", "lr.json"), "--input", input, "--out", path.join(dir, "s4.csv"), "--quiet"]);
    assert.equal(unvouched.status, 0, unvouched.stderr);
    assert.match(unvouched.stderr, /warning: .*run-b has no run\.json: the run that wrote .*lr\.json did not finish/);
  });

  it("a folder no run has used loses nothing: the user's files stay, unlisted, and score refuses them as models", async () => {
    const out = path.join(dir, "run-user");
    fs.mkdirSync(path.join(out, "models"), { recursive: true });
    fs.writeFileSync(path.join(out, "models", "mine.json"), "{}\n");
    fs.writeFileSync(path.join(out, "notes.txt"), "mine\n");
    const r = cli(base(out));
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.readFileSync(path.join(out, "models", "mine.json"), "utf8"), "{}\n");
    assert.equal(fs.readFileSync(path.join(out, "notes.txt"), "utf8"), "mine\n");
    const listed = readRunManifest(out)!.artefacts.map((a) => a.path);
    assert.ok(!listed.includes("models/mine.json") && !listed.includes("notes.txt"), listed.join(", "));
    assert.deepEqual(await verifyRunFolder(out), []);
    const s = cli(["score", "--model", path.join(out, "models", "mine.json"), "--input", input, "--out", path.join(dir, "mine.csv"), "--quiet"]);
    assert.equal(s.status, EXIT_CODES.E_RUN_MANIFEST);
    assert.match(s.stderr, /mine\.json is not one of the files of the run recorded in/);
  });

  it("two concurrent runs into one folder: one runs, the other stops at once with a clear message", async () => {
    const out = path.join(dir, "run-c");
    const start = (): Promise<{ code: number | null; stderr: string }> => new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, ...base(out), "--quiet"], { env: ENV, stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      child.on("exit", (code) => resolve({ code, stderr }));
    });
    const results = await Promise.all([start(), start()]);
    const codes = results.map((r) => r.code).sort();
    assert.deepEqual(codes, [0, EXIT_CODES.E_RUN_LOCKED], results.map((r) => r.stderr).join("\n"));
    const loser = results.find((r) => r.code === EXIT_CODES.E_RUN_LOCKED)!;
    assert.match(loser.stderr, /run folder .*run-c is in use by another run \(pid \d+ on .*\); wait for it to finish or choose another --out/);
    assert.deepEqual(await verifyRunFolder(out), []);
    assert.equal(fs.existsSync(path.join(out, LOCK_FILE)), false, "the lock is released");
  });

  it("a lock left by a process that died is detected and replaced", async () => {
    const out = path.join(dir, "run-d");
    fs.mkdirSync(out, { recursive: true });
    const dead = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" });
    const pid = Number(dead.stdout.trim());
    fs.writeFileSync(path.join(out, LOCK_FILE), JSON.stringify({ pid, host: os.hostname(), processStart: null, startedAt: "2026-01-01T00:00:00Z", command: "run" }));
    const r = cli(base(out));
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(await verifyRunFolder(out), []);
    // A live holder (this test process) is respected.
    fs.writeFileSync(path.join(out, LOCK_FILE), JSON.stringify({ pid: process.pid, host: os.hostname(), processStart: null, startedAt: "2026-01-01T00:00:00Z", command: "run (test)" }));
    const blocked = cli(base(out));
    assert.equal(blocked.status, EXIT_CODES.E_RUN_LOCKED);
    assert.match(blocked.stderr, /in use by another run \(pid \d+/);
    assert.deepEqual(await verifyRunFolder(out), [], "the refused run touched nothing");
  });

  it("SIGINT and SIGKILL at several points of a run over an earlier one: the folder is never a mix", async () => {
    const out = path.join(dir, "run-e");
    assert.equal(cli(base(out, "lr,rf")).status, 0);
    // Kill when the run prints these progress lines (or after a delay from the start).
    const points: Array<RegExp | number> = [400, /^loaded /m, /^features: /m, /^lr: AUC/m];
    const seen: string[] = [];
    for (const signal of ["SIGINT", "SIGKILL"] as const) {
      for (const point of points) {
        const child = spawn(process.execPath, [BIN, ...base(out)], { env: ENV, stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        let killed = false;
        const kill = (): void => {
          if (!killed) {
            killed = true;
            child.kill(signal);
          }
        };
        child.stderr.on("data", (d) => {
          stderr += d;
          if (point instanceof RegExp && point.test(stderr)) kill();
        });
        if (typeof point === "number") setTimeout(kill, point);
        const [code, sig] = (await new Promise((resolve) => child.on("exit", (c, s) => resolve([c, s])))) as [number | null, string | null];
        const when = `${signal} at ${String(point)} (exit ${code} ${sig})`;
        const state = await assertTrustworthy(out, when);
        seen.push(`${when}: ${state}`);
        const names = allFiles(out);
        if (signal === "SIGINT" && sig === "SIGINT") {
          assert.ok(!names.includes(LOCK_FILE), `${when}: the lock is released`);
          assert.deepEqual(names.filter((f) => TEMP_FILE.test(path.basename(f))), [], `${when}: no temporary file`);
        }
      }
    }
    // Whatever a SIGKILL left (a lock of a dead pid, temporary files), the next run recovers.
    const r = cli(base(out));
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(await verifyRunFolder(out), []);
    assert.deepEqual(allFiles(out).filter((f) => TEMP_FILE.test(path.basename(f)) || f === LOCK_FILE), []);
    assert.ok(seen.some((s) => s.endsWith("unfinished")), seen.join("\n"));
    if (process.env.SPARKIFY_TEST_VERBOSE) console.log(seen.join("\n"));
  });
});
