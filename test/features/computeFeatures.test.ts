import * as assert from "node:assert/strict";
import { computeFeatures, ENGAGEMENT_PAGES, featureColumns, featureTableFromRows, type FeatureTable, type FeatureValue } from "../../lib/features";
import { AFTER_T, BEFORE_T, T, at } from "./fixtures";
import { openEvents } from "./openEvents";

const H = 3600_000;
const D = 86_400_000;

/**
 * Expected per-song, per-session and per-session-hour rates from hand counts (songs, sessions, seconds
 * spent in sessions, events, counts by key).
 */
function rates(songs: number, sessions: number, sessionSeconds: number, events: number, counts: Record<string, number>): Record<string, FeatureValue> {
  const out: Record<string, FeatureValue> = {};
  const perHour = (c: number): number | null => (sessionSeconds === 0 ? null : c / (sessionSeconds / 3600));
  for (const { key } of ENGAGEMENT_PAGES) {
    const c = counts[key] ?? 0;
    out[`${key}_per_song`] = songs === 0 ? null : c / songs;
    out[`${key}_per_session`] = c / sessions;
    out[`${key}_per_session_hour`] = perHour(c);
  }
  out.events_per_session_hour = perHour(events);
  return out;
}

function assertRow(t: FeatureTable, userId: string, expected: Record<string, FeatureValue>): void {
  const row: Record<string, FeatureValue> | undefined = t.rows.find((r) => r.userId === userId);
  if (!row) throw new assert.AssertionError({ message: `user ${userId} has no row` });
  for (const c of t.columns) {
    assert.ok(c in expected, `test gives an expected value for ${c}`);
    const e: FeatureValue = expected[c];
    const a: FeatureValue = row[c];
    if (typeof e === "number" && typeof a === "number") assert.ok(Math.abs(a - e) <= 1e-9 * Math.max(1, Math.abs(e)), `user ${userId} ${c}: got ${a}, expected ${e}`);
    else assert.equal(a, e, `user ${userId} ${c}`);
  }
}

