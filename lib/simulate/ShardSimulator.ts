import { catalogueFor, type Catalogue } from "./catalogue";
import { CONFIGURATIONS, type EventsimConfiguration } from "./configurations";
import { drawProfile, profileJson, type Profile } from "./people";
import { Rng, cumulativeWeights, deriveSeed } from "./rng";
import { firstSessionStart, nextSessionStart } from "./sessions";
import type { SimulationPlan } from "./simulationPlan";
import { copyBytes, writeDigits } from "./writeDigits";
import {
  AUTH_ORDER, CHURN_PAGE_INDEX, DelayKind, LEVEL_ORDER, NEXT_SONG_PAGE_INDEX, STATE_AUTH_LEVEL, STATE_DELAY,
  STATE_JSON_BYTES, STATE_PAGE, STATE_SHOWS_USER, compileMachine, entryState, nextState, type CompiledMachine,
} from "./stateMachine";

/**
 * A batch of events in (ts, user) order, as flat arrays (transferable between threads). The line
 * of event i is `{"ts":…,"userId":…,"sessionId":…` (written by the merger, which owns the global
 * sessionId counter) followed by bytes[ends[i-1] .. ends[i]).
 */
export interface EventBatch {
  count: number;
  /** Event time, epoch ms (whole seconds). */
  ts: Float64Array;
  /** User index. */
  user: Int32Array;
  /** The user's own session number (0, 1, …), turned into a global sessionId by the merger. */
  session: Int32Array;
  /** 1 when the row shows the user's id and profile. */
  show: Uint8Array;
  /** Page index (PAGES). */
  page: Uint8Array;
  /** End offset in `bytes` of each event's tail. */
  ends: Int32Array;
  bytes: Uint8Array;
}

/** A listener's state between events, what `advanceUser` moves (the simulator's and the oracle's). */
export interface UserState {
  /** Epoch seconds of the pending event. */
  t: number;
  state: number;
  item: number;
  session: number;
  done: boolean;
  readonly rng: Rng;
  readonly config: EventsimConfiguration;
  readonly machine: CompiledMachine;
  readonly alpha: number;
  readonly beta: number;
}

/** One simulated listener: their state between events (one object per user, none per event). */
class Listener implements UserState {
  /** Epoch seconds of the pending event. */
  t = 0;
  state = -1;
  item = 0;
  session = 0;
  done = false;
  constructor(
    readonly index: number,
    readonly rng: Rng,
    readonly config: EventsimConfiguration,
    readonly machine: CompiledMachine,
    readonly alpha: number,
    readonly beta: number,
    /** UTF-8 of the profile fields shown on the user's logged-in rows. */
    readonly profile: Buffer,
  ) {}
}

/** A user's hidden draws, in the order the simulator makes them from the user's own stream. */
export interface UserDraw {
  /** The user's generator, positioned after these draws (the entry state is drawn next). */
  rng: Rng;
  /** Index into CONFIGURATIONS. */
  configuration: number;
  alpha: number;
  beta: number;
  profile: Profile;
  guest: boolean;
  /** Epoch seconds of the first pending event. */
  t: number;
  registration: number;
  /** auth × 2 + level slot of the first session (STATE_AUTH_LEVEL). */
  slot: number;
}

/** Draws user `index`'s hidden parameters exactly as the simulator does (the same stream, the same order). */
export function drawUser(plan: SimulationPlan, index: number, configCum: Float64Array): UserDraw {
  const cal = plan.calibration;
  // Every draw about a user comes from the user's own stream: the output is the same whatever
  // the number of shards.
  const rng = new Rng(deriveSeed(plan.seed, index + 1));
  const c = rng.pickCumulative(configCum);
  const config = CONFIGURATIONS[c];
  const alpha = config.alpha * Math.exp(cal.userSigma * rng.gaussian());
  const beta = config.beta * plan.betaScale * Math.exp(cal.userSigma * rng.gaussian());
  const profile = drawProfile(rng);
  const guest = index >= plan.users - plan.guests;
  let t: number;
  let registration: number;
  let slot: number;
  if (guest) {
    // Poisson growth conditioned on the number of arrivals: arrival times are uniform.
    t = plan.startSec + Math.floor(rng.next() * (plan.endSec - plan.startSec));
    registration = t;
    slot = AUTH_ORDER.indexOf("Guest") * 2 + LEVEL_ORDER.indexOf("free");
  } else {
    const loggedIn = rng.next() * (cal.loggedInWeight + cal.loggedOutWeight) < cal.loggedInWeight;
    const paid = rng.next() * (cal.freeWeight + cal.paidWeight) >= cal.freeWeight;
    slot = AUTH_ORDER.indexOf(loggedIn ? "Logged In" : "Logged Out") * 2 + (paid ? 1 : 0);
    registration = plan.startSec - 3600 - Math.floor(rng.exponential(cal.registrationAgeDays * 86400));
    t = firstSessionStart(rng, plan.startSec, beta, config);
  }
  return { rng, configuration: c, alpha, beta, profile, guest, t, registration, slot };
}

/**
 * Moves a user past their pending event (already emitted; `songLength` is its song's length, 0 if
 * none): the think, redirect or song delay and the next page, or the next session. Done on a
 * cancellation, on an auth×level slot without entry pages, or at `endSec` (epoch seconds, exclusive).
 */
