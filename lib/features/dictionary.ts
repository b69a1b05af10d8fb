import type { FeatureInfo, FeatureMode } from "./types";

/** Pages counted as engagement, each reported per song and per session. */
export const ENGAGEMENT_PAGES: ReadonlyArray<{ key: string; page: string; what: string }> = [
  { key: "thumbs_up", page: "Thumbs Up", what: "thumbs up" },
  { key: "thumbs_down", page: "Thumbs Down", what: "thumbs down" },
  { key: "add_playlist", page: "Add to Playlist", what: "songs added to a playlist" },
  { key: "add_friend", page: "Add Friend", what: "friends added" },
  { key: "adverts", page: "Roll Advert", what: "adverts played" },
  { key: "help", page: "Help", what: "Help page visits" },
  { key: "errors", page: "Error", what: "errors (HTTP 404)" },
  { key: "settings", page: "Settings", what: "Settings page visits" },
  { key: "upgrade_visits", page: "Upgrade", what: "Upgrade page visits" },
  { key: "downgrade_visits", page: "Downgrade", what: "Downgrade page visits" },
  { key: "logouts", page: "Logout", what: "logouts" },
];

/**
 * Features whose value is measured against the cutoff T itself. They exist only in forward mode:
 * in full-history mode the only "T" is the end of each user's history, which for churners is the
 * cancellation, so tenure at T and recency would encode the label (the leak behind published
 * F1 0.8–0.94).
 */
export const FORWARD_ONLY_FEATURES: readonly string[] = ["days_since_registration", "recency_days"];

const T = "T"; // how descriptions name the reference time

const num = (name: string, group: string, description: string): FeatureInfo => ({ name, description, type: "numeric", group });
const cat = (name: string, group: string, description: string): FeatureInfo => ({ name, description, type: "categorical", group });

/**
 * Every feature, in column order. "Before T" means events with ts < T (forward mode: the cutoff;
 * full-history mode: the user's first churn event, or all events). Cancel and Cancellation
 * Confirmation events are never counted.
 */
export const FEATURE_DICTIONARY: FeatureInfo[] = [
  num("n_events", "activity", `Events before ${T}.`),
  num("n_songs", "activity", `Songs played (NextSong) before ${T}.`),
  num("n_sessions", "activity", `Distinct sessions before ${T}.`),
  num("active_days", "activity", `Distinct UTC days with at least one event before ${T}.`),
  num("days_since_registration", "activity", `Days from registration (or the first event, if earlier) to ${T}; null without a registration time.`),
  num("recency_days", "activity", `Days from the last event before ${T} to ${T}.`),
  num("session_gap_mean_hours", "activity", "Mean hours from the end of one session to the start of the next (session_gap); null with fewer than 2 sessions."),
  num("session_gap_max_hours", "activity", "Longest hours from the end of one session to the start of the next; null with fewer than 2 sessions."),
  num("session_minutes_mean", "activity", "Mean minutes from a session's first to its last event."),
  num("songs_per_session", "activity", "Songs per session."),
  num("listening_hours", "activity", "Hours of music played (sum of song lengths)."),
  ...ENGAGEMENT_PAGES.flatMap(({ key, what }) => [
    num(`${key}_per_song`, "engagement", `${what[0].toUpperCase()}${what.slice(1)} per song; null with no songs.`),
    num(`${key}_per_session`, "engagement", `${what[0].toUpperCase()}${what.slice(1)} per session.`),
  ]),
  // Rates per hour in a session: a listener's own pace, whatever the lengths of their songs and sessions
  // (issue 17: they lifted held-out ROC-AUC on other simulated populations; docs/model-quality.md).
  num("events_per_session_hour", "pace", "Events per hour spent in sessions (first to last event of each session, summed); null when every session is a single event."),
  ...ENGAGEMENT_PAGES.map(({ key, what }) =>
    num(`${key}_per_session_hour`, "pace", `${what[0].toUpperCase()}${what.slice(1)} per hour spent in sessions; null when every session is a single event.`)),
  // How sessions end: a Logout is a deliberate exit, a session ending on a song simply stopped
  // (the listener closed the app); the mix differs between kinds of listeners (docs/model-quality.md).
  num("session_end_logout_share", "sessions", "Share of sessions whose last event (before T) is a Logout."),
  num("session_end_song_share", "sessions", "Share of sessions whose last event (before T) is a song (NextSong): ended without logging out."),
  num("single_event_session_share", "sessions", "Share of sessions with a single event."),
  num("thumbs_up_share", "engagement", "Thumbs up / (thumbs up + thumbs down); null with no thumbs."),
  num("events_last_7d", "trend", `Events in the 7 days before ${T} (full-history: before the user's last event + 1 ms).`),
  num("events_prev_7d", "trend", "Events in the 7 days before those."),
  num("events_trend", "trend", "(last 7 days − previous 7 days) / (their sum), in [−1, 1]; null when both are 0."),
  num("songs_last_7d", "trend", "Songs in the last 7 days (as events_last_7d)."),
  num("songs_prev_7d", "trend", "Songs in the 7 days before those."),
  num("songs_trend", "trend", "(last 7 days − previous 7 days) / (their sum) for songs; null when both are 0."),
  cat("level", "level", `Level (free or paid) on the last event before ${T}.`),
  num("paid_share", "level", "Share of events on the paid level."),
  num("level_changes", "level", "Level changes (Submit Upgrade and Submit Downgrade, the only ways a level changes)."),
  cat("gender", "profile", "Gender (M/F) on the latest event that has one; null if never given."),
  cat("device", "profile", "Device family from userAgent: desktop, mobile (iPhone, Android phone) or tablet (iPad)."),
  cat("os", "profile", "OS family from userAgent: Windows, Mac OS X, iOS, Android, Linux or other."),
  cat("state", "profile", 'US state from location; the first state of a multi-state metro ("…, NY-NJ-PA" → NY).'),
  num("distinct_artists", "artists", "Distinct artists played."),
];

