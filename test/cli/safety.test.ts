import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXIT_CODES } from "../../lib/cli/exitCodes";
import { isErrorCode } from "../../lib/errors";
import { TEMP_FILE } from "../../lib/io";
import { fillDisk, mountSmallDisk, unwritableFolder } from "../io/tmpfs";

const BIN = path.resolve(__dirname, "../../bin/sparkify-churn.js");
const ENV = { ...process.env, SPARKIFY_QUIET: "1" };

function cli(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: ENV });
}

function sha(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** A user error: one line naming the problem and its code, the code's exit status, no stack trace. */
function assertUserError(r: ReturnType<typeof cli>, message: RegExp): void {
  const code = /\[(E_[A-Z0-9_]+)\]$/m.exec(r.stderr)?.[1];
  assert.ok(isErrorCode(code) && code !== "E_INTERNAL", `a user error's code, got ${code}: ${r.stderr}`);
  assert.equal(r.status, EXIT_CODES[code], `exit ${EXIT_CODES[code]} for ${code}, got ${r.status}: ${r.stderr}`);
  assert.match(r.stderr, message);
  assert.doesNotMatch(r.stderr, /unexpected error|\n\s+at /, "no stack trace");
}

describe("cli: outputs, inputs and quarantine handled safely", function () {
  this.timeout(600_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-cli-safety-"));
  const clean = path.join(dir, "clean.jsonl");
  const input = path.join(dir, "events.jsonl"); // the same events with two bad lines
  const run = path.join(dir, "run");

  before(() => {
    const r = cli(["simulate", "--preset", "mini", "--users", "25", "--seed", "11", "--out", clean, "--quiet"]);
    assert.equal(r.status, 0, r.stderr);
    const lines = fs.readFileSync(clean, "utf8").split("\n");
    lines.splice(100, 0, '{"ts": "soon", "userId": "1"}', "{broken");
    fs.writeFileSync(input, lines.join("\n"));
    const ran = cli(["run", "--input", input, "--out", run, "--models", "lr,rf", "--no-search", "--folds", "2", "--seed", "3"]);
    assert.equal(ran.status, 0, ran.stderr);
    assert.match(ran.stdout, new RegExp(`^quarantine 2 of [\\d,]+ lines could not be read → ${run}/quarantine\\.jsonl$`, "m"));
  });

  it("refuses an output over its input, or over the model, before any work, naming both; the input is untouched", () => {
    const before = sha(input);
    assertUserError(cli(["features", "--input", input, "--out", input]), /refusing to write the features table .*events\.jsonl: it is the input file .*events\.jsonl/);
    assertUserError(cli(["score", "--model", path.join(run, "models", "lr.json"), "--input", input, "--out", input]), /refusing to write the scores file .*: it is the input file/);
    const model = path.join(run, "models", "lr.json");
    const modelHash = sha(model);
    assertUserError(cli(["score", "--model", model, "--input", input, "--out", model]), /refusing to write the scores file .*lr\.json: it is the input file .*lr\.json/);
    assertUserError(cli(["features", "--input", input, "--out", path.join(dir, "f.csv"), "--report", path.join(dir, "f.csv")]), /would both be written to/);
    assertUserError(cli(["run", "--input", path.join(dir, "parts-in"), "--out", path.join(dir, "parts-in")]), /input not found|inside the input folder/);
    // Nor over a finished run's own files: the run folder would no longer match its run.json.
    assertUserError(cli(["score", "--model", model, "--input", input, "--out", path.join(run, "scores.csv")]), /refusing to write the scores file .*scores\.csv: it is a file of the run recorded in .*run\.json/);
    assertUserError(cli(["features", "--input", input, "--out", path.join(run, "features.csv")]), /refusing to write the features table .*features\.csv: it is a file of the run/);
    assert.equal(sha(input), before);
    assert.equal(sha(model), modelHash);
  });

  it("on a full disk: 'disk full while writing features.csv', no partial file, no stack trace", function () {
    const disk = mountSmallDisk("128k");
    if (!disk) {
      // Not root: the same failure class from a file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored).
      const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-fsize-")), "features.csv");
      const r = spawnSync("sh", ["-c", `trap '' XFSZ; ulimit -f 8; exec "${process.execPath}" "${BIN}" features --input "${clean}" --out "${out}" --quiet`], { encoding: "utf8", env: ENV });
      assertUserError(r, /^sparkify-churn: file too large for the file system while writing features\.csv \(/);
      assert.deepEqual(fs.readdirSync(path.dirname(out)), []);
      return;
    }
    try {
      const filler = fillDisk(disk.dir);
      // Leave room for the small settings file but not for the table.
      fs.truncateSync(filler, Math.max(0, fs.statSync(filler).size - 8192));
      const out = path.join(disk.dir, "features.csv");
      const r = cli(["features", "--input", clean, "--out", out, "--quiet"]);
      assertUserError(r, /^sparkify-churn: disk full while writing features\.csv \(/);
      assert.deepEqual(fs.readdirSync(disk.dir), ["filler.bin"], "neither features.csv, its settings, nor a temporary file is left");
    } finally {
      disk.unmount();
    }
  });

  it("an unwritable --out is refused by the check before the work, not by the writer after it", function () {
    const disk = unwritableFolder();
    if (!disk) return this.skip();
    try {
      assertUserError(cli(["features", "--input", clean, "--out", path.join(disk.dir, "features.csv")]), /cannot write the features table .*: (read-only file system|permission denied)/);
      assertUserError(cli(["run", "--input", clean, "--out", path.join(disk.dir, "run")]), /cannot write the run folder .*: (read-only file system|permission denied)/);
    } finally {
      disk.unmount();
    }
    const file = path.join(dir, "a-file");
    fs.writeFileSync(file, "x");
    assertUserError(cli(["run", "--input", clean, "--out", file]), /cannot use .*a-file as the run folder: it is a file/);
    assertUserError(cli(["features", "--input", clean, "--out", dir]), /cannot write the features table .*: it is a folder/);
  });

  it("features, run and score say how many lines were quarantined and where; each keeps its file beside its output", () => {
    const runQuarantine = path.join(run, "quarantine.jsonl");
    const runHash = sha(runQuarantine);
    assert.equal(fs.readFileSync(runQuarantine, "utf8").trim().split("\n").length, 2);
    const report = JSON.parse(fs.readFileSync(path.join(run, "data-report.json"), "utf8"));
    assert.equal(report.quarantineFile, runQuarantine);
    const f = cli(["features", "--input", input, "--out", path.join(run, "extra.csv")]);
    assert.equal(f.status, 0, f.stderr);
    assert.match(f.stdout, new RegExp(`quarantine: 2 of [\\d,]+ lines could not be read → ${run}/extra\\.quarantine\\.jsonl`));
    const s = cli(["score", "--model", path.join(run, "models", "lr.json"), "--input", input, "--out", path.join(run, "x.csv")]);
    assert.equal(s.status, 0, s.stderr);
    assert.match(s.stdout, new RegExp(`quarantine: 2 of [\\d,]+ lines could not be read → ${run}/x\\.quarantine\\.jsonl`));
    assert.equal(fs.readFileSync(path.join(run, "x.quarantine.jsonl"), "utf8").trim().split("\n").length, 2);
    assert.equal(sha(runQuarantine), runHash, "the run's quarantine.jsonl, which its data report points to, is untouched");
    // A clean input afterwards: no stale quarantine file is left beside the new output.
    const again = cli(["features", "--input", clean, "--out", path.join(run, "extra.csv")]);
    assert.match(again.stdout, /quarantine: none of the [\d,]+ lines/);
    assert.equal(fs.existsSync(path.join(run, "extra.quarantine.jsonl")), false);
  });

  it("lines appended to an input while a files-storage run reads it stop the run: 'input changed while being read'", async () => {
    const live = path.join(dir, "live.jsonl");
    fs.copyFileSync(clean, live);
    const out = path.join(dir, "live-features.csv");
    const child = spawn(process.execPath, [BIN, "features", "--input", live, "--out", out, "--storage", "files", "--quiet"], { env: ENV, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    // Lines the normal load would reject ("ts" as a string), appended until the command ends.
    const bad = JSON.stringify({ ts: "1543622400000", userId: "999999", sessionId: 1, page: "NextSong", auth: "Logged In", level: "paid", itemInSession: 0 }) + "\n";
    const appender = setInterval(() => fs.appendFileSync(live, bad), 5);
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    clearInterval(appender);
    assert.equal(code, EXIT_CODES.E_INPUT_CHANGED, stderr);
    assert.match(stderr, /input changed while being read: .*live\.jsonl.*\[E_INPUT_CHANGED\]/);
    assert.equal(fs.existsSync(out), false, "no features table from a moving input");
  });

  it("a file name with [ ] is that file; a part folder without _SUCCESS (a killed simulate) is refused unless --allow-incomplete", async () => {
    const odd = path.join(dir, "events [1].jsonl");
    fs.copyFileSync(clean, odd);
    const r = cli(["features", "--input", odd, "--out", path.join(dir, "odd.csv"), "--quiet"]);
    assert.equal(r.status, 0, r.stderr);
    const parts = path.join(dir, "parts");
    assert.equal(cli(["simulate", "--preset", "mini", "--users", "25", "--seed", "11", "--out", parts, "--quiet"]).status, 0);
    fs.rmSync(path.join(parts, "_SUCCESS"));
    assertUserError(cli(["features", "--input", parts, "--out", path.join(dir, "p.csv")]), /folder .*parts holds part files but no _SUCCESS marker.*--allow-incomplete/);
    assertUserError(cli(["run", "--input", parts, "--out", path.join(dir, "p-run")]), /no _SUCCESS marker/);
    const allowed = cli(["features", "--input", parts, "--out", path.join(dir, "p.csv"), "--allow-incomplete", "--quiet"]);
    assert.equal(allowed.status, 0, allowed.stderr);
    assert.equal(fs.readFileSync(path.join(dir, "p.csv"), "utf8"), fs.readFileSync(path.join(dir, "odd.csv"), "utf8"), "the same events give the same table");
    // simulate killed while it writes: the part is hidden under a temporary name, nothing loads.
    const killedOut = path.join(dir, "killed");
    const sim = spawn(process.execPath, [BIN, "simulate", "--preset", "mini", "--users", "300", "--seed", "2", "--out", killedOut, "--quiet"], { env: ENV, stdio: "ignore" });
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (fs.existsSync(killedOut) && fs.readdirSync(killedOut).some((f) => TEMP_FILE.test(f) && fs.statSync(path.join(killedOut, f)).size > 0)) {
          clearInterval(t);
          resolve();
        }
      }, 20);
    });
    sim.kill("SIGKILL");
    await new Promise((resolve) => sim.on("exit", resolve));
    assert.ok(!fs.readdirSync(killedOut).includes("_SUCCESS"));
    const k = cli(["features", "--input", killedOut, "--out", path.join(dir, "k.csv")]);
    assert.equal(k.status, 65, k.stderr);
    assert.match(k.stderr, /holds no data files.*\[E_EMPTY_INPUT\]|no _SUCCESS marker.*\[E_INPUT_INCOMPLETE\]/);
  });

  it("score: warns for a full-history model, counts categories the model has no column for, refuses degenerate models", () => {
    const models = path.join(dir, "models");
    fs.mkdirSync(models);
    const lr = JSON.parse(fs.readFileSync(path.join(run, "models", "lr.json"), "utf8"));
    const rf = JSON.parse(fs.readFileSync(path.join(run, "models", "rf.json"), "utf8"));
    const write = (name: string, bundle: unknown): string => {
      const p = path.join(models, name);
      fs.writeFileSync(p, JSON.stringify(bundle));
      return p;
    };
    const score = (model: string) => cli(["score", "--model", model, "--input", clean, "--out", path.join(dir, "guard-scores.csv")]);
    const full = score(write("full.json", { ...lr, mode: "full-history" }));
    assert.equal(full.status, 0, full.stderr);
    assert.match(full.stderr, /warning: .*full\.json was trained in full-history mode .*forward prediction/);
    const plain = score(path.join(run, "models", "lr.json"));
    assert.doesNotMatch(plain.stderr, /full-history|no column for/);
    // Drop "paid" from the model's categories of "level": the paid users are counted and named.
    const cats = lr.encoder.categories as Record<string, string[]>;
    const feature = Object.keys(cats).find((k) => cats[k].includes("paid"));
    assert.ok(feature, "a categorical feature with the value paid");
    const narrowed = { ...lr, encoder: { ...lr.encoder, categories: { ...cats, [feature!]: cats[feature!].filter((c) => c !== "paid") } } };
    narrowed.featureColumns = lr.featureColumns.filter((c: string) => c !== `${feature}=paid`);
    const idx = lr.featureColumns.indexOf(`${feature}=paid`);
    const st = lr.model.state;
    const drop = (a: unknown[]) => a.filter((_, j) => j !== idx);
    narrowed.model = { ...lr.model, state: { ...st, columns: drop(st.columns), mean: drop(st.mean), scale: drop(st.scale), coefStd: drop(st.coefStd) } };
    const unseen = score(write("narrow.json", narrowed));
    assert.equal(unseen.status, 0, unseen.stderr);
    assert.match(unseen.stderr, new RegExp(`warning: \\d+ of \\d+ users have a ${feature} the model has no column for \\("paid" ×\\d+\\)`));
    // Degenerate files are refused with the reason, before any scoring.
    const zero = structuredClone(lr);
    zero.model.state.scale[0] = 0;
    assertUserError(score(write("zero-scale.json", zero)), /zero-scale\.json: degenerate model refused: column 1 .* has scale 0/);
    const noTrees = structuredClone(rf);
    for (const k of Object.keys(noTrees.model.state.trees)) noTrees.model.state.trees[k] = k === "treeOffsets" ? [0] : [];
    assertUserError(score(write("no-trees.json", noTrees)), /no-trees\.json: degenerate model refused: it holds no trees/);
    const emptyTree = structuredClone(rf);
    const offs = emptyTree.model.state.trees.treeOffsets as number[];
    emptyTree.model.state.trees.treeOffsets = [0, ...offs];
    assertUserError(score(write("empty-tree.json", emptyTree)), /empty-tree\.json: degenerate model refused: tree 1 of \d+ is empty/);
  });
});