export function advanceUser(u: UserState, songLength: number, endSec: number): void {
  const state = u.state;
  if (STATE_PAGE[state] === CHURN_PAGE_INDEX) { u.done = true; return; }
  const kind = STATE_DELAY[state];
  const delay = kind === DelayKind.Song ? Math.trunc(songLength) : kind === DelayKind.Redirect ? 1 : Math.floor(u.rng.exponential(u.alpha));
  const next = nextState(u.machine, state, u.rng.next());
  if (next >= 0) {
    u.t += delay;
    u.state = next;
    u.item++;
  } else {
    // The leftover probability ends the session; the next one starts in the same auth and level.
    u.t = nextSessionStart(u.rng, u.t, u.beta, u.config);
    u.session++;
    u.item = 0;
    u.state = entryState(u.machine, STATE_AUTH_LEVEL[state], u.rng);
    if (u.state < 0) { u.done = true; return; }
  }
  if (u.t >= endSec) u.done = true;
}

/** Events of the users with index ≡ shard (mod shards), merged by (ts, user index). */
export class ShardSimulator {
  private readonly plan: SimulationPlan;
  private readonly catalogue: Catalogue;
  /** The catalogue's song bytes as a Buffer (a worker receives a plain Uint8Array). */
  private readonly songBytes: Buffer;
  private readonly heap: Listener[] = [];

  constructor(plan: SimulationPlan, shard = 0, shards = 1, catalogue?: Catalogue) {
    this.plan = plan;
    this.catalogue = catalogue ?? catalogueFor(plan.seed);
    const sb = this.catalogue.songBytes;
    this.songBytes = Buffer.from(sb.buffer, sb.byteOffset, sb.byteLength);
    const machines = CONFIGURATIONS.map((c) => compileMachine(c, plan.calibration.cancelScale));
    const configCum = cumulativeWeights(plan.configurationWeights);
    for (let i = shard; i < plan.users; i += shards) {
      const u = this.createListener(i, machines, configCum);
      if (!u.done) this.push(u);
    }
  }

  private createListener(index: number, machines: CompiledMachine[], configCum: Float64Array): Listener {
    const d = drawUser(this.plan, index, configCum);
    const u = new Listener(index, d.rng, CONFIGURATIONS[d.configuration], machines[d.configuration], d.alpha, d.beta, Buffer.from(profileJson(d.profile, d.registration * 1000), "utf8"));
    u.t = d.t;
    u.state = entryState(u.machine, d.slot, d.rng);
    if (u.state < 0 || d.t >= this.plan.endSec) u.done = true;
    return u;
  }

  /** Moves a listener past its pending event (the event was already written). */
  private advance(u: Listener, songLength: number): void {
    advanceUser(u, songLength, this.plan.endSec);
  }

  /** The next up to `max` events, or null when every user of the shard is done. */
  nextBatch(max: number): EventBatch | null {
    if (this.heap.length === 0) return null;
    const ts = new Float64Array(max);
    const user = new Int32Array(max);
    const session = new Int32Array(max);
    const show = new Uint8Array(max);
    const page = new Uint8Array(max);
    const ends = new Int32Array(max);
    let cap = max * 640;
    let bytes = Buffer.allocUnsafe(cap);
    let pos = 0;
    let n = 0;
    const cat = this.catalogue;
    const songBytes = this.songBytes;
    const songOffsets = cat.songOffsets;
    while (n < max && this.heap.length > 0) {
      const u = this.heap[0];
      const s = u.state;
      const p = STATE_PAGE[s];
      const shows = STATE_SHOWS_USER[s];
      // Worst case of this line's tail: state fields, item digits, profile, the longest song.
      if (pos + 8192 + u.profile.length > cap) {
        cap = 2 * cap + u.profile.length;
        const grown = Buffer.allocUnsafe(cap);
        bytes.copy(grown, 0, 0, pos);
        bytes = grown;
      }
      pos = copyBytes(bytes, pos, STATE_JSON_BYTES[s]);
      pos = writeDigits(bytes, pos, u.item);
      if (shows) pos += u.profile.copy(bytes, pos);
      let songLength = 0;
      if (p === NEXT_SONG_PAGE_INDEX) {
        const song = u.rng.pickCumulative(cat.cumulative);
        songLength = cat.length[song];
        pos += songBytes.copy(bytes, pos, songOffsets[song], songOffsets[song + 1]);
      } else {
        bytes[pos++] = 0x7d; // }
      }
      bytes[pos++] = 0x0a; // newline
      ts[n] = u.t * 1000;
      user[n] = u.index;
      session[n] = u.session;
      show[n] = shows;
      page[n] = p;
      ends[n] = pos;
      n++;
      this.advance(u, songLength);
      if (u.done) this.popTop();
      else this.siftDown(0);
    }
    // Copy into a right-sized standalone buffer so it can be transferred to another thread.
    const out = new Uint8Array(pos);
    out.set(bytes.subarray(0, pos));
    return {
      count: n, ts: ts.slice(0, n), user: user.slice(0, n), session: session.slice(0, n),
      show: show.slice(0, n), page: page.slice(0, n), ends: ends.slice(0, n), bytes: out,
    };
  }

  private less(a: Listener, b: Listener): boolean {
    return a.t < b.t || (a.t === b.t && a.index < b.index);
  }

  private push(u: Listener): void {
    const h = this.heap;
    h.push(u);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  private popTop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      this.siftDown(0);
    }
  }

  private siftDown(i: number): void {
    const h = this.heap;
    const n = h.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(h[l], h[m])) m = l;
      if (r < n && this.less(h[r], h[m])) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
}
