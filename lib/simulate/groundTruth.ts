import { writeFileAtomic } from "../io/atomicWrite";
import { csvField } from "../io/csv";
import { CONFIGURATIONS } from "./configurations";
import { drawUser } from "./ShardSimulator";
import { cumulativeWeights } from "./rng";
import { resolvePlan, userIdOf, type SimulateOptions, type SimulationPlan } from "./simulationPlan";
import { AUTH_ORDER, LEVEL_ORDER } from "./stateMachine";

// Ground truth: each simulated user's hidden parameters, the facts a perfect model could know and
// the logs only hint at. Drawn from the plan alone, from the same per-user streams as the events,
// so writing it reads or changes no event.

/** One simulated user's hidden parameters. */
export interface UserTruth {
  /** The userId on the user's rows. */
  userId: string;
  /** eventsim configuration: the page transition table the user follows (CONFIGURATIONS). */
  configuration: string;
  /** Mean think time between pages, seconds: the configuration's alpha times the user's own lognormal factor. */
  alpha: number;
  /** Mean time between sessions, seconds (before the session gap, daily cycle and weekend thinning). */
  beta: number;
  /** The configuration's alpha and beta (times the plan's beta scale) before the user's factor. */
  configAlpha: number;
  configBeta: number;
  /** Registration time, epoch ms (as on the rows). */
  registration: number;
  /** Auth and level of the first session: Logged In / Logged Out / Guest, free / paid. */
  startAuth: string;
  startLevel: string;
  /** Arrives as a guest during the window (rows without a userId while a guest). */
  guest: boolean;
  /** Time of the user's first event, epoch ms (may lie past the window's end: then the user has no rows). */
  firstEventTs: number;
}

/** Every user's hidden parameters for a simulation (options as `simulate` takes them, or a resolved plan). */
export function groundTruth(options: SimulateOptions | SimulationPlan): UserTruth[] {
  const plan = "calibration" in options ? options : resolvePlan(options);
  const configCum = cumulativeWeights(plan.configurationWeights);
  const out: UserTruth[] = [];
  for (let i = 0; i < plan.users; i++) {
    const d = drawUser(plan, i, configCum);
    const c = CONFIGURATIONS[d.configuration];
    out.push({
      userId: userIdOf(i),
      configuration: c.name,
      alpha: d.alpha,
      beta: d.beta,
      configAlpha: c.alpha,
      configBeta: c.beta * plan.betaScale,
      registration: d.registration * 1000,
      startAuth: AUTH_ORDER[d.slot >> 1],
      startLevel: LEVEL_ORDER[d.slot & 1],
      guest: d.guest,
      firstEventTs: d.t * 1000,
    });
  }
  return out;
}

/** The column order of the ground-truth CSV. */
export const TRUTH_COLUMNS: ReadonlyArray<keyof UserTruth> = [
  "userId", "configuration", "alpha", "beta", "configAlpha", "configBeta", "registration", "startAuth", "startLevel", "guest", "firstEventTs",
];

/** The ground truth as CSV text (header line, one row per user, numbers in full precision). */
export function truthCsv(rows: readonly UserTruth[]): string {
  const lines = [TRUTH_COLUMNS.join(",")];
  for (const r of rows) lines.push(TRUTH_COLUMNS.map((c) => csvField(r[c])).join(","));
  return `${lines.join("\n")}\n`;
}

/** Writes the ground truth of a simulation to `file` as CSV, whole or not at all (lib/io). Returns the number of users written. */
export function writeGroundTruth(options: SimulateOptions | SimulationPlan, file: string): number {
  const rows = groundTruth(options);
  writeFileAtomic(file, truthCsv(rows));
  return rows.length;
}