describe("features/computeFeatures (hand-made fixture)", () => {
  let forward: FeatureTable;
  let full: FeatureTable;

  before(async () => {
    const runner = await openEvents([...BEFORE_T, ...AFTER_T]);
    try {
      forward = await computeFeatures(runner, { cutoff: T });
      full = await computeFeatures(runner, { mode: "full-history" });
    } finally {
      await runner.close();
    }
  });

  it("forward mode keeps users with events before T who had not churned before T", () => {
    assert.deepEqual(forward.columns, featureColumns("forward"));
    // 3 churned before T, 4 has no event before T.
    assert.deepEqual(forward.rows.map((r) => r.userId), ["1", "2", "5", "6"]);
    assert.ok(forward.rows.every((r) => r.cutoff === T));
  });

  it("user 1: three sessions, upgrade, churns within the horizon", () => {
    assertRow(forward, "1", {
      userId: "1", cutoff: T, n_events: 12, n_songs: 5, n_sessions: 3, active_days: 3,
      days_since_registration: 19,
      recency_days: (T - at("2018-10-19T08:01:40")) / D, // 15 h 58 min 20 s
      // gaps: 10-05 10:05:01 → 10-15 12:00:00 and 10-15 12:05:21 → 10-19 08:00:00
      session_gap_mean_hours: ((240 * 3600 + 6899) + (91 * 3600 + 3279)) / 2 / 3600,
      session_gap_max_hours: (240 * 3600 + 6899) / 3600,
      session_minutes_mean: (301 + 321 + 100) / 3 / 60,
      songs_per_session: 5 / 3,
      listening_hours: (200 + 100 + 300 + 250 + 100) / 3600,
      // sessions of 301 + 321 + 100 s, ending on Roll Advert, NextSong and Add to Playlist
      ...rates(5, 3, 301 + 321 + 100, 12, { thumbs_up: 1, thumbs_down: 1, add_playlist: 1, adverts: 1, upgrade_visits: 1 }),
      session_end_logout_share: 0, session_end_song_share: 1 / 3, single_event_session_share: 0,
      thumbs_up_share: 0.5,
      events_last_7d: 8, events_prev_7d: 0, events_trend: 1,
      songs_last_7d: 3, songs_prev_7d: 0, songs_trend: 1,
      level: "paid", paid_share: 3 / 12, level_changes: 1,
      gender: "F", device: "desktop", os: "Windows", state: "NY",
      distinct_artists: 4, churn: 1,
    });
  });

  it("user 2: no songs gives null per-song rates, not NaN; no second session gives null gaps", () => {
    assertRow(forward, "2", {
      userId: "2", cutoff: T, n_events: 4, n_songs: 0, n_sessions: 1, active_days: 1,
      days_since_registration: 30,
      recency_days: (T - at("2018-10-18T20:00:20")) / D,
      session_gap_mean_hours: null, session_gap_max_hours: null,
      session_minutes_mean: 20 / 60, songs_per_session: 0, listening_hours: 0,
      ...rates(0, 1, 20, 4, { help: 1, errors: 1, settings: 1 }),
      session_end_logout_share: 0, session_end_song_share: 0, single_event_session_share: 0,
      thumbs_up_share: null,
      events_last_7d: 4, events_prev_7d: 0, events_trend: 1,
      songs_last_7d: 0, songs_prev_7d: 0, songs_trend: null,
      level: "paid", paid_share: 1, level_changes: 0,
      gender: "M", device: "mobile", os: "iOS", state: "CA",
      distinct_artists: 0, churn: 0,
    });
  });

  it("user 5: missing profile fields are null; a session across midnight counts two days", () => {
    assertRow(forward, "5", {
      userId: "5", cutoff: T, n_events: 2, n_songs: 1, n_sessions: 1, active_days: 2,
      days_since_registration: null,
      recency_days: (T - at("2018-10-13T00:00:01")) / D,
      session_gap_mean_hours: null, session_gap_max_hours: null,
      session_minutes_mean: 2 / 60, songs_per_session: 1, listening_hours: 0,
      ...rates(1, 1, 2, 2, { downgrade_visits: 1 }),
      session_end_logout_share: 0, session_end_song_share: 0, single_event_session_share: 0,
      thumbs_up_share: null,
      events_last_7d: 1, events_prev_7d: 1, events_trend: 0,
      songs_last_7d: 0, songs_prev_7d: 1, songs_trend: -1,
      level: "paid", paid_share: 1, level_changes: 0,
      gender: null, device: null, os: null, state: null,
      distinct_artists: 1, churn: 0,
    });
  });

  it("user 6: the Cancel click one second before T is not a feature; confirmation at T is churn", () => {
    assertRow(forward, "6", {
      userId: "6", cutoff: T, n_events: 1, n_songs: 1, n_sessions: 1, active_days: 1,
      days_since_registration: 19, recency_days: 14 * H / D,
      session_gap_mean_hours: null, session_gap_max_hours: null,
      session_minutes_mean: 0, songs_per_session: 1, listening_hours: 180 / 3600,
      // the Cancel click is no event: one song, a session of one event and no length, ending on the song
      ...rates(1, 1, 0, 1, {}),
      session_end_logout_share: 0, session_end_song_share: 1, single_event_session_share: 1,
      thumbs_up_share: null,
      events_last_7d: 1, events_prev_7d: 0, events_trend: 1,
      songs_last_7d: 1, songs_prev_7d: 0, songs_trend: 1,
      level: "free", paid_share: 0, level_changes: 0,
      gender: "F", device: "desktop", os: "Mac OS X", state: "IL",
      distinct_artists: 1, churn: 1,
    });
  });

  it("label horizon: churn at T + 8 days is outside a 7-day horizon", async () => {
    const runner = await openEvents([...BEFORE_T, ...AFTER_T]);
    try {
      const t = await computeFeatures(runner, { cutoff: T, horizonDays: 7 });
      assert.deepEqual(t.rows.map((r) => [r.userId, r.churn]), [["1", 0], ["2", 0], ["5", 0], ["6", 1]]);
      const d = await computeFeatures(runner, { cutoff: T, label: "cancel-or-downgrade" });
      assert.deepEqual(d.rows.map((r) => [r.userId, r.churn]), [["1", 1], ["2", 0], ["5", 1], ["6", 1]]);
    } finally {
      await runner.close();
    }
  });

  it("stacked cutoffs give one row per user and cutoff", async () => {
    const runner = await openEvents([...BEFORE_T, ...AFTER_T]);
    try {
      const T2 = at("2018-10-27T00:00:00");
      const t = await computeFeatures(runner, { cutoffs: [T2, T] });
      assert.deepEqual(t.cutoffs, [T, T2]);
      // At T2: 6 churned at T (out), 3 long gone, 4 now has an event; 1 churns on 10-28.
      assert.deepEqual(t.rows.map((r) => [r.cutoff, r.userId, r.churn]), [
        [T, "1", 1], [T, "2", 0], [T, "5", 0], [T, "6", 1],
        [T2, "1", 1], [T2, "2", 0], [T2, "4", 0], [T2, "5", 0],
      ]);
      const u1 = t.rows.find((r) => r.cutoff === T2 && r.userId === "1")!;
      assert.equal(u1.n_events, 13);
      assert.equal(u1.distinct_artists, 5);
    } finally {
      await runner.close();
    }
  });

  it("full-history mode: every user, cancellation events removed, no tenure or recency", () => {
    assert.deepEqual(full.columns, featureColumns("full-history"));
    assert.ok(!full.columns.includes("days_since_registration") && !full.columns.includes("recency_days") && !full.columns.includes("cutoff"));
    assert.deepEqual(full.rows.map((r) => [r.userId, r.churn]), [["1", 1], ["2", 0], ["3", 1], ["4", 0], ["5", 0], ["6", 1]]);
    const u1 = full.rows.find((r) => r.userId === "1")!;
    // 12 events before T + the song on 10-25; Cancel and the confirmation (auth Cancelled) are gone.
    assert.equal(u1.n_events, 13);
    assert.equal(u1.n_sessions, 4);
    assert.equal(u1.paid_share, 4 / 13);
    // Trend windows end at the last kept event (10-25 09:00:00) + 1 ms: last 7 days hold the
    // sessions of 10-19 and 10-25 (3 events), the 7 before hold the session of 10-15 (6).
    assert.equal(u1.events_last_7d, 3);
    assert.equal(u1.events_prev_7d, 6);
    assert.ok(Math.abs((u1.events_trend as number) - (3 - 6) / 9) < 1e-12);
    const u3 = full.rows.find((r) => r.userId === "3")!;
    assert.equal(u3.n_events, 1);
    assert.equal(u3.session_minutes_mean, 0);
  });

  it("full-history with cancel-or-downgrade cuts a downgrader's history at the downgrade", async () => {
    const runner = await openEvents([...BEFORE_T, ...AFTER_T]);
    try {
      const t = await computeFeatures(runner, { mode: "full-history", label: "cancel-or-downgrade" });
      const u5 = t.rows.find((r) => r.userId === "5")!;
      assert.equal(u5.churn, 1);
      assert.equal(u5.n_events, 2); // the Submit Downgrade itself is not a feature
      assert.equal(u5.level_changes, 0);
    } finally {
      await runner.close();
    }
  });
});