/** The features present in a table of the given mode, in column order. */
export function featureDictionary(mode: FeatureMode): FeatureInfo[] {
  return mode === "forward" ? FEATURE_DICTIONARY.slice() : FEATURE_DICTIONARY.filter((f) => !FORWARD_ONLY_FEATURES.includes(f.name));
}

/** Output columns of a table of the given mode: userId, cutoff (forward), features, churn. */
export function featureColumns(mode: FeatureMode): string[] {
  return ["userId", ...(mode === "forward" ? ["cutoff"] : []), ...featureDictionary(mode).map((f) => f.name), "churn"];
}

/**
 * How a feature reads in words: `label` names it, `unit` follows its value ("3.1 thumbs down per 100
 * songs"), `scale` multiplies the stored value first (per song → per 100 songs), `digits` rounds, and
 * `labelFirst` puts the label before the value ("activity trend −0.45"). Categorical features read as
 * "label: value".
 */
export interface FeatureWords {
  label: string;
  unit: string;
  scale?: number;
  digits?: number;
  labelFirst?: boolean;
}

const PAGE_SINGULAR: Record<string, string> = {
  thumbs_up: "thumbs up", thumbs_down: "thumbs down", add_playlist: "playlist adds", add_friend: "friends added",
  adverts: "adverts", help: "Help visits", errors: "errors", settings: "Settings visits", upgrade_visits: "Upgrade-page visits", downgrade_visits: "Downgrade-page visits",
  logouts: "logouts",
};

/** Words and unit of every feature of FEATURE_DICTIONARY, for reasons and the report's feature dictionary. */
export const FEATURE_WORDS: Record<string, FeatureWords> = {
  n_events: { label: "events so far", unit: "events so far", digits: 0 },
  n_songs: { label: "songs played", unit: "songs played", digits: 0 },
  n_sessions: { label: "sessions", unit: "sessions", digits: 0 },
  active_days: { label: "active days", unit: "active days", digits: 0 },
  days_since_registration: { label: "days since registration", unit: "days since registration", digits: 0 },
  recency_days: { label: "days since the last visit", unit: "days since the last visit", digits: 1 },
  session_gap_mean_hours: { label: "mean hours between sessions", unit: "hours between sessions on average", digits: 1 },
  session_gap_max_hours: { label: "longest break between sessions", unit: "hours at most between sessions", digits: 0 },
  session_minutes_mean: { label: "mean session length", unit: "minutes per session", digits: 0 },
  songs_per_session: { label: "songs per session", unit: "songs per session", digits: 1 },
  listening_hours: { label: "hours of music", unit: "hours of music", digits: 1 },
  ...Object.fromEntries(
    ENGAGEMENT_PAGES.flatMap(({ key }) => [
      [`${key}_per_song`, { label: `${PAGE_SINGULAR[key]} per 100 songs`, unit: `${PAGE_SINGULAR[key]} per 100 songs`, scale: 100, digits: 1 }],
      [`${key}_per_session`, { label: `${PAGE_SINGULAR[key]} per session`, unit: `${PAGE_SINGULAR[key]} per session`, digits: 2 }],
    ]),
  ),
  events_per_session_hour: { label: "events per session-hour", unit: "events per hour in sessions", digits: 0 },
  ...Object.fromEntries(
    ENGAGEMENT_PAGES.map(({ key }) => [`${key}_per_session_hour`, { label: `${PAGE_SINGULAR[key]} per session-hour`, unit: `${PAGE_SINGULAR[key]} per hour in sessions`, digits: 2 }]),
  ),
  session_end_logout_share: { label: "share of sessions ended by logging out", unit: "% of sessions ended by logging out", scale: 100, digits: 0 },
  session_end_song_share: { label: "share of sessions that stopped mid-listening", unit: "% of sessions ended on a song", scale: 100, digits: 0 },
  single_event_session_share: { label: "share of one-event sessions", unit: "% of sessions with one event", scale: 100, digits: 0 },
  thumbs_up_share: { label: "share of thumbs that were up", unit: "% thumbs up", scale: 100, digits: 0 },
  events_last_7d: { label: "events in the last 7 days", unit: "events in the last 7 days", digits: 0 },
  events_prev_7d: { label: "events in the 7 days before", unit: "events in the 7 days before", digits: 0 },
  events_trend: { label: "activity trend (−1 falling, +1 rising)", unit: "", digits: 2, labelFirst: true },
  songs_last_7d: { label: "songs in the last 7 days", unit: "songs in the last 7 days", digits: 0 },
  songs_prev_7d: { label: "songs in the 7 days before", unit: "songs in the 7 days before", digits: 0 },
  songs_trend: { label: "listening trend (−1 falling, +1 rising)", unit: "", digits: 2, labelFirst: true },
  level: { label: "level", unit: "" },
  paid_share: { label: "share of time on the paid level", unit: "% of events on the paid level", scale: 100, digits: 0 },
  level_changes: { label: "level changes", unit: "level changes", digits: 0 },
  gender: { label: "gender", unit: "" },
  device: { label: "device", unit: "" },
  os: { label: "operating system", unit: "" },
  state: { label: "state", unit: "" },
  distinct_artists: { label: "distinct artists", unit: "distinct artists", digits: 0 },
};

