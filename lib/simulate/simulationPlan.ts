import { SparkifyError } from "../errors";
import { CONFIGURATIONS } from "./configurations";
import { CALIBRATION, PRESETS, PRESET_NAMES, type ModelCalibration, type PresetName } from "./presets";

/** What to simulate: a preset, optionally resized, reseeded or moved in time. */
export interface SimulateOptions {
  /** Preset to start from (default "mini"). */
  preset?: PresetName;
  /** Listeners to simulate instead of the preset's number. */
  users?: number;
  /** Seed of every random draw (default 42). */
  seed?: number;
  /** Window start: epoch milliseconds or an ISO date (default: the preset's). */
  start?: number | string;
  /** Window end, exclusive: epoch milliseconds or an ISO date (default: the preset's). */
  end?: number | string;
  /** Generator threads: 1 runs in the calling thread; more use worker_threads (same bytes). */
  workers?: number;
}

/** A fully resolved, serialisable simulation plan (what every worker receives). */
export interface SimulationPlan {
  readonly preset: PresetName;
  readonly seed: number;
  readonly users: number;
  /** Users with index ≥ users − guests arrive as guests during the window. */
  readonly guests: number;
  /** Window in epoch seconds, [startSec, endSec). */
  readonly startSec: number;
  readonly endSec: number;
  readonly calibration: ModelCalibration;
  /** Multiplier on each configuration's beta (calibration × preset factor). */
  readonly betaScale: number;
  /** Configuration weights in CONFIGURATIONS order. */
  readonly configurationWeights: readonly number[];
}

/** Default seed of the simulator. */
export const DEFAULT_SIMULATION_SEED = 42;

function toSeconds(name: string, v: number | string): number {
  const ms = typeof v === "number" ? v : Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  if (!Number.isFinite(ms)) throw new SparkifyError("E_BAD_OPTION", `simulate: ${name} must be an ISO date or epoch milliseconds, got "${v}".`);
  return Math.floor(ms / 1000);
}

/** Resolves options against the presets and validates them (clear errors for bad values). */
export function resolvePlan(options: SimulateOptions): SimulationPlan {
  const preset = options.preset ?? "mini";
  if (!PRESET_NAMES.includes(preset)) {
    throw new SparkifyError("E_BAD_OPTION", `simulate: unknown preset "${String(preset)}"; choose one of ${PRESET_NAMES.join(", ")}.`);
  }
  const p = PRESETS[preset];
  const users = options.users ?? p.users;
  if (!Number.isInteger(users) || users < 1 || users > 10_000_000) {
    throw new SparkifyError("E_BAD_OPTION", `simulate: users must be a whole number from 1 to 10000000, got ${users}.`);
  }
  const seed = options.seed ?? DEFAULT_SIMULATION_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new SparkifyError("E_BAD_OPTION", `simulate: seed must be a non-negative whole number, got ${seed}.`);
  const startSec = toSeconds("start", options.start ?? p.start);
  const endSec = toSeconds("end", options.end ?? p.end);
  if (endSec <= startSec) {
    throw new SparkifyError("E_BAD_OPTION", `simulate: end (${new Date(endSec * 1000).toISOString()}) must be after start (${new Date(startSec * 1000).toISOString()}).`);
  }
  const calibration = CALIBRATION;
  const guests = users < 2 ? 0 : Math.round(users * calibration.guestShare);
  const configurationWeights = CONFIGURATIONS.map((c) => calibration.configurationWeights[c.name] ?? 0);
  const betaScale = calibration.betaScale * p.betaFactor;
  return { preset, seed, users, guests, startSec, endSec, calibration, betaScale, configurationWeights };
}

/** The userId string of user `index` (eventsim numbers users from 1). */
export function userIdOf(index: number): string {
  return String(index + 1);
}
