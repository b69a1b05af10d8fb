import { SparkifyError } from "../errors";
import { PAGES } from "../events/schema";
import { catalogueFor, type Catalogue } from "../simulate/catalogue";
import { CONFIGURATIONS, type EventsimConfiguration } from "../simulate/configurations";
import { Rng, cumulativeWeights, deriveSeed } from "../simulate/rng";
import { advanceUser, drawUser, type UserState } from "../simulate/ShardSimulator";
import { dailyWarp, weekendKeepProbability } from "../simulate/sessions";
import { resolvePlan, userIdOf, type SimulateOptions, type SimulationPlan } from "../simulate/simulationPlan";
import {
  CHURN_PAGE_INDEX, DelayKind, NEXT_SONG_PAGE_INDEX, STATE_AUTH_LEVEL, STATE_DELAY, STATE_PAGE, STATE_SHOWS_USER,
  compileMachine, entryState, type CompiledMachine,
} from "../simulate/stateMachine";

// The oracle: the best possible churn score for simulated data. For a cutoff T and horizon H, each
// user still active at T gets the probability of cancelling in [T, T + H) given everything that
// drives them — their configuration, their own alpha and beta, and their exact state at T: the last
// event before T (page, auth, level, time, song length) and the fact that nothing happened between
// it and T. The probability is estimated by re-simulating the user's future from that state many
// times with the simulator's own step function, each path from its own seeded stream.
//
// "Nothing happened between the last event and T" is a condition on the first step: a think delay
// must reach T (its exponential is memoryless, so it is drawn as the remainder past T), a song or a
// redirect must already end at or after T, and a new session must start at or after T. The session
// start is a thinned renewal chain (daily warp, weekend thinning); it is conditioned by sequential
// importance sampling over many cheap chain particles, which are then resampled by weight, so every
// simulated future counts equally.

const DAY = 86400;
const CANCEL_PAGE_INDEX = PAGES.indexOf("Cancel");
// Module constants read once: through the compiled module interop every access in a hot loop would be a getter call.
const PAGE_OF: Uint8Array = STATE_PAGE;
const DELAY_OF: Uint8Array = STATE_DELAY;
const AUTH_LEVEL_OF: Uint8Array = STATE_AUTH_LEVEL;
const SHOWS_USER: Uint8Array = STATE_SHOWS_USER;
const CHURN_PAGE: number = CHURN_PAGE_INDEX;
const SONG_PAGE: number = NEXT_SONG_PAGE_INDEX;

/**
 * Walker's alias table of the catalogue's song lengths under its play weights: the length of the next
 * song in O(1) instead of a binary search over 90,000 running sums (the same distribution the simulator draws from).
 */
export class SongLengths {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;
  private readonly length: Float64Array;

