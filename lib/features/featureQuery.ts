import { SparkifyError, internalError } from "../errors";
import type { Sql } from "../sql/dialect";
import { literal } from "../sql/quote";
import { DAY_MS, HOUR_MS } from "../events/time";
import { ENGAGEMENT_PAGES, featureDictionary } from "./dictionary";
import type { ResolvedFeatureOptions } from "./types";

const WEEK_MS = 7 * DAY_MS;

/** Pages that are the cancellation itself: never counted as features, in any mode. */
export const CANCELLATION_PAGES: readonly string[] = ["Cancel", "Cancellation Confirmation"];

/** Pages whose first occurrence is the churn event, per label kind. */
export function labelPages(label: ResolvedFeatureOptions["label"]): string[] {
  return label === "cancel-or-downgrade" ? ["Cancellation Confirmation", "Submit Downgrade"] : ["Cancellation Confirmation"];
}

/**
 * The events the feature query can read, as SQL over the events table (undefined: all of them).
 * Forward mode reads events before the last cutoff, and label pages at any time (for the label);
 * a copy of the events made for the query may leave out the rest.
 */
export function eventsReadByFeatureQuery(options: ResolvedFeatureOptions): string | undefined {
  if (options.mode !== "forward" || options.cutoffs.length === 0) return undefined;
  const pages = labelPages(options.label).map((p) => literal(p)).join(", ");
  return `ts < ${Math.max(...options.cutoffs)} OR page IN (${pages})`;
}

/**
 * Bucket boundaries of the one-pass forward query: every cutoff T and T − 7 d, T − 14 d (the trend
 * windows' edges), sorted and distinct. An event belongs to the bucket whose upper boundary `hi` is
 * the first boundary above its time, so "before T", "the last 7 days before T" and "the 7 days
 * before those" are each a union of whole buckets. Weekly cutoffs give K + 2 boundaries.
 */
export function bucketBoundaries(cutoffs: readonly number[]): number[] {
  return [...new Set(cutoffs.flatMap((t) => [t - 2 * WEEK_MS, t - WEEK_MS, t]))].sort((a, b) => a - b);
}

/**
 * The one definition of the feature table, as a single SQL statement over the cleaned `events`
 * table, written only with the dialect builders of `sql` (see lib/sql/dialect.ts).
 *
 * Windows (both modes group by user and reference time `ref_ts`):
 * - forward: for each cutoff T, the user's events with ts < T; users whose first churn event is
 *   before T are dropped at the end (filtering the finished rows, not joining every event to its
 *   user's churn time, keeps the big scan free of a join); the label is a first churn event in
 *   [T, T + H). Nothing at or after T is read except through that label.
 * - full-history: each user's events before their first churn event (all events for non-churners).
 *   The trend windows end at the user's last kept event + 1 ms.
 *
 * Forward mode reads the events once, however many cutoffs are stacked: one GROUP BY over the
 * events makes partial aggregates per user, session, time bucket (see bucketBoundaries) and UTC
 * day ("pieces", about one row per session); each cutoff's row then adds up the pieces of the
 * buckets before it. Sessions are cut at each cutoff as if the events after it did not exist (a
 * session's start and end are the min and max over its pieces before T); distinct days and artists
 * are counted where they are first seen. The result equals aggregating every cutoff's events
 * separately (test/sql/stackedCutoffs.test.ts).
 *
 * Sums are exact, so the table is the same bit for bit whatever order an engine adds in: counts
 * and milliseconds are BIGINT, song lengths are summed as whole microseconds (the logs give five
 * decimals), and means are exact BIGINT sums divided once at the end.
 *
 * Leaks closed, and why:
 * - `Cancel` and `Cancellation Confirmation` pages and auth "Cancelled" rows are never features, in
 *   either mode: they are the churn itself. In forward mode the Cancel click (1 s before the
 *   confirmation) can fall just before T while the confirmation, the label, falls after it.
 * - full-history leaves out tenure at T and recency (FORWARD_ONLY_FEATURES): measured to the end
 *   of a churner's history they measure to the cancellation — the leak behind F1 0.8–0.94.
 * - full-history cuts each history at the first churn event, so with cancel-or-downgrade the
 *   Submit Downgrade and everything after it (now on the free level) do not reveal the label
 *   through level, paid share or level changes.
 * What stays, by design: in full-history a churner's counts cover a history that ended at the
 * cancellation, so volumes (events, active days) still lean on the label. That is the classic
 * set-up kept for comparison; forward mode is the honest one.
 *
 * Ties in time are broken by itemInSession through `ord` so that "last level" and the profile
 * fields are the same on every engine.
 */
