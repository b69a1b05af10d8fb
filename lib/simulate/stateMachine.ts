import { internalError } from "../errors";
import { PAGES, PAGE_METHOD_STATUS, type Auth, type Level, type Page } from "../events/schema";
import { CONFIGURATIONS, type EventsimConfiguration } from "./configurations";
import { TEMPLATE_NEW_SESSION, TEMPLATE_TRANSITIONS, type TransitionRow } from "./templateTransitions";
import type { Rng } from "./rng";

// The page state machine keyed by (page, auth, level), compiled into flat typed arrays so that
// drawing the next page costs a short linear scan and no allocation.

/** `auth` values in the order the compiled tables index them. */
export const AUTH_ORDER: readonly Auth[] = ["Guest", "Logged In", "Logged Out", "Cancelled"];
/** `level` values in the order the compiled tables index them. */
export const LEVEL_ORDER: readonly Level[] = ["free", "paid"];

/** How the time to the next event is drawn after a page. */
export const enum DelayKind {
  /** int(Exp(alpha_u)) seconds: the user reads the page. */
  Think = 0,
  /** One second: the page is a redirect (HTTP 307). */
  Redirect = 1,
  /** The length of the song being played. */
  Song = 2,
}

/** One state of the machine. */
export interface MachineState {
  readonly key: string;
  readonly page: Page;
  readonly auth: Auth;
  readonly level: Level;
}

function parseKey(key: string): MachineState {
  const [page, auth, level] = key.split("|");
  if (!(PAGES as readonly string[]).includes(page) || !AUTH_ORDER.includes(auth as Auth) || !LEVEL_ORDER.includes(level as Level)) {
    throw internalError(`bad state key "${key}" in the simulator's configurations`);
  }
  return { key, page: page as Page, auth: auth as Auth, level: level as Level };
}

function collectStates(): MachineState[] {
  const seen = new Map<string, MachineState>();
  const add = (k: string): void => {
    if (!seen.has(k)) seen.set(k, parseKey(k));
  };
  for (const [k] of TEMPLATE_NEW_SESSION) add(k);
  for (const [a, b] of TEMPLATE_TRANSITIONS) { add(a); add(b); }
  for (const c of CONFIGURATIONS) for (const [a, b] of c.overrides) { add(a); add(b); }
  return [...seen.values()];
}

/** Every state any configuration uses, in a fixed order (its index is the state id). */
export const STATES: readonly MachineState[] = collectStates();

const STATE_INDEX = new Map(STATES.map((s, i) => [s.key, i]));

/** Page of each state, as an index into PAGES. */
export const STATE_PAGE: Uint8Array = Uint8Array.from(STATES, (s) => PAGES.indexOf(s.page));
/** 1 when rows of the state carry the user's id and profile (Logged In, Cancelled). */
export const STATE_SHOWS_USER: Uint8Array = Uint8Array.from(STATES, (s) => (s.auth === "Logged In" || s.auth === "Cancelled" ? 1 : 0));
/** Delay rule after each state (see DelayKind). */
export const STATE_DELAY: Uint8Array = Uint8Array.from(STATES, (s) =>
  s.page === "NextSong" ? DelayKind.Song : PAGE_METHOD_STATUS[s.page].status === 307 ? DelayKind.Redirect : DelayKind.Think);
/** auth index (AUTH_ORDER) × 2 + level index of each state: which entry table a new session uses. */
export const STATE_AUTH_LEVEL: Uint8Array = Uint8Array.from(STATES, (s) => AUTH_ORDER.indexOf(s.auth) * 2 + LEVEL_ORDER.indexOf(s.level));
/** Index of the churn state's page (Cancellation Confirmation) in PAGES. */
export const CHURN_PAGE_INDEX = PAGES.indexOf("Cancellation Confirmation");
/** Index of NextSong in PAGES. */
export const NEXT_SONG_PAGE_INDEX = PAGES.indexOf("NextSong");

/**
 * JSON of each state's fields between sessionId and itemInSession's value, in eventsim's key order:
 * `,"page":"…","auth":"…","method":"…","status":…,"level":"…","itemInSession":`.
 */
export const STATE_JSON: readonly string[] = STATES.map((s) => {
  const ms = PAGE_METHOD_STATUS[s.page];
  return `,"page":${JSON.stringify(s.page)},"auth":${JSON.stringify(s.auth)},"method":"${ms.method}","status":${ms.status},"level":"${s.level}","itemInSession":`;
});

