import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CommanderError } from "commander";
import { EXIT, EXIT_CODES, describeFatal } from "../../lib/cli/exitCodes";
import { SparkifyError, internalError } from "../../lib/errors";

const BIN = path.resolve(__dirname, "../../bin/sparkify-churn.js");

function cli(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, SPARKIFY_QUIET: "1" } });
}

/** One line `sparkify-churn: <message> [CODE]`, the status EXIT_CODES gives CODE, and no stack trace. */
function assertFails(r: ReturnType<typeof cli>, code: keyof typeof EXIT_CODES, message: RegExp): void {
  assert.equal(r.status, EXIT_CODES[code], `exit ${EXIT_CODES[code]} for ${code}, got ${r.status}: ${r.stderr}`);
  assert.match(r.stderr, new RegExp(`^sparkify-churn: .*\\[${code}\\]\\n$`), "one line ending in the code");
  assert.match(r.stderr, message);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
}

describe("errors: the CLI's message and exit status come from the error code", function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-errors-cli-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("a missing input: E_INPUT_MISSING, exit 66", () => {
    assertFails(cli("features", "--input", path.join(dir, "nope.jsonl"), "--out", path.join(dir, "f.csv")), "E_INPUT_MISSING", /input not found: .*nope\.jsonl/);
    assert.equal(EXIT_CODES.E_INPUT_MISSING, 66);
  });

  it("an input without events: E_EMPTY_INPUT, exit 65", () => {
    const empty = path.join(dir, "empty.jsonl");
    fs.writeFileSync(empty, "\n\n");
    assertFails(cli("features", "--input", empty, "--out", path.join(dir, "f.csv")), "E_EMPTY_INPUT", /empty\.jsonl holds no events/);
    assert.equal(EXIT_CODES.E_EMPTY_INPUT, 65);
  });

  it("an output over the input: E_OUTPUT_REFUSED, exit 73, the input untouched", () => {
    const input = path.join(dir, "events.jsonl");
    fs.writeFileSync(input, "{}\n");
    assertFails(cli("features", "--input", input, "--out", input), "E_OUTPUT_REFUSED", /refusing to write the features table .*events\.jsonl: it is the input file/);
    assert.equal(fs.readFileSync(input, "utf8"), "{}\n");
    assert.equal(EXIT_CODES.E_OUTPUT_REFUSED, 73);
  });

  it("options that conflict: E_BAD_OPTION, exit 2", () => {
    assertFails(cli("run", "--mode", "full-history", "--cutoff", "2018-11-01", "--input", path.join(dir, "x.jsonl"), "--out", path.join(dir, "run")), "E_BAD_OPTION", /--cutoff applies to --mode forward only/);
    assert.equal(EXIT_CODES.E_BAD_OPTION, EXIT.usage);
  });

  it("commander's own usage errors exit 2 too; --help exits 0", () => {
    const bad = cli("run", "--mode", "nope");
    assert.equal(bad.status, 2, bad.stderr);
    assert.match(bad.stderr, /--mode must be one of forward, full-history, got "nope"\. \[E_BAD_OPTION\]\n/);
    const unknown = cli("no-such-command");
    assert.equal(unknown.status, 2, unknown.stderr);
    assert.match(unknown.stderr, /unknown command 'no-such-command' \[E_BAD_OPTION\]/);
    assert.equal(cli("--help").status, 0);
  });
});

describe("errors: describeFatal", () => {
  it("prints a SparkifyError as its message and code, with the code's status", () => {
    const { text, status } = describeFatal(new SparkifyError("E_RUN_LOCKED", "run folder out is in use"));
    assert.equal(text, "sparkify-churn: run folder out is in use [E_RUN_LOCKED]\n");
    assert.equal(status, EXIT.tempFail);
    const twoLines = describeFatal(new SparkifyError("E_NOTEBOOK_FAILED", "Notebook 01 failed at cell 3: Error: boom\nExecuted copy: out/notebooks/01.ipynb"));
    assert.equal(twoLines.text, "sparkify-churn: Notebook 01 failed at cell 3: Error: boom\nExecuted copy: out/notebooks/01.ipynb [E_NOTEBOOK_FAILED]\n");
    assert.equal(twoLines.status, 1);
  });

  it("prints an internal error or any other exception as a bug, with its stack, exit 70", () => {
    const internal = describeFatal(internalError("feature query result row 1 has no column \"churn\""));
    assert.equal(internal.status, 70);
    assert.match(internal.text, /^sparkify-churn: internal error \[E_INTERNAL\], a bug: please report it.*no column "churn"\n\s+at /s);
    const other = describeFatal(new TypeError("x is undefined"));
    assert.equal(other.status, 70);
    assert.match(other.text, /^sparkify-churn: unexpected error, a bug: .*TypeError: x is undefined\n\s+at /s);
  });

  it("passes commander's help (0) and maps its errors to 2, printing nothing more", () => {
    assert.deepEqual(describeFatal(new CommanderError(0, "commander.helpDisplayed", "(outputHelp)")), { text: "", status: 0 });
    assert.deepEqual(describeFatal(new CommanderError(1, "commander.unknownOption", "error: unknown option '--x'")), { text: "", status: 2 });
  });
});
