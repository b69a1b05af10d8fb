// Hand-made events for the feature tests. Every expected feature value in
// computeFeatures.test.ts is worked out from these by hand.
import type { Page, SparkifyEvent } from "../../lib/events/schema";

/** Epoch ms of an ISO time (UTC). */
export const at = (iso: string): number => Date.parse(`${iso}Z`);

/** The cutoff of the forward-mode fixture: 2018-10-20T00:00:00Z. */
export const T = at("2018-10-20T00:00:00");

export const UA_WINDOWS = "\"Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36\"";
export const UA_IPHONE = "\"Mozilla/5.0 (iPhone; CPU iPhone OS 7_1_2 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D257 Safari/9537.53\"";
export const UA_MAC = "\"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.78.2 (KHTML, like Gecko) Version/7.0.6 Safari/537.78.2\"";

interface Profile { userId: string; registration: number | null; gender: "M" | "F" | null; location: string | null; userAgent: string | null; firstName: string | null; lastName: string | null }

const PROFILES: Record<string, Profile> = {
  "1": { userId: "1", registration: at("2018-10-01T00:00:00"), gender: "F", location: "New York-Newark-Jersey City, NY-NJ-PA", userAgent: UA_WINDOWS, firstName: "Ann", lastName: "Lee" },
  "2": { userId: "2", registration: at("2018-09-20T00:00:00"), gender: "M", location: "Bakersfield, CA", userAgent: UA_IPHONE, firstName: "Bo", lastName: "Ray" },
  "3": { userId: "3", registration: at("2018-09-01T00:00:00"), gender: "M", location: "Austin-Round Rock, TX", userAgent: UA_WINDOWS, firstName: "Cy", lastName: "Ng" },
  "4": { userId: "4", registration: at("2018-10-21T00:00:00"), gender: "F", location: "Bakersfield, CA", userAgent: UA_MAC, firstName: "Di", lastName: "Ko" },
  "5": { userId: "5", registration: null, gender: null, location: null, userAgent: null, firstName: null, lastName: null },
  "6": { userId: "6", registration: at("2018-10-01T00:00:00"), gender: "F", location: "Quincy, IL-MO", userAgent: UA_MAC, firstName: "Em", lastName: "Oz" },
};

/** One event of a fixture user; song pages take [artist, length]. */
export function ev(user: string, iso: string, page: Page, sessionId: number, item: number, level: "free" | "paid", song?: [string, number | null]): SparkifyEvent {
  const p = PROFILES[user];
  return {
    artist: song ? song[0] : null, auth: page === "Cancellation Confirmation" ? "Cancelled" : "Logged In",
    firstName: p.firstName, gender: p.gender, itemInSession: item, lastName: p.lastName,
    length: song ? song[1] : null, level, location: p.location,
    method: "PUT", page, registration: p.registration, sessionId, song: song ? `${song[0]} song` : null,
    status: 200, ts: at(iso), userAgent: p.userAgent, userId: user,
  };
}

/** Events before the cutoff T. */
export const BEFORE_T: SparkifyEvent[] = [
  // user 1: three sessions, upgrades in the second.
  ev("1", "2018-10-05T10:00:00", "NextSong", 10, 0, "free", ["A", 200]),
  ev("1", "2018-10-05T10:03:20", "Thumbs Up", 10, 1, "free"),
  ev("1", "2018-10-05T10:03:21", "NextSong", 10, 2, "free", ["B", 100]),
  ev("1", "2018-10-05T10:05:01", "Roll Advert", 10, 3, "free"),
  ev("1", "2018-10-15T12:00:00", "Home", 11, 0, "free"),
  ev("1", "2018-10-15T12:00:10", "NextSong", 11, 1, "free", ["A", 300]),
  ev("1", "2018-10-15T12:05:10", "Thumbs Down", 11, 2, "free"),
  ev("1", "2018-10-15T12:05:11", "Upgrade", 11, 3, "free"),
  ev("1", "2018-10-15T12:05:20", "Submit Upgrade", 11, 4, "free"),
  ev("1", "2018-10-15T12:05:21", "NextSong", 11, 5, "paid", ["C", 250]),
  ev("1", "2018-10-19T08:00:00", "NextSong", 12, 0, "paid", ["D", 100]),
  ev("1", "2018-10-19T08:01:40", "Add to Playlist", 12, 1, "paid"),
  // user 2: one session, no songs.
  ev("2", "2018-10-18T20:00:00", "Home", 20, 0, "paid"),
  ev("2", "2018-10-18T20:00:05", "Help", 20, 1, "paid"),
  ev("2", "2018-10-18T20:00:10", "Error", 20, 2, "paid"),
  ev("2", "2018-10-18T20:00:20", "Settings", 20, 3, "paid"),
  // user 3: churned before T (out of the forward table).
  ev("3", "2018-10-10T09:00:00", "NextSong", 30, 0, "free", ["A", 200]),
  ev("3", "2018-10-10T09:03:20", "Cancel", 30, 1, "free"),
  ev("3", "2018-10-10T09:03:21", "Cancellation Confirmation", 30, 2, "free"),
  // user 5: no profile at all; one session across midnight; a song without length.
  ev("5", "2018-10-12T23:59:59", "NextSong", 50, 0, "paid", ["E", null]),
  ev("5", "2018-10-13T00:00:01", "Downgrade", 50, 1, "paid"),
  // user 6: clicks Cancel one second before T; the confirmation comes exactly at T.
  ev("6", "2018-10-19T10:00:00", "NextSong", 60, 0, "free", ["A", 180]),
  ev("6", "2018-10-19T23:59:59", "Cancel", 60, 1, "free"),
];

/** Events at or after T. */
export const AFTER_T: SparkifyEvent[] = [
  ev("6", "2018-10-20T00:00:00", "Cancellation Confirmation", 60, 2, "free"),
  ev("2", "2018-10-22T10:00:00", "NextSong", 21, 0, "paid", ["F", 240]),
  ev("4", "2018-10-22T11:00:00", "NextSong", 40, 0, "free", ["A", 200]),
  ev("1", "2018-10-25T09:00:00", "NextSong", 13, 0, "paid", ["E", 120]),
  ev("5", "2018-10-25T12:00:00", "Submit Downgrade", 51, 0, "paid"),
  ev("1", "2018-10-28T10:00:00", "Cancel", 14, 0, "paid"),
  ev("1", "2018-10-28T10:00:01", "Cancellation Confirmation", 14, 1, "paid"),
];
