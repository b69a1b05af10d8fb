import * as fs from "node:fs";
import * as path from "node:path";
import { mulberry32 } from "../../lib/random";

/** test/output/, where snapshot and image files of the tests land (ignored by git). */
export const OUTPUT_DIR = path.resolve(__dirname, "../output");

/** Rounds every float in `value` to 3 decimals, so snapshots are stable and readable. */
export function round3(value: unknown): unknown {
  if (typeof value === "number") return Number.isInteger(value) ? value : Math.round(value * 1000) / 1000;
  if (Array.isArray(value)) return value.map(round3);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, round3(v)]));
  return value;
}

/** Writes test/output/<name>.json (floats to 3 decimals) and returns the rounded value. */
export function writeSnapshot(name: string, value: unknown): unknown {
  fs.mkdirSync(OUTPUT_DIR, { recursive: true });
  const rounded = round3(value);
  fs.writeFileSync(path.join(OUTPUT_DIR, `${name}.json`), JSON.stringify(rounded, null, 2) + "\n");
  return rounded;
}

/** Writes binary or text output (images) to test/output/<file>. */
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
