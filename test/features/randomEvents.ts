// Seeded random users and sessions for the leakage, dialect and CSV tests: enough variety
// (churn, downgrades, missing profile fields, several states and agents) to exercise every feature.
import { PAGES, type Page, type SparkifyEvent } from "../../lib/events/schema";
import { UA_IPHONE, UA_MAC, UA_WINDOWS, at } from "./fixtures";
import { mulberry32 } from "../../lib/random";

/** mulberry32: a small seeded generator in [0, 1). */
export function rng(seed: number): () => number {
  return mulberry32(seed);
}

const LOCATIONS = ["New York-Newark-Jersey City, NY-NJ-PA", "Bakersfield, CA", "Quincy, IL-MO", "Austin-Round Rock, TX", "Nowhere", null];
const AGENTS = [UA_WINDOWS, UA_IPHONE, UA_MAC, "Mozilla/5.0 (X11; Linux x86_64; rv:31.0) Gecko/20100101 Firefox/31.0", "curl/7.0", null];
const ACTIONS: Page[] = ["Thumbs Up", "Thumbs Down", "Add to Playlist", "Add Friend", "Roll Advert", "Help", "Error", "Settings", "Home", "Upgrade", "Downgrade", "About"];

/** `users` random users between 2018-10-01 and 2018-11-20, reproducible from `seed`. */
export function randomEvents(seed: number, users: number): SparkifyEvent[] {
  const r = rng(seed);
  const pick = <X>(xs: readonly X[]): X => xs[Math.floor(r() * xs.length)];
  const start = at("2018-10-01T00:00:00");
  const end = at("2018-11-20T00:00:00");
  const out: SparkifyEvent[] = [];
  let sessionId = 1;
  for (let u = 0; u < users; u++) {
    const userId = String(100 + u);
    const registration = r() < 0.1 ? null : start - Math.floor(r() * 60) * 86_400_000;
    const gender = r() < 0.1 ? null : pick(["M", "F"] as const);
    const location = pick(LOCATIONS);
    const userAgent = pick(AGENTS);
    let level: "free" | "paid" = r() < 0.3 ? "paid" : "free";
    let ts = start + Math.floor(r() * 20 * 86_400) * 1000;
    const churnAt = r() < 0.35 ? start + Math.floor(r() * 50 * 86_400) * 1000 : Infinity;
    let done = false;
    while (!done && ts < end) {
      const sid = sessionId++;
      const n = 1 + Math.floor(r() * 12);
      for (let item = 0; item < n && !done; item++) {
        const base = { artist: null, auth: "Logged In" as const, firstName: "X", gender, itemInSession: item, lastName: "Y", length: null, level, location, method: "PUT" as const, registration, sessionId: sid, song: null, status: 200, ts, userAgent, userId };
        if (ts >= churnAt) {
          out.push({ ...base, page: "Cancel" });
          out.push({ ...base, page: "Cancellation Confirmation", auth: "Cancelled", ts: ts + 1000, itemInSession: item + 1 });
          done = true;
          break;
        }
        const x = r();
        if (x < 0.6) {
          const length = r() < 0.05 ? null : 60 + Math.floor(r() * 300000) / 1000;
          out.push({ ...base, page: "NextSong", artist: r() < 0.03 ? null : `artist ${Math.floor(r() * 30)}`, song: "s", length });
          ts += (length ?? 200) * 1000;
        } else if (x < 0.63) {
          const page: Page = level === "free" ? "Submit Upgrade" : "Submit Downgrade";
          out.push({ ...base, page });
          level = level === "free" ? "paid" : "free";
          ts += 1000;
        } else {
          out.push({ ...base, page: pick(ACTIONS) });
          ts += (1 + Math.floor(r() * 120)) * 1000;
        }
        ts = Math.round(ts / 1000) * 1000;
      }
      ts += (1800 + Math.floor(r() * 4 * 86_400)) * 1000;
    }
  }
  for (const e of out) if (!PAGES.includes(e.page)) throw new Error(`bad page ${e.page}`);
  return out;
}