  constructor(catalogue: Catalogue) {
    const cum = catalogue.cumulative;
    const n = cum.length;
    const total = cum[n - 1];
    this.length = catalogue.length;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = Float64Array.from({ length: n }, (_, i) => ((cum[i] - (i ? cum[i - 1] : 0)) * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((v, i) => (v < 1 ? small : large).push(i));
    while (small.length && large.length) {
      const s = small.pop()!;
      const l = large[large.length - 1];
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] -= 1 - scaled[s];
      if (scaled[l] < 1) small.push(large.pop()!);
    }
    for (const i of [...small, ...large]) {
      this.prob[i] = 1;
      this.alias[i] = i;
    }
  }

  /** A song length, seconds. */
  draw(rng: Rng): number {
    const x = rng.next() * this.prob.length;
    const i = Math.floor(x);
    return this.length[x - i < this.prob[i] ? i : this.alias[i]];
  }
}

/** Options of oracleScores. */
export interface OracleOptions {
  /** Cutoffs T, epoch ms. */
  cutoffs: number[];
  /** Label horizon H in days (the label: a cancellation confirmation in [T, T + H)). Default 14. */
  horizonDays?: number;
  /** Re-simulated futures per user and cutoff. Default 200. */
  paths?: number;
  /** Seed of the re-simulated futures (the events' own streams are not touched). Default 0. */
  seed?: number;
  /** Rows to score (a feature table's userId and cutoff); default every user active at each cutoff. */
  rows?: ReadonlyArray<{ userId: string; cutoff: number }>;
  /** Called now and then with (users done, users). */
  onProgress?: (done: number, total: number) => void;
}

/** One (user, cutoff) row of the oracle. */
export interface OracleRow {
  userId: string;
  /** T, epoch ms. */
  cutoff: number;
  /** Estimated probability of a cancellation in [T, T + H) given the user's hidden parameters and state at T. */
  probability: number;
  /** What happened: 1 when the simulation's own events cancel in [T, T + H). */
  label: 0 | 1;
  /**
   * The oracle's probability that the user has any event in [T, T + 1 day), and whether they did: a check
   * of the futures' start (it hangs on the condition that nothing happened between the last event and T).
   */
  nextDayProbability: number;
  nextDayActive: 0 | 1;
  /** The user's state at T: their page, level and the seconds since their last event. */
  lastPage: number;
  level: "free" | "paid";
  secondsSinceLastEvent: number;
}

/** The user's state just before T: their last event. */
interface Snapshot {
  t: number;
  state: number;
  item: number;
  session: number;
  /** Length of the last event's song (0 when it was not a song). */
  songLength: number;
}

/**
 * The oracle's probability of cancelling in [T, T + H) for every user active at each cutoff (or the
 * given rows), with the realized label from the simulation itself. `sim` is what `simulate` was given
 * (or its resolved plan); no events are read: each user is re-run from their own stream.
 * @example
 * import { oracleScores } from "./lib/oracle/oracle";
 * const rows = oracleScores({ preset: "mini", seed: 42 }, { cutoffs: [Date.parse("2018-11-15")], horizonDays: 14, paths: 20 });
 * if (rows.length === 0 || rows.some((r) => !(r.probability >= 0 && r.probability <= 1))) throw new Error("no oracle probabilities");
 */
export function oracleScores(sim: SimulateOptions | SimulationPlan, options: OracleOptions): OracleRow[] {
  const plan = "calibration" in sim ? sim : resolvePlan(sim);
  const horizonSec = (options.horizonDays ?? 14) * DAY;
  const paths = options.paths ?? 200;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(paths) || paths < 1) throw new SparkifyError("E_BAD_OPTION", `oracle: paths must be a whole number ≥ 1, got ${paths}`);
  if (!(horizonSec > 0)) throw new SparkifyError("E_BAD_OPTION", `oracle: horizonDays must be > 0, got ${options.horizonDays}`);
  const cutoffs = [...new Set(options.cutoffs)].sort((a, b) => a - b);
  if (cutoffs.length === 0) throw new SparkifyError("E_BAD_OPTION", "oracle: give at least one cutoff");
  for (const c of cutoffs) {
    const end = Math.ceil(c / 1000) + horizonSec;
    if (!Number.isFinite(c) || c / 1000 <= plan.startSec || end > plan.endSec) {
      throw new SparkifyError("E_BAD_OPTION", `oracle: cutoff ${new Date(c).toISOString()} + ${options.horizonDays ?? 14} days must lie inside the simulated window ${new Date(plan.startSec * 1000).toISOString()} … ${new Date(plan.endSec * 1000).toISOString()}`);
    }
  }
  // Which (user index, cutoff) pairs to score.
  let wanted: Map<number, Set<number>> | null = null;
  if (options.rows) {
    wanted = new Map();
    for (const r of options.rows) {
      const i = Number(r.userId) - 1;
      if (!Number.isInteger(i) || i < 0 || i >= plan.users) throw new SparkifyError("E_BAD_INPUT", `oracle: userId ${JSON.stringify(r.userId)} is not a user of this simulation (1 … ${plan.users})`);
      if (!cutoffs.includes(r.cutoff)) throw new SparkifyError("E_BAD_INPUT", `oracle: row of user ${r.userId} has cutoff ${r.cutoff}, not one of the cutoffs given`);
      let s = wanted.get(i);
      if (!s) wanted.set(i, (s = new Set()));
      s.add(r.cutoff);
    }
  }
  const machines = CONFIGURATIONS.map((c) => compileMachine(c, plan.calibration.cancelScale));
  const configCum = cumulativeWeights(plan.configurationWeights);
  const catalogue = catalogueFor(plan.seed);
  const songs = new SongLengths(catalogue);
  const out: OracleRow[] = [];
  const indices = wanted ? [...wanted.keys()].sort((a, b) => a - b) : Array.from({ length: plan.users }, (_, i) => i);
  indices.forEach((index, k) => {
    if (options.onProgress && k % 200 === 0) options.onProgress(k, indices.length);
    const d = drawUser(plan, index, configCum);
    const config = CONFIGURATIONS[d.configuration];
    const machine = machines[d.configuration];
    const u: UserState = { t: d.t, state: entryState(machine, d.slot, d.rng), item: 0, session: 0, done: false, rng: d.rng, config, machine, alpha: d.alpha, beta: d.beta };
    if (u.state < 0 || u.t >= plan.endSec) u.done = true;
    const mine = wanted ? cutoffs.filter((c) => wanted!.get(index)!.has(c)) : cutoffs;
    const tSec = mine.map((c) => Math.ceil(c / 1000));
    const snaps: Array<Snapshot | null> = mine.map(() => null);
    const active: boolean[] = mine.map(() => false);
    let last: Snapshot | null = null;
    let shown = false;
    let cancelled = false;
    let cancelAt = Infinity;
    let next = 0;
    const firstAtOrAfter: number[] = mine.map(() => Infinity);
    // The user's real path, exactly as the simulator runs it: note the state before each cutoff.
    while (!u.done || next < mine.length) {
      const t = u.done ? Infinity : u.t;
      while (next < mine.length && t >= tSec[next]) {
        snaps[next] = last;
        firstAtOrAfter[next] = t;
        active[next] = shown && !cancelled;
        next++;
      }
      if (u.done) break;
      const page = PAGE_OF[u.state];
      if (page === CHURN_PAGE) {
        cancelled = true;
        cancelAt = u.t;
      } else if (SHOWS_USER[u.state] && page !== CANCEL_PAGE_INDEX) shown = true;
      const songLength = page === SONG_PAGE ? catalogue.length[u.rng.pickCumulative(catalogue.cumulative)] : 0;
      last = { t: u.t, state: u.state, item: u.item, session: u.session, songLength };
      advanceUser(u, songLength, plan.endSec);
    }
    for (let j = 0; j < mine.length; j++) {
      const snap = snaps[j];
      if (!active[j] && !wanted) continue;
      if (!snap || !active[j]) {
        throw new SparkifyError("E_BAD_INPUT", `oracle: user ${userIdOf(index)} is not active at ${new Date(mine[j]).toISOString()} in this simulation (no row before it, or cancelled before it): is the table from another simulation?`);
      }
      const T = tSec[j];
      const endH = T + horizonSec;
      const rng = new Rng(deriveSeed(seed, index + 1, Math.floor(mine[j] / 1000)));
      let churned = 0;
      let nextDay = 0;
      const sampler = new FutureSampler(snap, T, endH, machine, config, d.alpha, d.beta, songs, rng, paths);
      for (let p = 0; p < paths; p++) {
        const outcome = sampler.path();
        churned += outcome & CHURNED;
        if (outcome & NEXT_DAY) nextDay++;
      }
      out.push({
        userId: userIdOf(index),
        cutoff: mine[j],
        probability: churned / paths,
        label: cancelAt >= T && cancelAt < endH ? 1 : 0,
        nextDayProbability: nextDay / paths,
        nextDayActive: firstAtOrAfter[j] < T + DAY ? 1 : 0,
        lastPage: PAGE_OF[snap.state],
        level: (AUTH_LEVEL_OF[snap.state] & 1) === 1 ? "paid" : "free",
        secondsSinceLastEvent: T - snap.t,
      });
    }
  });
  options.onProgress?.(indices.length, indices.length);
  return out.sort((a, b) => a.cutoff - b.cutoff || Number(a.userId) - Number(b.userId));
}