export function buildFeatureQuery(sql: Sql, options: ResolvedFeatureOptions & { table?: string }): string {
  const table = options.table ?? "events";
  if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(table)) throw new SparkifyError("E_BAD_OPTION", `table name must be a plain identifier, got "${table}"`);
  const forward = options.mode === "forward";
  if (forward && options.cutoffs.length === 0) throw new SparkifyError("E_BAD_OPTION", "forward mode needs at least one cutoff");
  const horizonMs = Math.round(options.horizonDays * DAY_MS);
  const inList = (pages: readonly string[]): string => `(${pages.map((p) => sql.str(p)).join(", ")})`;
  const isPage = (p: string): string => `page = ${sql.str(p)}`;
  const song = isPage("NextSong");
  const kept = (t: string): string => `${t}.page NOT IN ${inList(CANCELLATION_PAGES)} AND (${t}.auth IS NULL OR ${t}.auth <> ${sql.str("Cancelled")})`;
  const cols = "user_id, ts, ord, page, level, session_id, song_length, artist, gender, location, user_agent, registration";
  // A BIGINT sum (DuckDB sums BIGINT to HUGEINT: cast back so every engine returns the same type).
  const sumInt = (e: string): string => sql.toBigint(`SUM(${e})`);
  // Whole microseconds of a song: exact to sum, in any order (FLOOR(x + 0.5): the same rounding everywhere).
  const songMicros = `${sql.toBigint("FLOOR(song_length * 1000000 + 0.5)")}`;
  const profile = [["level", "last_level"], ["gender", "last_gender"], ["location", "last_location"], ["user_agent", "last_user_agent"]] as const;

  const ctes: string[] = [];
  ctes.push(sql.cte("src", `  SELECT ${sql.toString("userId")} AS user_id, ts,
    ts * 10000 + CASE WHEN itemInSession IS NULL OR itemInSession < 0 THEN 0 WHEN itemInSession > 9999 THEN 9999 ELSE itemInSession END AS ord,
    page, auth, level, sessionId AS session_id, length AS song_length, artist, gender, location,
    userAgent AS user_agent, registration
  FROM ${table}
  WHERE userId IS NOT NULL AND ${sql.toString("userId")} <> '' AND ts IS NOT NULL`));
  // Per-event counts, shared by the forward pieces and the full-history aggregate.
  const eventCounts = (window: ((what: "events" | "songs") => string) | null): string[] => [
    "COUNT(*) AS n_events",
    `${sql.countIf(song)} AS n_songs`,
    "MIN(ts) AS first_ts",
    "MAX(ts) AS last_ts",
    "MIN(registration) AS registration",
    `${sql.sumIf(song, songMicros)} AS listening_us`,
    ...ENGAGEMENT_PAGES.map(({ key, page }) => `${sql.countIf(isPage(page))} AS c_${key}`),
    `${sql.countIf(`page IN ${inList(["Submit Upgrade", "Submit Downgrade"])}`)} AS level_changes`,
    `${sql.countIf(`level = ${sql.str("paid")}`)} AS paid_events`,
    ...(window ? [window("events"), window("songs")] : []),
  ];
  const countColumns = ["n_events", "n_songs", ...ENGAGEMENT_PAGES.map(({ key }) => `c_${key}`), "level_changes", "paid_events"];

  if (forward) {
    const cutoffs = options.cutoffs.slice().sort((a, b) => a - b);
    const bounds = bucketBoundaries(cutoffs);
    const last = cutoffs[cutoffs.length - 1];
    // Every event the query reads, read once: the feature rows (ts < the last cutoff, not the
    // cancellation itself), which get their bucket `hi`, and the label pages (hi NULL unless they
    // are feature rows too).
    const feature = `s.ts < ${sql.bigint(last)} AND ${kept("s")}`;
    // The piece's last page (by ord): a session's last page at T is that of its last piece before T.
    const pieceAggregates = `${eventCounts(null).join(",\n    ")},
    ${sql.maxBy("page", "ord")} AS last_page,
    MAX(ord) AS last_ord,
${profile.map(([c, as]) => `    ${sql.maxBy(c, "ord")} AS ${as},\n    MAX(CASE WHEN ${c} IS NOT NULL THEN ord END) AS ${as}_ord`).join(",\n")}`;
    const labelIn = `page IN ${inList(labelPages(options.label))}`;
    ctes.push(sql.cte("obs", `  SELECT ${cols}, ${sql.utcDay("ts")} AS day,
    CASE WHEN ${feature} THEN CASE ${bounds.map((b) => `WHEN ts < ${sql.bigint(b)} THEN ${sql.bigint(b)}`).join(" ")} END END AS hi
  FROM src s
  WHERE s.ts < ${sql.bigint(last)} OR s.${labelIn}`));
    ctes.push(sql.cte("cutoffs", `  ${cutoffs.map((c) => `SELECT ${sql.bigint(c)} AS ref_ts`).join("\n  UNION ALL ")}`));
    // The pass over the events: partial aggregates per user, session, bucket and day, with the
    // label time riding along (label rows that are no feature rows form groups with hi NULL).
    ctes.push(sql.cte("grouped", `  SELECT user_id, session_id, hi, day,
    ${pieceAggregates},
    MIN(CASE WHEN ${labelIn} THEN ts END) AS label_ts
  FROM obs GROUP BY user_id, session_id, hi, day`, true));
    ctes.push(sql.cte("firsts", `  SELECT user_id, MIN(label_ts) AS label_ts FROM grouped WHERE label_ts IS NOT NULL GROUP BY user_id`, true));
    ctes.push(sql.cte("pieces", "  SELECT * FROM grouped WHERE hi IS NOT NULL", true));
    // Distinct artists and days, each counted in the bucket where the user first met it: the
    // artists take a second read of the events (their own GROUP BY of one small state per pair).
    ctes.push(sql.cte("artist_first", `  SELECT user_id, ${sql.hash64("artist")} AS artist_h, MIN(hi) AS hi
  FROM obs WHERE hi IS NOT NULL AND ${song} AND artist IS NOT NULL GROUP BY user_id, ${sql.hash64("artist")}`));
    ctes.push(sql.cte("artist_new", `  SELECT user_id, hi, COUNT(*) AS n FROM artist_first GROUP BY user_id, hi`, true));
    ctes.push(sql.cte("day_new", `  SELECT user_id, hi, COUNT(*) AS n
  FROM (SELECT user_id, day, MIN(hi) AS hi FROM pieces GROUP BY user_id, day) d GROUP BY user_id, hi`, true));
    ctes.push(sql.cte("ub", `  SELECT p.user_id, p.hi,
${countColumns.map((c) => `    ${sumInt(`p.${c}`)} AS ${c},`).join("\n")}
    MIN(p.first_ts) AS first_ts, MAX(p.last_ts) AS last_ts, MIN(p.registration) AS registration,
    SUM(p.listening_us) AS listening_us,
${profile.map(([, as]) => `    ${sql.maxBy(`p.${as}`, `p.${as}_ord`)} AS ${as},\n    MAX(p.${as}_ord) AS ${as}_ord`).join(",\n")}
  FROM pieces p GROUP BY p.user_id, p.hi`, true));
    const lastWeek = `u.hi > c.ref_ts - ${WEEK_MS}`;
    const prevWeek = `u.hi > c.ref_ts - ${2 * WEEK_MS} AND u.hi <= c.ref_ts - ${WEEK_MS}`;
    const inWindow = (cond: string, col: string): string => sumInt(`CASE WHEN ${cond} THEN ${col} ELSE 0 END`);
    ctes.push(sql.cte("agg", `  SELECT u.user_id, c.ref_ts,
${countColumns.map((c) => `    ${sumInt(`u.${c}`)} AS ${c},`).join("\n")}
    ${sumInt("COALESCE(dn.n, 0)")} AS active_days,
    MIN(u.first_ts) AS first_ts, MAX(u.last_ts) AS last_ts, MIN(u.registration) AS registration,
    SUM(u.listening_us) AS listening_us,
    ${inWindow(lastWeek, "u.n_events")} AS events_last_7d,
    ${inWindow(prevWeek, "u.n_events")} AS events_prev_7d,
    ${inWindow(lastWeek, "u.n_songs")} AS songs_last_7d,
    ${inWindow(prevWeek, "u.n_songs")} AS songs_prev_7d,
${profile.map(([, as]) => `    ${sql.maxBy(`u.${as}`, `u.${as}_ord`)} AS ${as},`).join("\n")}
    ${sumInt("COALESCE(an.n, 0)")} AS distinct_artists
  FROM ub u
  JOIN cutoffs c ON u.hi <= c.ref_ts
  LEFT JOIN day_new dn ON dn.user_id = u.user_id AND dn.hi = u.hi
  LEFT JOIN artist_new an ON an.user_id = u.user_id AND an.hi = u.hi
  GROUP BY u.user_id, c.ref_ts`));
    // Each session as seen at each cutoff: its pieces before T.
    ctes.push(sql.cte("sess", `  SELECT p.user_id, c.ref_ts, p.session_id, MIN(p.first_ts) AS s_start, MAX(p.last_ts) AS s_end,
    ${sql.maxBy("p.last_page", "p.last_ord")} AS s_last_page, ${sumInt("p.n_events")} AS s_events
  FROM pieces p JOIN cutoffs c ON p.hi <= c.ref_ts
  GROUP BY p.user_id, c.ref_ts, p.session_id`));
  } else {
    ctes.push(sql.cte("firsts", `  SELECT user_id, MIN(CASE WHEN page IN ${inList(labelPages(options.label))} THEN ts END) AS label_ts
  FROM src GROUP BY user_id`, true));
    // ends: the last kept event before churn, + 1 ms (the trend windows' end); a narrow join.
    ctes.push(sql.cte("ends", `  SELECT s.user_id, MAX(s.ts) + 1 AS ref_ts
  FROM src s JOIN firsts f ON f.user_id = s.user_id
  WHERE (f.label_ts IS NULL OR s.ts < f.label_ts) AND ${kept("s")}
  GROUP BY s.user_id`, true));
    ctes.push(sql.cte("bounds", "  SELECT f.user_id, f.label_ts, e.ref_ts FROM firsts f JOIN ends e ON e.user_id = f.user_id", true));
    ctes.push(sql.cte("obs", `  SELECT ${cols.split(", ").map((c) => `s.${c}`).join(", ")}, b.ref_ts
  FROM src s JOIN bounds b ON b.user_id = s.user_id
  WHERE s.ts < b.ref_ts AND ${kept("s")}`));
    const lastWeek = `ts >= ref_ts - ${WEEK_MS}`;
    const prevWeek = `ts >= ref_ts - ${2 * WEEK_MS} AND ts < ref_ts - ${WEEK_MS}`;
    const window = (what: "events" | "songs"): string => {
      const cond = (w: string): string => (what === "songs" ? `${song} AND ${w}` : w);
      return `${sql.countIf(cond(lastWeek))} AS ${what}_last_7d,\n    ${sql.countIf(cond(prevWeek))} AS ${what}_prev_7d`;
    };
    ctes.push(sql.cte("agg", `  SELECT user_id, ref_ts,
    ${eventCounts(window).join(",\n    ")},
    ${sql.countDistinct(sql.utcDay("ts"))} AS active_days,
${profile.map(([c, as]) => `    ${sql.maxBy(c, "ord")} AS ${as},`).join("\n")}
    ${sql.countDistinct(`CASE WHEN ${song} THEN ${sql.hash64("artist")} END`)} AS distinct_artists
  FROM obs GROUP BY user_id, ref_ts`));
    ctes.push(sql.cte("sess", `  SELECT user_id, ref_ts, session_id, MIN(ts) AS s_start, MAX(ts) AS s_end,
    ${sql.maxBy("page", "ord")} AS s_last_page, COUNT(*) AS s_events
  FROM obs GROUP BY user_id, ref_ts, session_id`));
  }
  ctes.push(sql.cte("gaps", `  SELECT user_id, ref_ts, s_start, s_end, s_last_page, s_events,
    s_start - LAG(s_end) OVER (PARTITION BY user_id, ref_ts ORDER BY s_start, session_id) AS gap
  FROM sess`));
  ctes.push(sql.cte("sagg", `  SELECT user_id, ref_ts, COUNT(*) AS n_sessions,
    ${sumInt("s_end - s_start")} AS len_sum_ms,
    ${sumInt("gap")} AS gap_sum_ms,
    COUNT(gap) AS n_gaps,
    MAX(gap) AS gap_max_ms,
    ${sql.countIf(`s_last_page = ${sql.str("Logout")}`)} AS n_end_logout,
    ${sql.countIf(`s_last_page = ${sql.str("NextSong")}`)} AS n_end_song,
    ${sql.countIf("s_events = 1")} AS n_single
  FROM gaps GROUP BY user_id, ref_ts`));

  const ua = "a.last_user_agent";
  const uaHas = (...needles: string[]): string => needles.map((n) => sql.contains(ua, n)).join(" OR ");
  const trend = (last: string, prev: string): string => sql.ratio(`${last} - ${prev}`, `${last} + ${prev}`);
  const expr: Record<string, string> = {
    n_events: "a.n_events",
    n_songs: "a.n_songs",
    n_sessions: "s.n_sessions",
    active_days: "a.active_days",
    days_since_registration: `CASE WHEN a.registration IS NULL THEN NULL ELSE ${sql.toDouble(`a.ref_ts - CASE WHEN a.registration < a.first_ts THEN a.registration ELSE a.first_ts END`)} / ${DAY_MS} END`,
    recency_days: `${sql.toDouble("a.ref_ts - a.last_ts")} / ${DAY_MS}`,
    session_gap_mean_hours: `${sql.ratio("s.gap_sum_ms", "s.n_gaps")} / ${HOUR_MS}`,
    session_gap_max_hours: `${sql.toDouble("s.gap_max_ms")} / ${HOUR_MS}`,
    session_minutes_mean: `${sql.ratio("s.len_sum_ms", "s.n_sessions")} / 60000`,
    songs_per_session: sql.ratio("a.n_songs", "s.n_sessions"),
    listening_hours: `COALESCE(${sql.toDouble("a.listening_us")}, 0) / ${HOUR_MS * 1000}`,
    thumbs_up_share: sql.ratio("a.c_thumbs_up", "a.c_thumbs_up + a.c_thumbs_down"),
    events_last_7d: "a.events_last_7d",
    events_prev_7d: "a.events_prev_7d",
    events_trend: trend("a.events_last_7d", "a.events_prev_7d"),
    songs_last_7d: "a.songs_last_7d",
    songs_prev_7d: "a.songs_prev_7d",
    songs_trend: trend("a.songs_last_7d", "a.songs_prev_7d"),
    level: "a.last_level",
    paid_share: sql.ratio("a.paid_events", "a.n_events"),
    level_changes: "a.level_changes",
    gender: "a.last_gender",
    device: `CASE WHEN ${ua} IS NULL THEN NULL WHEN ${uaHas("iPad", "Tablet")} THEN ${sql.str("tablet")} WHEN ${uaHas("iPhone", "Mobile", "Android")} THEN ${sql.str("mobile")} ELSE ${sql.str("desktop")} END`,
    os: `CASE WHEN ${ua} IS NULL THEN NULL WHEN ${uaHas("iPhone", "iPad", "iPod")} THEN ${sql.str("iOS")} WHEN ${uaHas("Android")} THEN ${sql.str("Android")} WHEN ${uaHas("Windows")} THEN ${sql.str("Windows")} WHEN ${uaHas("Macintosh", "Mac OS X")} THEN ${sql.str("Mac OS X")} WHEN ${uaHas("Linux", "X11", "CrOS")} THEN ${sql.str("Linux")} ELSE ${sql.str("other")} END`,
    // The last ", XX(-YY)*" of the metro name; its first state. No backslashes: see Sql.regexExtract.
    state: sql.regexExtract("a.last_location", ", ([A-Z][A-Z])(-[A-Z][A-Z])*$", 1),
    distinct_artists: "a.distinct_artists",
    session_end_logout_share: sql.ratio("s.n_end_logout", "s.n_sessions"),
    session_end_song_share: sql.ratio("s.n_end_song", "s.n_sessions"),
    single_event_session_share: sql.ratio("s.n_single", "s.n_sessions"),
    events_per_session_hour: `${sql.ratio("a.n_events", "s.len_sum_ms")} * ${HOUR_MS}`,
  };
  for (const { key } of ENGAGEMENT_PAGES) {
    expr[`${key}_per_song`] = sql.ratio(`a.c_${key}`, "a.n_songs");
    expr[`${key}_per_session`] = sql.ratio(`a.c_${key}`, "s.n_sessions");
    expr[`${key}_per_session_hour`] = `${sql.ratio(`a.c_${key}`, "s.len_sum_ms")} * ${HOUR_MS}`;
  }
  const select = [`a.user_id AS userId`];
  if (forward) select.push("a.ref_ts AS cutoff");
  for (const f of featureDictionary(options.mode)) {
    const e = expr[f.name];
    if (e === undefined) throw internalError(`feature "${f.name}" has no SQL definition`);
    select.push(`${e} AS ${f.name}`);
  }
  select.push(forward
    ? `CASE WHEN f.label_ts IS NOT NULL AND f.label_ts < a.ref_ts + ${horizonMs} THEN 1 ELSE 0 END AS churn`
    : "CASE WHEN f.label_ts IS NOT NULL THEN 1 ELSE 0 END AS churn");
  return `WITH ${ctes.join(",\n")}
SELECT
  ${select.join(",\n  ")}
FROM agg a
JOIN sagg s ON s.user_id = a.user_id AND s.ref_ts = a.ref_ts
${forward ? "LEFT JOIN" : "JOIN"} firsts f ON f.user_id = a.user_id${forward ? "\nWHERE f.label_ts IS NULL OR f.label_ts >= a.ref_ts" : ""}
ORDER BY ${forward ? "a.ref_ts, " : ""}a.user_id`;
}