describe("features/featureTableFromRows (rows from any engine)", () => {
  const resolved = { mode: "forward" as const, cutoffs: [2000, 1000], horizonDays: 14, label: "cancel" as const };
  const row = (userId: unknown, cutoff: unknown): Record<string, unknown> => {
    const r: Record<string, unknown> = {};
    for (const c of featureColumns("forward")) r[c.toLowerCase()] = c === "level" ? "paid" : c === "gender" || c === "device" || c === "os" || c === "state" ? null : "1";
    return { ...r, userid: userId, cutoff, churn: "0" };
  };

  it("restores Trino's lower-case names, types the cells and sorts by cutoff and userId", () => {
    const t = featureTableFromRows([row(7, "2000"), row("10", 1000), row(7, 1000)], resolved);
    assert.deepEqual(t.rows.map((r) => [r.cutoff, r.userId]), [[1000, "10"], [1000, "7"], [2000, "7"]]);
    assert.equal(t.rows[0].n_events, 1);
    assert.equal(t.rows[0].level, "paid");
    assert.equal(t.rows[0].state, null);
    assert.equal(t.rows[0].churn, 0);
  });

  it("a NaN or a missing column is a bug, not a value", () => {
    assert.throws(() => featureTableFromRows([{ ...row("1", 1000), n_songs: Number.NaN }], resolved), /"n_songs" is not a finite number/);
    const { churn: _churn, ...noLabel } = row("1", 1000);
    assert.throws(() => featureTableFromRows([noLabel], resolved), /has no column "churn"/);
  });
});
