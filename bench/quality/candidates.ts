// Behind docs/model-quality.md (issue 17): every candidate feature family of the search, computed by a plain
// per-cutoff DuckDB query (one aggregation per cutoff, not the product's one-pass form) beside the product's
// own forward table, for the scripts in this folder: OUT.base.csv (the product's table) and OUT.cand.csv.
// usage: node bin/run-ts.js bench/quality/candidates.ts EVENTS OUT   (weekly cutoffs, 14-day horizon)
import { computeFeatures, eventTimeRange, writeFeaturesCsv } from "../../lib/features";
import { weeklyCutoffs } from "../../lib/eventSource/cutoffPlan";
import { EventStore } from "../../lib/store";
import * as fs from "node:fs";

const DAY = 86_400_000;
const HOUR = 3_600_000;

async function main(): Promise<void> {
  const [src, out] = process.argv.slice(2);
  const store = await EventStore.open(src, { quiet: true, storage: "memory" });
  const cutoffs = weeklyCutoffs(await eventTimeRange(store), 14, 14);
  if (!fs.existsSync(`${out}.base.csv`)) {
    const table = await computeFeatures(store, { mode: "forward", cutoffs, horizonDays: 14 });
    await writeFeaturesCsv(table, `${out}.base.csv`);
  }
  const pages: Array<[string, string]> = [
    ["settings", "Settings"], ["thumbs_down", "Thumbs Down"], ["thumbs_up", "Thumbs Up"], ["adverts", "Roll Advert"], ["downgrade", "Downgrade"],
    ["upgrade", "Upgrade"], ["errors", "Error"], ["help", "Help"], ["add_friend", "Add Friend"], ["add_playlist", "Add to Playlist"], ["home", "Home"], ["logout", "Logout"], ["about", "About"], ["save_settings", "Save Settings"],
  ];
  const sinceP: Array<[string, string]> = [["thumbs_down", "Thumbs Down"], ["errors", "Error"], ["adverts", "Roll Advert"], ["settings", "Settings"], ["downgrade", "Downgrade"], ["help", "Help"], ["thumbs_up", "Thumbs Up"]];
  const q = `
WITH src AS (
  SELECT CAST(userId AS VARCHAR) AS user_id, ts, ts * 10000 + COALESCE(itemInSession, 0) AS ord, page, level, sessionId AS session_id
  FROM events WHERE userId IS NOT NULL AND CAST(userId AS VARCHAR) <> '' AND ts IS NOT NULL
    AND page NOT IN ('Cancel', 'Cancellation Confirmation') AND (auth IS NULL OR auth <> 'Cancelled')),
cut AS (SELECT UNNEST([${cutoffs.join(",")}]::BIGINT[]) AS ref_ts),
obs AS (SELECT s.*, c.ref_ts FROM src s JOIN cut c ON s.ts < c.ref_ts),
sess AS (SELECT user_id, ref_ts, session_id, MIN(ts) AS s0, MAX(ts) AS s1, arg_max(page, ord) AS last_page, COUNT(*) AS n,
    COUNT_IF(page = 'NextSong') AS songs, arg_min(level, ord) AS lvl0
  FROM obs GROUP BY ALL),
sg AS (SELECT *, s0 - LAG(s1) OVER (PARTITION BY user_id, ref_ts ORDER BY s0, session_id) AS gap FROM sess),
sagg AS (SELECT user_id, ref_ts, COUNT(*) AS n_sess, SUM(s1 - s0) AS len_ms,
    AVG(CASE WHEN last_page = 'Logout' THEN 1.0 ELSE 0.0 END) AS end_logout_share,
    AVG(CASE WHEN last_page = 'NextSong' THEN 1.0 ELSE 0.0 END) AS end_song_share,
    AVG(CASE WHEN last_page NOT IN ('Logout', 'NextSong') THEN 1.0 ELSE 0.0 END) AS end_other_share,
    AVG(CASE WHEN n = 1 THEN 1.0 ELSE 0.0 END) AS single_event_share,
    STDDEV_SAMP(gap) / 3600000 AS gap_sd_hours,
    STDDEV_SAMP(gap) / NULLIF(AVG(gap), 0) AS gap_cv,
    arg_max(gap, s0) / NULLIF(AVG(gap), 0) AS last_gap_vs_mean,
    MEDIAN(gap) / 3600000 AS gap_median_hours,
    arg_max(gap, s0) / NULLIF(MEDIAN(gap), 0) AS last_gap_vs_median,
    MIN(gap) / 3600000 AS gap_min_hours
  FROM sg GROUP BY ALL),
agg AS (SELECT user_id, ref_ts, MIN(ts) AS first_ts, MAX(ts) AS last_ts, COUNT(*) AS n, COUNT_IF(page = 'NextSong') AS songs,
    COUNT_IF(page = 'NextSong' AND level = 'free') AS free_songs,
    COUNT_IF(page = 'Roll Advert' AND level = 'free') AS free_adverts,
    ${pages.map(([k, p]) => `COUNT_IF(page = '${p}') AS c_${k}`).join(",\n    ")},
    ${sinceP.map(([k, p]) => `MAX(CASE WHEN page = '${p}' THEN ts END) AS last_${k}`).join(",\n    ")},
    COUNT_IF(ts >= ref_ts - ${3 * DAY}) AS ev3, COUNT_IF(ts >= ref_ts - ${6 * DAY} AND ts < ref_ts - ${3 * DAY}) AS ev3p,
    COUNT_IF(ts >= ref_ts - ${28 * DAY}) AS ev28, COUNT_IF(ts >= ref_ts - ${28 * DAY} AND ts < ref_ts - ${14 * DAY}) AS ev28p,
    COUNT_IF(ts >= ref_ts - ${14 * DAY}) AS ev14,
    COUNT_IF(page = 'Submit Upgrade') AS upgrades, COUNT_IF(page = 'Submit Downgrade') AS downgrades,
    MAX(CASE WHEN page IN ('Submit Upgrade', 'Submit Downgrade') THEN ts END) AS last_change,
    arg_min(level, ord) AS first_level
  FROM obs GROUP BY ALL)
SELECT a.user_id AS "userId", a.ref_ts AS cutoff,
  (a.ref_ts - a.first_ts) / ${DAY}.0 AS observed_days,
  a.n / GREATEST((a.ref_ts - a.first_ts) / ${DAY}.0, 1) AS events_per_day,
  s.n_sess / GREATEST((a.ref_ts - a.first_ts) / ${DAY}.0, 1) AS sessions_per_day,
  a.songs / GREATEST((a.ref_ts - a.first_ts) / ${DAY}.0, 1) AS songs_per_day,
  ${pages.map(([k]) => `a.c_${k} / GREATEST((a.ref_ts - a.first_ts) / ${DAY}.0, 1) AS ${k}_per_day`).join(",\n  ")},
  (a.c_settings + a.c_thumbs_down + a.c_adverts + a.c_downgrade) / GREATEST((a.ref_ts - a.first_ts) / ${DAY}.0, 1) AS risky_per_day,
  (a.c_settings + a.c_thumbs_down + a.c_adverts + a.c_downgrade) / NULLIF(s.n_sess, 0) AS risky_per_session,
  a.n / NULLIF(s.len_ms / ${HOUR}.0, 0) AS events_per_session_hour,
  ${pages.map(([k]) => `a.c_${k} / NULLIF(s.len_ms / ${HOUR}.0, 0) AS ${k}_per_session_hour`).join(",\n  ")},
  a.free_adverts / NULLIF(a.free_songs, 0) AS adverts_per_free_song,
  a.c_logout / NULLIF(s.n_sess, 0) AS logout_per_session,
  a.c_home / NULLIF(a.songs, 0) AS home_per_song, a.c_about / NULLIF(a.songs, 0) AS about_per_song, a.c_save_settings / NULLIF(a.c_settings, 0) AS save_per_settings,
  s.end_logout_share, s.end_song_share, s.end_other_share, s.single_event_share,
  s.gap_sd_hours, s.gap_cv, s.last_gap_vs_mean, s.gap_median_hours, s.last_gap_vs_median, s.gap_min_hours,
  (a.ref_ts - a.last_ts) / 3600000.0 / NULLIF(s.gap_median_hours, 0) AS recency_vs_median_gap,
  a.ev3 AS events_last_3d, (a.ev3 - a.ev3p) / NULLIF(a.ev3 + a.ev3p, 0) AS events_trend_3d, a.ev28 AS events_last_28d,
  (a.ev14 - a.ev28p) / NULLIF(a.ev14 + a.ev28p, 0) AS events_trend_14d,
  a.ev14 / NULLIF(a.n, 0) AS share_last_14d,
  ${sinceP.map(([k]) => `(a.ref_ts - a.last_${k}) / ${DAY}.0 AS days_since_${k}`).join(",\n  ")},
  a.upgrades, a.downgrades, (a.ref_ts - a.last_change) / ${DAY}.0 AS days_since_level_change, a.first_level
FROM agg a JOIN sagg s ON s.user_id = a.user_id AND s.ref_ts = a.ref_ts
ORDER BY cutoff, "userId"`;
  const rows = await store.rows(q);
  const cols = Object.keys(rows[0]);
  const esc = (v: unknown): string => (v === null || v === undefined ? "" : typeof v === "bigint" ? String(v) : String(v));
  fs.writeFileSync(`${out}.cand.csv`, [cols.join(","), ...rows.map((r) => cols.map((c) => esc(r[c])).join(","))].join("\n") + "\n");
  console.log(`${rows.length} rows, ${cols.length} candidate columns`);
  await store.close();
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
