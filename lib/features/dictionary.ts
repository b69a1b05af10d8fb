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