/** STATE_JSON as UTF-8 bytes (copied into event lines without building strings). */
export const STATE_JSON_BYTES: readonly Buffer[] = STATE_JSON.map((j) => Buffer.from(j, "utf8"));

/** A configuration compiled to flat arrays. */
export interface CompiledMachine {
  readonly name: string;
  /** Row of state s is dest[offsets[s] .. offsets[s+1]). */
  readonly offsets: Int32Array;
  readonly dest: Int32Array;
  /** Running sum of the row's probabilities; a draw above the row's last sum ends the session. */
  readonly cumulative: Float64Array;
  /** Entry states per auth×level slot (STATE_AUTH_LEVEL), as weighted tables. */
  readonly entryStates: readonly Int32Array[];
  readonly entryCumulative: readonly Float64Array[];
}

/** The template's transitions with a configuration's overrides applied (p = 0 removes an edge). */
export function effectiveTransitions(config: EventsimConfiguration): TransitionRow[] {
  const rows = new Map<string, TransitionRow>();
  for (const r of TEMPLATE_TRANSITIONS) rows.set(`${r[0]}>${r[1]}`, r);
  for (const r of config.overrides) rows.set(`${r[0]}>${r[1]}`, r);
  return [...rows.values()].filter((r) => r[2] > 0);
}

/**
 * Compiles one configuration's transitions and session entry weights; `cancelScale` multiplies
 * every transition into Cancel (the calibration's churn knob; 1 = eventsim's table as is).
 */
export function compileMachine(config: EventsimConfiguration, cancelScale = 1): CompiledMachine {
  const rows = effectiveTransitions(config);
  const byState: [number, number][][] = STATES.map(() => []);
  for (const [a, b, p] of rows) byState[STATE_INDEX.get(a)!].push([STATE_INDEX.get(b)!, p]);
  if (cancelScale !== 1) {
    for (const row of byState) {
      // The extra Cancel probability comes out of what ends the session, never beyond it.
      const sum = row.reduce((t, [, p]) => t + p, 0);
      const extra = row.reduce((t, [d, p]) => t + (STATES[d].page === "Cancel" ? p * (cancelScale - 1) : 0), 0);
      const room = extra > 0 ? Math.min(1, Math.max(0, 1 - sum) / extra) : 0;
      for (const edge of row) if (STATES[edge[0]].page === "Cancel") edge[1] += edge[1] * (cancelScale - 1) * room;
    }
  }
  const offsets = new Int32Array(STATES.length + 1);
  const total = rows.length;
  const dest = new Int32Array(total);
  const cumulative = new Float64Array(total);
  let k = 0;
  for (let s = 0; s < STATES.length; s++) {
    offsets[s] = k;
    let sum = 0;
    for (const [d, p] of byState[s]) {
      sum += p;
      if (sum > 1 + 1e-9) throw internalError(`configuration ${config.name}: transitions from ${STATES[s].key} sum above 1`);
      dest[k] = d;
      cumulative[k] = sum;
      k++;
    }
  }
  offsets[STATES.length] = k;
  const entryStates: Int32Array[] = [];
  const entryCumulative: Float64Array[] = [];
  for (let slot = 0; slot < AUTH_ORDER.length * 2; slot++) {
    const entries = TEMPLATE_NEW_SESSION.filter(([key]) => STATE_AUTH_LEVEL[STATE_INDEX.get(key)!] === slot);
    const positive = entries.filter(([, w]) => w > 0);
    entryStates.push(Int32Array.from(positive, ([key]) => STATE_INDEX.get(key)!));
    let s = 0;
    entryCumulative.push(Float64Array.from(positive, ([, w]) => (s += w)));
  }
  return { name: config.name, offsets, dest, cumulative, entryStates, entryCumulative };
}

/** The next state after `state` for a uniform draw `u`, or -1 when the session ends. */
export function nextState(m: CompiledMachine, state: number, u: number): number {
  const end = m.offsets[state + 1];
  for (let i = m.offsets[state]; i < end; i++) if (u < m.cumulative[i]) return m.dest[i];
  return -1;
}

/** The first state of a new session for a user in auth×level slot `slot`, or -1 if none exists. */
export function entryState(m: CompiledMachine, slot: number, rng: Rng): number {
  const states = m.entryStates[slot];
  if (states.length === 0) return -1;
  return states[rng.pickCumulative(m.entryCumulative[slot])];
}

/** Index of a state by its "page|auth|level" key (throws for an unknown key). */
export function stateIndex(key: string): number {
  const i = STATE_INDEX.get(key);
  if (i === undefined) throw internalError(`unknown state "${key}"`);
  return i;
}
