import { strict as assert } from "node:assert";
import { AUTH_VALUES, LEVELS, PAGES, PAGE_METHOD_STATUS, type Page } from "../../lib/events/schema";
import { PRESETS, simulate, resolvePlan } from "../../lib/simulate";

// One full run of the mini preset (default seed), checked line by line against the schema, the
// eventsim rules and the real mini set's figures (../shared/reference/sparkify-facts.md).
// It takes about 5–10 s (300k events generated and parsed).

/** Real mini set: shares of all events (facts file), and totals. */
const REAL_MINI_SHARES: Record<string, number> = {
  NextSong: 0.796, Home: 0.0505, "Thumbs Up": 0.0438, "Add to Playlist": 0.0228, "Add Friend": 0.0149,
  "Roll Advert": 0.0137, Login: 0.0113, Logout: 0.0113, "Thumbs Down": 0.0089, Downgrade: 0.0072,
};
const REAL_MINI = { events: 286_500, users: 225, churnRate: 52 / 225, loggedOutShare: 8_346 / 286_500, eventsPerUser: 286_500 / 225 };
const TOLERANCE = 0.15;

const EVENTSIM_KEYS = ["ts", "userId", "sessionId", "page", "auth", "method", "status", "level", "itemInSession"];
const PROFILE_KEYS = ["location", "userAgent", "lastName", "firstName", "registration", "gender"];
const SONG_KEYS = ["artist", "song", "length"];

function within(actual: number, expected: number, what: string): void {
  const rel = Math.abs(actual / expected - 1);
  assert.ok(rel <= TOLERANCE, `${what}: ${actual.toFixed(5)} vs real ${expected.toFixed(5)} (${(100 * rel).toFixed(1)}% off, limit ${100 * TOLERANCE}%)`);
}

/** Checks one parsed line against the schema; returns a message or null. */
function schemaProblem(e: Record<string, unknown>): string | null {
  const keys = Object.keys(e);
  const shows = e.auth === "Logged In" || e.auth === "Cancelled";
  const expected = [...EVENTSIM_KEYS, ...(shows ? PROFILE_KEYS : []), ...(e.page === "NextSong" ? SONG_KEYS : [])];
  if (keys.join(",") !== expected.join(",")) return `keys ${keys.join(",")} (expected ${expected.join(",")})`;
  if (!Number.isInteger(e.ts) || (e.ts as number) % 1000 !== 0) return "ts not whole seconds in ms";
  if (typeof e.userId !== "string" || (shows ? !/^\d+$/.test(e.userId) : e.userId !== "")) return `bad userId ${JSON.stringify(e.userId)}`;
  if (!Number.isInteger(e.sessionId) || (e.sessionId as number) < 1) return "bad sessionId";
  if (!(PAGES as readonly string[]).includes(e.page as string)) return `unknown page ${e.page}`;
  const ms = PAGE_METHOD_STATUS[e.page as Page];
  if (e.method !== ms.method || e.status !== ms.status) return `method/status ${e.method} ${e.status} on ${e.page}`;
  if (!(AUTH_VALUES as readonly string[]).includes(e.auth as string)) return `bad auth ${e.auth}`;
  if ((e.auth === "Cancelled") !== (e.page === "Cancellation Confirmation")) return "Cancelled auth off Cancellation Confirmation";
  if (!(LEVELS as readonly string[]).includes(e.level as string)) return `bad level ${e.level}`;
  if (!Number.isInteger(e.itemInSession) || (e.itemInSession as number) < 0) return "bad itemInSession";
  if (shows) {
    if (!/^[^,]+, [A-Z]{2}(-[A-Z]{2})*$/.test(e.location as string)) return `bad location ${e.location}`;
    if (e.gender !== "M" && e.gender !== "F") return "bad gender";
    if (!Number.isInteger(e.registration) || (e.registration as number) % 1000 !== 0) return "bad registration";
    for (const k of ["userAgent", "lastName", "firstName"]) if (typeof e[k] !== "string" || (e[k] as string).length === 0) return `bad ${k}`;
  }
  if (e.page === "NextSong") {
    if (typeof e.artist !== "string" || typeof e.song !== "string") return "bad artist/song";
    if (typeof e.length !== "number" || !((e.length as number) > 0)) return "bad length";
  }
  return null;
}

