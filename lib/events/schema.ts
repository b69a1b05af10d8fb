/** The 18 fields of a Sparkify event, in the alphabetical order the real logs use. */
export const EVENT_FIELDS = [
  "artist", "auth", "firstName", "gender", "itemInSession", "lastName", "length", "level",
  "location", "method", "page", "registration", "sessionId", "song", "status", "ts", "userAgent",
  "userId",
] as const;

/** One of the 18 event field names. */
export type EventField = (typeof EVENT_FIELDS)[number];

/** The 22 pages of the service. */
export const PAGES = [
  "About", "Add Friend", "Add to Playlist", "Cancel", "Cancellation Confirmation", "Downgrade",
  "Error", "Help", "Home", "Login", "Logout", "NextSong", "Register", "Roll Advert",
  "Save Settings", "Settings", "Submit Downgrade", "Submit Registration", "Submit Upgrade",
  "Thumbs Down", "Thumbs Up", "Upgrade",
] as const;

/** A page name. */
export type Page = (typeof PAGES)[number];

/** Values of `auth`. "Cancelled" appears only on Cancellation Confirmation. */
export const AUTH_VALUES = ["Logged In", "Logged Out", "Guest", "Cancelled"] as const;
/** An `auth` value. */
export type Auth = (typeof AUTH_VALUES)[number];

/** Values of `level`. */
export const LEVELS = ["free", "paid"] as const;
/** A `level` value. */
export type Level = (typeof LEVELS)[number];

/** The page that defines churn. */
export const CHURN_PAGE: Page = "Cancellation Confirmation";

/** HTTP method and status of each page, as in the real logs (Error is the only 404). */
export const PAGE_METHOD_STATUS: Readonly<Record<Page, { method: "GET" | "PUT"; status: 200 | 307 | 404 }>> = {
  "About": { method: "GET", status: 200 },
  "Add Friend": { method: "PUT", status: 307 },
  "Add to Playlist": { method: "PUT", status: 200 },
  "Cancel": { method: "PUT", status: 307 },
  "Cancellation Confirmation": { method: "GET", status: 200 },
  "Downgrade": { method: "GET", status: 200 },
  "Error": { method: "GET", status: 404 },
  "Help": { method: "GET", status: 200 },
  "Home": { method: "GET", status: 200 },
  "Login": { method: "PUT", status: 307 },
  "Logout": { method: "PUT", status: 307 },
  "NextSong": { method: "PUT", status: 200 },
  "Register": { method: "GET", status: 200 },
  "Roll Advert": { method: "GET", status: 200 },
  "Save Settings": { method: "PUT", status: 307 },
  "Settings": { method: "GET", status: 200 },
  "Submit Downgrade": { method: "PUT", status: 307 },
  "Submit Registration": { method: "PUT", status: 307 },
  "Submit Upgrade": { method: "PUT", status: 307 },
  "Thumbs Down": { method: "PUT", status: 307 },
  "Thumbs Up": { method: "PUT", status: 307 },
  "Upgrade": { method: "GET", status: 200 },
};

/**
 * One event as the raw logs hold it. Fields that are null in the raw files are omitted in the
 * Spark re-export; loaders turn both forms into this one.
 */
export interface SparkifyEvent {
  artist: string | null;
  auth: Auth;
  firstName: string | null;
  gender: "M" | "F" | null;
  itemInSession: number;
  lastName: string | null;
  length: number | null;
  level: Level;
  location: string | null;
  method: "GET" | "PUT";
  page: Page;
  registration: number | null;
  sessionId: number;
  song: string | null;
  status: number;
  ts: number;
  userAgent: string | null;
  /** "" for logged-out and guest rows. */
  userId: string;
}

/**
 * The cleaned events table every later stage reads: DuckDB table `events`, one row per kept event,
 * original field names, `userId` a non-empty string, nulls kept as SQL NULL.
 */
export const EVENTS_TABLE = "events";

/** Column types of the cleaned `events` table (portable SQL type names). */
export const EVENT_COLUMN_TYPES: Readonly<Record<EventField, string>> = {
  artist: "VARCHAR",
  auth: "VARCHAR",
  firstName: "VARCHAR",
  gender: "VARCHAR",
  itemInSession: "INTEGER",
  lastName: "VARCHAR",
  length: "DOUBLE",
  level: "VARCHAR",
  location: "VARCHAR",
  method: "VARCHAR",
  page: "VARCHAR",
  registration: "BIGINT",
  sessionId: "BIGINT",
  song: "VARCHAR",
  status: "INTEGER",
  ts: "BIGINT",
  userAgent: "VARCHAR",
  userId: "VARCHAR",
};

/**
 * Fields every event must carry, not null: a line without one is quarantined (`missing field "ts"`).
 * The one list every check reads: the line scan, the validation SQL, the Parquet checks and the
 * remote engines' cleaning (PySpark, Athena).
 */
export const REQUIRED_FIELDS: readonly EventField[] = ["ts", "page", "sessionId", "auth"];

/** The field naming the user: absent, null or "" on logged-out and guest events (stored as ""). */
export const USER_FIELD: EventField = "userId";

/**
 * Fields an event may lack or hold as null: kept as SQL NULL and counted by the `nulls_kept` rule.
 * Every field but the required ones and the user field, which is handled on its own.
 */
export const OPTIONAL_FIELDS: readonly EventField[] = EVENT_FIELDS.filter(
  (f) => !REQUIRED_FIELDS.includes(f) && f !== USER_FIELD,
);
