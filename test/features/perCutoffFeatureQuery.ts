// The feature query as it was before the one-pass stacked cutoffs (commit 7d216ca): every cutoff
// aggregates every event again (CROSS JOIN cutoffs). Kept frozen as the reference the one-pass
// query must reproduce (test/sql/stackedCutoffs.test.ts); not used by the product. Extended for the
// features added since (issue 17: per session-hour rates, how sessions end, logouts), each defined here
// the plain way: over every event before T, sessions grouped whole.
import type { Sql } from "../../lib/sql/dialect";
import { ENGAGEMENT_PAGES, featureDictionary } from "../../lib/features/dictionary";
import { CANCELLATION_PAGES, labelPages } from "../../lib/features/featureQuery";
import type { ResolvedFeatureOptions } from "../../lib/features/types";

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

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
export function buildPerCutoffFeatureQuery(sql: Sql, options: ResolvedFeatureOptions & { table?: string }): string {
  const table = options.table ?? "events";
  if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(table)) throw new Error(`table name must be a plain identifier, got "${table}"`);
  const forward = options.mode === "forward";
  if (forward && options.cutoffs.length === 0) throw new Error("forward mode needs at least one cutoff");
  const horizonMs = Math.round(options.horizonDays * DAY_MS);
  const inList = (pages: readonly string[]): string => `(${pages.map((p) => sql.str(p)).join(", ")})`;
  const isPage = (p: string): string => `page = ${sql.str(p)}`;
  const song = isPage("NextSong");
  const kept = (t: string): string => `${t}.page NOT IN ${inList(CANCELLATION_PAGES)} AND (${t}.auth IS NULL OR ${t}.auth <> ${sql.str("Cancelled")})`;
  const cols = "user_id, ts, ord, page, level, session_id, song_length, artist, gender, location, user_agent, registration";

  const ctes: string[] = [];
  ctes.push(sql.cte("src", `  SELECT ${sql.toString("userId")} AS user_id, ts,
    ts * 10000 + CASE WHEN itemInSession IS NULL OR itemInSession < 0 THEN 0 WHEN itemInSession > 9999 THEN 9999 ELSE itemInSession END AS ord,
    page, auth, level, sessionId AS session_id, length AS song_length, artist, gender, location,
    userAgent AS user_agent, registration
  FROM ${table}
  WHERE userId IS NOT NULL AND ${sql.toString("userId")} <> '' AND ts IS NOT NULL`));
  ctes.push(sql.cte("firsts", `  SELECT user_id, MIN(CASE WHEN page IN ${inList(labelPages(options.label))} THEN ts END) AS label_ts
  FROM src GROUP BY user_id`, true));
  if (forward) {
    ctes.push(sql.cte("cutoffs", `  ${options.cutoffs.map((c) => `SELECT ${sql.bigint(c)} AS ref_ts`).join("\n  UNION ALL ")}`));
    ctes.push(sql.cte("obs", `  SELECT ${cols.split(", ").map((c) => `s.${c}`).join(", ")}, c.ref_ts
  FROM src s CROSS JOIN cutoffs c
  WHERE s.ts < c.ref_ts AND ${kept("s")}`));
  } else {
    // ends: the last kept event before churn, + 1 ms (the trend windows' end); a narrow join.
    ctes.push(sql.cte("ends", `  SELECT s.user_id, MAX(s.ts) + 1 AS ref_ts
  FROM src s JOIN firsts f ON f.user_id = s.user_id
  WHERE (f.label_ts IS NULL OR s.ts < f.label_ts) AND ${kept("s")}
  GROUP BY s.user_id`, true));
    ctes.push(sql.cte("bounds", "  SELECT f.user_id, f.label_ts, e.ref_ts FROM firsts f JOIN ends e ON e.user_id = f.user_id", true));
    ctes.push(sql.cte("obs", `  SELECT ${cols.split(", ").map((c) => `s.${c}`).join(", ")}, b.ref_ts
  FROM src s JOIN bounds b ON b.user_id = s.user_id
  WHERE s.ts < b.ref_ts AND ${kept("s")}`));
  }
  const lastWeek = `ts >= ref_ts - ${WEEK_MS}`;
  const prevWeek = `ts >= ref_ts - ${2 * WEEK_MS} AND ts < ref_ts - ${WEEK_MS}`;
  ctes.push(sql.cte("agg", `  SELECT user_id, ref_ts,
    COUNT(*) AS n_events,
    ${sql.countIf(song)} AS n_songs,
    ${sql.countDistinct(sql.utcDay("ts"))} AS active_days,
    MIN(ts) AS first_ts,
    MAX(ts) AS last_ts,
    MIN(registration) AS registration,
    ${sql.sumIf(song, "song_length")} AS listening_s,
${ENGAGEMENT_PAGES.map(({ key, page }) => `    ${sql.countIf(isPage(page))} AS c_${key},`).join("\n")}
    ${sql.countIf(`page IN ${inList(["Submit Upgrade", "Submit Downgrade"])}`)} AS level_changes,
    ${sql.countIf(`level = ${sql.str("paid")}`)} AS paid_events,
    ${sql.countIf(lastWeek)} AS events_last_7d,
    ${sql.countIf(prevWeek)} AS events_prev_7d,
    ${sql.countIf(`${song} AND ${lastWeek}`)} AS songs_last_7d,
    ${sql.countIf(`${song} AND ${prevWeek}`)} AS songs_prev_7d,
    ${sql.maxBy("level", "ord")} AS last_level,
    ${sql.maxBy("gender", "ord")} AS last_gender,
    ${sql.maxBy("location", "ord")} AS last_location,
    ${sql.maxBy("user_agent", "ord")} AS last_user_agent,
    ${sql.countDistinct(`CASE WHEN ${song} THEN ${sql.hash64("artist")} END`)} AS distinct_artists
  FROM obs GROUP BY user_id, ref_ts`));
  ctes.push(sql.cte("sess", `  SELECT user_id, ref_ts, session_id, MIN(ts) AS s_start, MAX(ts) AS s_end,
    ${sql.maxBy("page", "ord")} AS s_last_page, COUNT(*) AS s_events
  FROM obs GROUP BY user_id, ref_ts, session_id`));
  ctes.push(sql.cte("gaps", `  SELECT user_id, ref_ts, s_start, s_end, s_last_page, s_events,
    s_start - LAG(s_end) OVER (PARTITION BY user_id, ref_ts ORDER BY s_start, session_id) AS gap
  FROM sess`));
  ctes.push(sql.cte("sagg", `  SELECT user_id, ref_ts, COUNT(*) AS n_sessions,
    AVG(${sql.toDouble("s_end - s_start")}) AS len_mean_ms,
    AVG(${sql.toDouble("gap")}) AS gap_mean_ms,
    MAX(gap) AS gap_max_ms,
    SUM(s_end - s_start) AS len_sum_ms,
    AVG(CASE WHEN s_last_page = ${sql.str("Logout")} THEN 1.0 ELSE 0.0 END) AS end_logout_share,
    AVG(CASE WHEN s_last_page = ${sql.str("NextSong")} THEN 1.0 ELSE 0.0 END) AS end_song_share,
    AVG(CASE WHEN s_events = 1 THEN 1.0 ELSE 0.0 END) AS single_share
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
    session_gap_mean_hours: "s.gap_mean_ms / 3600000",
    session_gap_max_hours: `${sql.toDouble("s.gap_max_ms")} / 3600000`,
    session_minutes_mean: "s.len_mean_ms / 60000",
    songs_per_session: sql.ratio("a.n_songs", "s.n_sessions"),
    listening_hours: `COALESCE(${sql.toDouble("a.listening_s")}, 0) / 3600`,
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
    session_end_logout_share: "s.end_logout_share",
    session_end_song_share: "s.end_song_share",
    single_event_session_share: "s.single_share",
    events_per_session_hour: `a.n_events / ${sql.toDouble("NULLIF(s.len_sum_ms, 0)")} * 3600000`,
  };
  for (const { key } of ENGAGEMENT_PAGES) {
    expr[`${key}_per_song`] = sql.ratio(`a.c_${key}`, "a.n_songs");
    expr[`${key}_per_session`] = sql.ratio(`a.c_${key}`, "s.n_sessions");
    expr[`${key}_per_session_hour`] = `a.c_${key} / ${sql.toDouble("NULLIF(s.len_sum_ms, 0)")} * 3600000`;
  }
  const select = [`a.user_id AS userId`];
  if (forward) select.push("a.ref_ts AS cutoff");
  for (const f of featureDictionary(options.mode)) {
    const e = expr[f.name];
    if (e === undefined) throw new Error(`feature "${f.name}" has no SQL definition`);
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
JOIN firsts f ON f.user_id = a.user_id${forward ? "\nWHERE f.label_ts IS NULL OR f.label_ts >= a.ref_ts" : ""}
ORDER BY ${forward ? "a.ref_ts, " : ""}a.user_id`;
}
