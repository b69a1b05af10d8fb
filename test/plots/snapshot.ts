import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { mulberry32 } from "../../lib/random";

/** test/output/, where image files and reports of the tests land for a person to look at (ignored by git). */
export const OUTPUT_DIR = path.resolve(__dirname, "../output");

/** test/plots/__snapshots__/, the committed snapshots that writeSnapshot compares against. */
export const SNAPSHOT_DIR = path.resolve(__dirname, "__snapshots__");

/** Numbers that differ by no more than this are equal in a snapshot (the rounding step, so a value
 * sitting on a rounding boundary cannot flip the result). */
const NUMBER_TOLERANCE = 1e-3;

/** Rounds every float in `value` to 3 decimals, so snapshots are stable and readable. */
export function round3(value: unknown): unknown {
  if (typeof value === "number") return Number.isInteger(value) ? value : Math.round(value * 1000) / 1000;
  if (Array.isArray(value)) return value.map(round3);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, round3(v)]));
  return value;
}

/** The value as a snapshot holds it: JSON (typed arrays as arrays, NaN/undefined as JSON has them), floats to 3 decimals. */
export function snapshotForm(value: unknown): unknown {
  const json = JSON.stringify(value, (_k, v: unknown) => (ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v));
  return json === undefined ? null : round3(JSON.parse(json));
}

/** True when UPDATE_SNAPSHOTS is set (`npm run test:update-snapshots`): snapshots are rewritten, not compared. */
export function updatingSnapshots(): boolean {
  const v = process.env.UPDATE_SNAPSHOTS;
  return v !== undefined && v !== "" && v !== "0" && v !== "false";
}

function isStrict(): boolean {
  return process.env.CI === "true" || process.env.CI === "1" || process.env.SPARKIFY_STRICT === "1";
}

/**
 * Compares `value` (a Plotly figure or any JSON-able data; floats rounded to 3 decimals) with the
 * committed snapshot test/plots/__snapshots__/<name>.json and throws with a readable list of the
 * differences when they disagree. `npm run test:update-snapshots` (UPDATE_SNAPSHOTS=1) rewrites the
 * file instead. A missing snapshot is written on first run, except under CI=true / --strict, where
 * it fails (a snapshot that was never committed compares nothing). Returns the rounded value.
 */
export function writeSnapshot(name: string, value: unknown): unknown {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`snapshot name ${JSON.stringify(name)}: use letters, digits, '.', '_' and '-'`);
  // scripts/update-snapshots.js collects the names in use, to remove the snapshots no test takes any more.
  const log = process.env.SPARKIFY_SNAPSHOT_LOG;
  if (log) fs.appendFileSync(log, `${name}.json\n`);
  return matchSnapshot(path.join(SNAPSHOT_DIR, `${name}.json`), value);
}

/** How {@link matchSnapshot} treats the file: rewrite it, and whether a missing one fails. */
export interface SnapshotMode {
  update: boolean;
  strict: boolean;
}

/** {@link writeSnapshot} on any file path; `mode` defaults to the environment's (UPDATE_SNAPSHOTS, CI / --strict). */
export function matchSnapshot(file: string, value: unknown, mode: SnapshotMode = { update: updatingSnapshots(), strict: isStrict() }): unknown {
  const name = path.basename(file, ".json");
  const actual = snapshotForm(value);
  const text = JSON.stringify(actual, null, 2) + "\n";
  const exists = fs.existsSync(file);
  const shown = path.relative(process.cwd(), file);
  if (mode.update || (!exists && !mode.strict)) {
    if (!exists || fs.readFileSync(file, "utf8") !== text) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, text);
      fs.renameSync(tmp, file);
      process.stderr.write(`      snapshot ${exists ? "updated" : "written"}: ${shown}\n`);
    }
    return actual;
  }
  if (!exists) {
    assert.fail(`snapshot ${name}: ${shown} does not exist; run \`npm run test:update-snapshots\` and commit it`);
  }
  let expected: unknown;
  try {
    expected = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`snapshot ${name}: ${shown} is not valid JSON (${(e as Error).message}); run \`npm run test:update-snapshots\``);
  }
  const diffs: string[] = [];
  diffValues(expected, actual, "", diffs);
  if (diffs.length > 0) {
    const listed = diffs.slice(0, MAX_DIFF_LINES);
    const more = diffs.length > listed.length ? `\n  … and ${diffs.length - listed.length} more` : "";
    assert.fail(
      `snapshot ${name} differs from ${shown} (${diffs.length} difference(s); - snapshot, + now):\n` +
        listed.join("\n") +
        more +
        `\nIf the change is intended, run \`npm run test:update-snapshots\` and commit the snapshot.`,
    );
  }
  return actual;
}

const MAX_DIFF_LINES = 40;

function show(v: unknown): string {
  const s = JSON.stringify(v);
  if (s === undefined) return "(absent)";
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

function numbersMatch(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= NUMBER_TOLERANCE + 1e-12 * Math.max(Math.abs(a), Math.abs(b));
}

/** Collects the differences between two JSON values, one line per path (`data[0].x[3]`), into `out`. */
function diffValues(expected: unknown, actual: unknown, at: string, out: string[]): void {
  if (out.length > MAX_DIFF_LINES * 4) return;
  const where = at === "" ? "(root)" : at;
  if (typeof expected === "number" && typeof actual === "number") {
    if (!numbersMatch(expected, actual)) out.push(`  ${where}: - ${show(expected)}  + ${show(actual)}`);
    return;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const n = Math.max(expected.length, actual.length);
    if (expected.length !== actual.length) out.push(`  ${where}: length - ${expected.length}  + ${actual.length}`);
    for (let i = 0; i < n; i++) {
      if (i >= expected.length) out.push(`  ${at}[${i}]: + ${show(actual[i])}`);
      else if (i >= actual.length) out.push(`  ${at}[${i}]: - ${show(expected[i])}`);
      else diffValues(expected[i], actual[i], `${at}[${i}]`, out);
    }
    return;
  }
  if (isObject(expected) && isObject(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])];
    for (const k of keys) {
      const p = /^[A-Za-z_$][\w$]*$/.test(k) ? (at === "" ? k : `${at}.${k}`) : `${at}[${JSON.stringify(k)}]`;
      if (!(k in actual)) out.push(`  ${p}: - ${show(expected[k])}  (missing now)`);
      else if (!(k in expected)) out.push(`  ${p}: + ${show(actual[k])}  (new)`);
      else diffValues(expected[k], actual[k], p, out);
    }
    return;
  }
  if (expected !== actual) out.push(`  ${where}: - ${show(expected)}  + ${show(actual)}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Writes binary or text output (images) to test/output/<file>, for a person to look at; never compared. */
export function writeOutput(file: string, data: Buffer | string): string {
  fs.mkdirSync(OUTPUT_DIR, { recursive: true });
  const p = path.join(OUTPUT_DIR, file);
  fs.writeFileSync(p, data);
  return p;
}

/** A small seeded generator (mulberry32), so test figures are reproducible. */
export function seededRandom(seed: number): () => number {
  return mulberry32(seed);
}