describe("simulate (mini preset, full run)", function () {
  const events: Record<string, any>[] = [];

  before(async function () {
    for await (const line of simulate({ preset: "mini" })) events.push(JSON.parse(line));
  });

  it("writes only lines with the real schema: eventsim's 18 fields, pages, method/status, auth, whole-second ms", () => {
    assert.ok(events.length > 100_000);
    events.forEach((e, i) => {
      const problem = schemaProblem(e);
      if (problem) assert.fail(`line ${i + 1}: ${problem}: ${JSON.stringify(e)}`);
    });
  });

  it("is in time order, inside the preset's window, with every one of the 22 pages", () => {
    const plan = resolvePlan({ preset: "mini" });
    const seen = new Set<string>();
    for (let i = 0; i < events.length; i++) {
      if (i > 0) assert.ok(events[i].ts >= events[i - 1].ts, `line ${i + 1} goes back in time`);
      seen.add(events[i].page);
    }
    assert.ok(events[0].ts >= plan.startSec * 1000 && events[events.length - 1].ts < plan.endSec * 1000);
    assert.deepEqual([...seen].sort(), [...PAGES].sort());
    assert.equal(PRESETS.mini.start, "2018-10-01T00:00:00Z");
  });

  it("matches the real mini set: events, users, churn, events per user, logged-out share, page shares (±15%)", () => {
    const users = new Set<string>();
    const churners = new Set<string>();
    let loggedOut = 0;
    const pages = new Map<string, number>();
    for (const e of events) {
      if (e.userId) users.add(e.userId);
      else loggedOut++;
      if (e.page === "Cancellation Confirmation") churners.add(e.userId);
      pages.set(e.page, (pages.get(e.page) ?? 0) + 1);
    }
    within(events.length, REAL_MINI.events, "events");
    within(users.size, REAL_MINI.users, "users");
    within(churners.size / users.size, REAL_MINI.churnRate, "churn rate");
    within(events.length / users.size, REAL_MINI.eventsPerUser, "events per user");
    within(loggedOut / events.length, REAL_MINI.loggedOutShare, "logged-out share");
    for (const [page, share] of Object.entries(REAL_MINI_SHARES)) within((pages.get(page) ?? 0) / events.length, share, `${page} share`);
  });

  it("ends every churner with Cancellation Confirmation (auth Cancelled), 1 s after Cancel", () => {
    const last = new Map<string, Record<string, any>>();
    const prev = new Map<string, Record<string, any>>();
    let churners = 0;
    for (const e of events) {
      if (!e.userId) continue;
      if (last.has(e.userId)) {
        assert.notEqual(last.get(e.userId)!.page, "Cancellation Confirmation", `user ${e.userId} has events after cancelling`);
        prev.set(e.userId, last.get(e.userId)!);
      }
      last.set(e.userId, e);
    }
    for (const [user, e] of last) {
      if (e.page !== "Cancellation Confirmation") continue;
      churners++;
      assert.equal(e.auth, "Cancelled");
      const before = prev.get(user)!;
      assert.equal(before.page, "Cancel");
      assert.equal(e.ts - before.ts, 1000);
      assert.equal(e.sessionId, before.sessionId);
    }
    assert.ok(churners >= 30, `only ${churners} churners`);
  });

  it("counts itemInSession up from 0 within a session and times pages as eventsim does", () => {
    const last = new Map<number, Record<string, any>>();
    let songGaps = 0;
    for (const e of events) {
      const p = last.get(e.sessionId);
      if (!p) assert.equal(e.itemInSession, 0, `session ${e.sessionId} starts at item ${e.itemInSession}`);
      else {
        assert.equal(e.itemInSession, p.itemInSession + 1, `session ${e.sessionId}: item ${p.itemInSession} → ${e.itemInSession}`);
        // A user's session is one user's: the id (when shown) never changes inside it.
        if (p.userId && e.userId) assert.equal(e.userId, p.userId);
        const gap = e.ts - p.ts;
        if (p.page === "NextSong") {
          assert.equal(gap, Math.trunc(p.length) * 1000, `NextSong at ${p.ts} (length ${p.length}) followed after ${gap} ms`);
          songGaps++;
        } else if (p.status === 307) assert.equal(gap, 1000, `${p.page} (307) followed after ${gap} ms`);
        else assert.ok(gap >= 0);
      }
      last.set(e.sessionId, e);
    }
    assert.ok(songGaps > 100_000);
  });

  it("changes level only through Submit Upgrade and Submit Downgrade", () => {
    const last = new Map<string, Record<string, any>>();
    let changes = 0;
    for (const e of events) {
      if (!e.userId) continue;
      const p = last.get(e.userId);
      if (p && p.level !== e.level) {
        changes++;
        const via = e.level === "paid" ? "Submit Upgrade" : "Submit Downgrade";
        assert.equal(p.page, via, `user ${e.userId} went ${p.level} → ${e.level} after ${p.page}`);
      }
      last.set(e.userId, e);
    }
    assert.ok(changes > 50);
  });

  it("gives users the profile of a US listener, constant over their events", () => {
    const profiles = new Map<string, string>();
    for (const e of events) {
      if (!e.userId) continue;
      const p = [e.firstName, e.lastName, e.gender, e.location, e.userAgent, e.registration].join("|");
      const known = profiles.get(e.userId);
      if (known) assert.equal(p, known);
      else profiles.set(e.userId, p);
    }
    const locations = new Set([...profiles.values()].map((p) => p.split("|")[3]));
    assert.ok(locations.size > 40, `${locations.size} locations`);
    assert.ok([...locations].some((l) => /, [A-Z]{2}-[A-Z]{2}/.test(l)), "no multi-state metro area");
  });
});