/** Outcome bits of one future. */
const CHURNED = 1;
const NEXT_DAY = 2;

/** Smallest whole second x with dailyWarp(x) ≥ T (the warp is non-decreasing). */
function firstWarpedAtOrAfter(T: number, damping: number): number {
  const amplitude = (damping * DAY) / (2 * Math.PI);
  let lo = Math.floor(T - amplitude - 2);
  let hi = Math.ceil(T + amplitude + 2);
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (dailyWarp(mid, damping) >= T) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Futures of one user from their last event before T, conditioned on no event in (last, T). The
 * first step is either the next page of the same session (its chance times the chance its delay
 * reaches T, both exact) or the end of the session, whose next start is drawn from weighted chain
 * particles (the chance that the start reaches T, estimated with them).
 */
class FutureSampler {
  private readonly inWeight: number;
  private readonly endWeight: number;
  private readonly starts: Float64Array;
  private readonly startCum: Float64Array;

  constructor(
    private readonly snap: Snapshot,
    private readonly T: number,
    private readonly endH: number,
    private readonly machine: CompiledMachine,
    private readonly config: EventsimConfiguration,
    private readonly alpha: number,
    private readonly beta: number,
    private readonly songs: SongLengths,
    private readonly rng: Rng,
    paths: number,
  ) {
    const m = machine;
    const s = snap.state;
    const pIn = m.offsets[s + 1] > m.offsets[s] ? m.cumulative[m.offsets[s + 1] - 1] : 0;
    const kind = DELAY_OF[s];
    const wait = T - snap.t;
    const reach = kind === DelayKind.Song ? (snap.t + Math.trunc(snap.songLength) >= T ? 1 : 0) : kind === DelayKind.Redirect ? (snap.t + 1 >= T ? 1 : 0) : Math.exp(-wait / alpha);
    this.inWeight = pIn * reach;
    // Chain particles for the start of the next session, with their importance weights.
    const n = Math.max(64, 2 * paths);
    this.starts = new Float64Array(n);
    const w = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const r = this.sessionStart();
      this.starts[i] = r.t;
      w[i] = r.w;
      sum += r.w;
    }
    this.endWeight = (1 - pIn) * (sum / n);
    this.startCum = cumulativeWeights(w);
  }

  /** One particle: a session start at or after T with its weight (the chance of the conditions it was forced through). */
  private sessionStart(): { t: number; w: number } {
    const { rng, config, beta } = this;
    const last = this.snap.t;
    const gap = config.sessionGap;
    const mT = firstWarpedAtOrAfter(this.T, config.damping);
    let base = last;
    let w = 1;
    for (let step = 0; step < 100_000; step++) {
      const k = mT - base - gap;
      let x: number;
      if (k <= 0) x = base + Math.floor(rng.exponential(beta)) + gap;
      else {
        const pAfter = Math.exp(-k / beta);
        // Propose "past T" at least half the time: a candidate before T survives only where the weekend thins it.
        const q = Math.max(pAfter, 0.5);
        if (rng.next() < q) {
          w *= pAfter / q;
          x = mT + Math.floor(rng.exponential(beta)); // memoryless: floor(E) = k + floor(E') given E ≥ k
        } else {
          w *= (1 - pAfter) / (1 - q);
          const e = -beta * Math.log(1 - rng.next() * (1 - pAfter)); // E given E < k
          x = base + Math.min(k - 1, Math.floor(e)) + gap;
          const t = dailyWarp(x, config.damping);
          if (t >= last + gap) w *= 1 - weekendKeepProbability(t, config);
          if (w === 0) return { t: Infinity, w: 0 };
          base = x;
          continue;
        }
      }
      const t = dailyWarp(x, config.damping);
      if (t >= last + gap && rng.next() < weekendKeepProbability(t, config)) return { t, w };
      base = x;
    }
    return { t: Infinity, w: 0 };
  }

  /** One future: CHURNED when it cancels before T + H, plus NEXT_DAY when its first event is before T + 1 day. */
  path(): number {
    const { rng, machine: m, snap } = this;
    const total = this.inWeight + this.endWeight;
    if (!(total > 0)) return 0;
    const u: UserState = { t: 0, state: -1, item: snap.item, session: snap.session, done: false, rng, config: this.config, machine: m, alpha: this.alpha, beta: this.beta };
    if (rng.next() * total < this.inWeight) {
      // The same session goes on: its next page, drawn among the pages (not the session's end).
      const s = snap.state;
      const pIn = m.cumulative[m.offsets[s + 1] - 1];
      const x = rng.next() * pIn;
      let next = m.dest[m.offsets[s + 1] - 1];
      for (let i = m.offsets[s]; i < m.offsets[s + 1]; i++) {
        if (x < m.cumulative[i]) { next = m.dest[i]; break; }
      }
      const kind = DELAY_OF[s];
      const delay = kind === DelayKind.Song ? Math.trunc(snap.songLength) : kind === DelayKind.Redirect ? 1 : (this.T - snap.t) + Math.floor(rng.exponential(this.alpha));
      u.t = snap.t + delay;
      u.state = next;
      u.item = snap.item + 1;
    } else {
      const pick = rng.pickCumulative(this.startCum);
      u.t = this.starts[pick];
      u.session = snap.session + 1;
      u.item = 0;
      u.state = entryState(m, AUTH_LEVEL_OF[snap.state], rng);
      if (u.state < 0) return 0;
    }
    const nextDay = u.t < this.T + DAY ? NEXT_DAY : 0;
    if (u.t >= this.endH) return nextDay;
    for (;;) {
      const page = PAGE_OF[u.state];
      if (page === CHURN_PAGE) return CHURNED | nextDay;
      const songLength = page === SONG_PAGE ? this.songs.draw(rng) : 0;
      advanceUser(u, songLength, this.endH);
      if (u.done) return nextDay;
    }
  }
}
