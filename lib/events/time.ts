/** Milliseconds in a day. Event times are epoch milliseconds (UTC); horizons, cutoffs and day buckets are whole days of them. */
export const DAY_MS = 86_400_000;
