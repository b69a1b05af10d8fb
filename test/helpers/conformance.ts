// The opt-in conformance data: the real Sparkify sample and eventsim's original configurations live
// outside the project (in the folder CI lays beside the checkout as ../shared). Tests on them run
// only when SPARKIFY_CONFORMANCE_DIR names that folder; the rest of the suite never reads it.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { recordDecision, strictMode } from "./systemSuites";

/** The environment variable naming the conformance folder (the one holding data/ and reference/). */
export const CONFORMANCE_ENV = "SPARKIFY_CONFORMANCE_DIR";

/** The name under which the conformance suite appears in the run's summary. */
export const CONFORMANCE_SUITE = "conformance suite (real Sparkify sample, eventsim originals)";

/** Folders inside the conformance folder that the conformance tests read. */
export const CONFORMANCE_PARTS = { realSample: "data/sparkify-real-sample", eventsim: "data/eventsim" } as const;

/**
 * The conformance folder from SPARKIFY_CONFORMANCE_DIR, or null when it is unset. A value that is
 * not such a folder is an error (naming what is missing), not a silent skip.
 */
export function conformanceDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const v = env[CONFORMANCE_ENV];
  if (v === undefined || v === "") return null;
  const dir = path.resolve(v);
  const absent = Object.values(CONFORMANCE_PARTS).filter((p) => !fs.existsSync(path.join(dir, p)));
  if (absent.length > 0) throw new Error(`${CONFORMANCE_ENV}=${v}: ${absent.map((p) => path.join(dir, p)).join(" and ")} not found (point it at the folder holding data/sparkify-real-sample and data/eventsim)`);
  return dir;
}

/** Why the conformance suite did not run, when it did not. */
export const CONFORMANCE_NOT_SET = `${CONFORMANCE_ENV} is not set (the folder holding data/sparkify-real-sample and data/eventsim, e.g. ../shared beside the checkout; .ci/run sets it)`;

/** The real sample folder (Spark re-export, 3 files, 6,350 events) when the conformance folder is set, else null. */
export function realSampleDir(): string | null {
  const dir = conformanceDir();
  const found = dir === null ? null : path.join(dir, CONFORMANCE_PARTS.realSample);
  noteConformance(found !== null);
  return found;
}

/** eventsim's original configuration folder (26 *-config.json) when the conformance folder is set, else null. */
export function eventsimDir(): string | null {
  const dir = conformanceDir();
  const found = dir === null ? null : path.join(dir, CONFORMANCE_PARTS.eventsim);
  noteConformance(found !== null);
  return found;
}

/** Records, once, whether the conformance suite runs (for the summary that closes `npm test`). */
function noteConformance(ran: boolean): void {
  recordDecision({ suite: CONFORMANCE_SUITE, needs: CONFORMANCE_ENV, ran, reason: ran ? undefined : CONFORMANCE_NOT_SET });
}


/**
 * `describe` for a suite of the conformance suite: defined when SPARKIFY_CONFORMANCE_DIR is set
 * (`fn` gets the folder); otherwise left out (the run's summary says so in one line), except in
 * strict mode (CI=true or --strict), where it fails: CI always runs the conformance suite.
 */
export function describeConformance(title: string, fn: (dir: string) => void): void {
  const dir = conformanceDir();
  noteConformance(dir !== null);
  if (dir !== null) describe(`conformance: ${title}`, () => fn(dir));
  else if (strictMode()) {
    describe(`conformance: ${title}`, () => {
      it(`runs (${CONFORMANCE_ENV} is set)`, () => assert.fail(`${CONFORMANCE_NOT_SET}; strict mode (CI=true or --strict) runs the conformance suite`));
    });
  }
}
