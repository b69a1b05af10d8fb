/** Milliseconds in a day. Event times are epoch milliseconds (UTC); horizons, cutoffs and day buckets are whole days of them. */
export const DAY_MS = 86_400_000;

/** Milliseconds in an hour: session gaps and lengths (epoch-millisecond differences) are reported in hours. */
export const HOUR_MS = 3_600_000;
