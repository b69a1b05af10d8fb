import type { EventsimConfiguration } from "./configurations";
import type { Rng } from "./rng";

// Session timing as eventsim does it: the next session starts int(Exp(beta_u)) + session-gap
// seconds after the previous session's last event, warped by a daily cycle and thinned on weekends.

const DAY = 86400;
const WEEK = 7 * DAY;
/** 1970-01-01 was a Thursday: seconds from the Monday 00:00 before the epoch to the epoch. */
const EPOCH_WEEK_OFFSET = 3 * DAY;
/** Second of the day (UTC) where session starts are sparsest: 04:00 UTC, late night in the US. */
const DAILY_TROUGH = 4 * 3600;

/**
 * Daily cycle: moves a time within its day so that session starts are denser in the (US) daytime
 * and sparser at night. The map t → t + A·sin(·) is increasing, so start order is kept; with
 * A = damping·day/2π the peak-to-trough density ratio is (1 + damping) / (1 − damping).
 */
export function dailyWarp(t: number, damping: number): number {
  const amplitude = (damping * DAY) / (2 * Math.PI);
  const phase = (2 * Math.PI * (((t - DAILY_TROUGH) % DAY) + DAY)) / DAY;
  return Math.round(t + amplitude * Math.sin(phase));
}

/**
 * Weekend thinning: the chance that a session starting at `t` (epoch seconds) is kept. It falls
 * linearly from 1 to 1 − weekendDamping over `scale` minutes starting `offset` minutes before
 * Saturday 00:00, and rises back the same way around Monday 00:00.
 */
export function weekendKeepProbability(t: number, config: EventsimConfiguration): number {
  const minuteOfWeek = ((((t + EPOCH_WEEK_OFFSET) % WEEK) + WEEK) % WEEK) / 60;
  const offset = config.weekendDampingOffset;
  const scale = config.weekendDampingScale;
  const saturday = 5 * 1440 - offset;
  const monday = 7 * 1440 - offset;
  let ramp: number;
  if (minuteOfWeek < scale - offset) ramp = 1 - (minuteOfWeek + offset) / scale; // Monday ramp wrapping past midnight
  else if (minuteOfWeek < saturday) ramp = 0;
  else if (minuteOfWeek < saturday + scale) ramp = (minuteOfWeek - saturday) / scale;
  else if (minuteOfWeek < monday) ramp = 1;
  else ramp = 1 - (minuteOfWeek - monday) / scale;
  return 1 - config.weekendDamping * Math.min(1, Math.max(0, ramp));
}

/** Start (epoch seconds) of the session after one whose last event was at `last`. */
export function nextSessionStart(rng: Rng, last: number, beta: number, config: EventsimConfiguration): number {
  let base = last;
  for (;;) {
    const x = base + Math.floor(rng.exponential(beta)) + config.sessionGap;
    const t = dailyWarp(x, config.damping);
    // The warp may pull a start back by up to damping·day/2π; a start that would fall inside the
    // session gap is thinned like a weekend one, so a user's events stay in time order.
    if (t >= last + config.sessionGap && rng.next() < weekendKeepProbability(t, config)) return t;
    base = x;
  }
}

/** Start (epoch seconds) of an initial user's first session: the process is already running at `start`. */
export function firstSessionStart(rng: Rng, start: number, beta: number, config: EventsimConfiguration): number {
  let base = start;
  for (;;) {
    // The residual wait of a memoryless gap is again exponential, so no session gap is added.
    const x = base + Math.floor(rng.exponential(beta));
    const t = dailyWarp(x, config.damping);
    if (t >= start && rng.next() < weekendKeepProbability(t, config)) return t;
    base = x;
  }
}