/** A value of a feature in words with its unit, e.g. "3.1 thumbs down per 100 songs", "level: free", "no songs per session yet". */
export function describeFeatureValue(feature: string, value: number | string | null | undefined): string {
  const w = FEATURE_WORDS[feature] ?? { label: feature.replace(/_/g, " "), unit: feature.replace(/_/g, " "), digits: 3 };
  if (value === null || value === undefined || (typeof value === "number" && Number.isNaN(value))) return `${w.label}: none`;
  if (typeof value !== "number") return `${w.label}: ${value}`;
  const shown = formatNumber(value * (w.scale ?? 1), w.digits ?? 2);
  if (w.labelFirst || w.unit === "") return `${w.label} ${shown}`;
  return w.unit.startsWith("%") ? `${shown}${w.unit}` : `${shown} ${w.unit}`;
}

/**
 * A reason in words, true to the user's value. Numeric: the value and the typical (training median)
 * one, e.g. "3.1 thumbs down per 100 songs (typical 1.2)". Categorical and binary: the value, and the
 * most common value when the user's differs ("level: paid (most common: free)"); a value equal to the
 * most common one stands alone ("level: free"), since "(typical free)" beside it would read as no reason.
 * @param type the feature's type when known (a bundle's encoder has it); else FEATURE_DICTIONARY's, else guessed from the value
 */
export function describeReason(
  feature: string,
  value: number | string | null | undefined,
  typical: number | string | null | undefined,
  type?: FeatureInfo["type"],
): string {
  const w = FEATURE_WORDS[feature];
  const kind = type ?? FEATURE_DICTIONARY.find((f) => f.name === feature)?.type ?? (typeof value === "string" ? "categorical" : "numeric");
  const missing = (v: unknown): v is null | undefined => v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));
  if (kind === "binary") {
    const label = w?.label ?? feature.replace(/_/g, " ");
    const yesNo = (v: number | string): string => (Number(v) ? "yes" : "no");
    const shown = missing(value) ? `${label}: none` : `${label}: ${yesNo(value)}`;
    // the typical value of a 0/1 feature is its median: 0.5 means no majority, so nothing is "most common"
    const mode = missing(typical) || Number(typical) === 0.5 ? null : Number(typical) > 0.5 ? "yes" : "no";
    return mode === null || (!missing(value) && yesNo(value) === mode) ? shown : `${shown} (most common: ${mode})`;
  }
  if (kind === "categorical") {
    const shown = describeFeatureValue(feature, missing(value) ? null : String(value));
    if (missing(typical) || (!missing(value) && String(value) === String(typical))) return shown;
    return `${shown} (most common: ${typical})`;
  }
  const t =
    missing(typical) ? "none"
      : typeof typical === "number" ? `${formatNumber(typical * (w?.scale ?? 1), w?.digits ?? 2)}${w?.unit.startsWith("%") ? "%" : ""}` : typical;
  return `${describeFeatureValue(feature, value)} (typical ${t})`;
}

function formatNumber(v: number, digits: number): string {
  const r = Number(v.toFixed(digits));
  const s = Math.abs(r) >= 1000 ? r.toLocaleString("en-US", { maximumFractionDigits: digits }) : String(r);
  return r < 0 ? s.replace("-", "−") : s;
}
