import { SparkifyError } from "../errors";
import type { SqlRunner } from "../store";
import { EVENTS_TABLE } from "../events/schema";
import { HOUR_MS } from "../events/time";
import { num, userGroupCte } from "./userGroupsSql";

/** One session: its length in minutes (first to last event) and its number of events. */
export interface SessionLengthRow {
  group: string;
  userId: string;
  sessionId: number;
  minutes: number;
  events: number;
}

/** The gap between a session's end and the user's next session's start, in hours. */
export interface SessionGapRow {
  group: string;
  userId: string;
  hours: number;
}

/** Options of the session queries. */
export interface SessionQueryOptions {
  /**
   * At most this many rows per group (default 5000), picked by a hash of user and session so the
   * choice is the same on every run; histograms need no more.
   */
  maxPerGroup?: number;
}

const SESSIONS = (table: string) => `sessions AS (
  SELECT "userId", "sessionId", min(ts) AS start_ts, max(ts) AS end_ts, CAST(count(*) AS BIGINT) AS events
  FROM ${table}
  GROUP BY 1, 2
)`;

/** SQL of {@link sessionLengths}. */
export function sessionLengthsSql(maxPerGroup: number, table: string = EVENTS_TABLE): string {
  return `WITH ${userGroupCte(table)}, ${SESSIONS(table)}
${sessionLengthsFromSql(maxPerGroup)}`;
}

/** The sampled session lengths from CTEs `user_group` ({@link userGroupCte}) and `sessions` ("userId", "sessionId", start_ts, end_ts, events). */
export function sessionLengthsFromSql(maxPerGroup: number): string {
  return `SELECT g.grp AS grp, s."userId" AS "userId", s."sessionId" AS "sessionId",
       (s.end_ts - s.start_ts) / 60000.0 AS minutes, s.events AS events
FROM sessions s JOIN user_group g USING ("userId")
QUALIFY row_number() OVER (PARTITION BY g.grp ORDER BY hash(s."userId", s."sessionId"), s."userId", s."sessionId") <= ${maxPerGroup}
ORDER BY grp, "userId", "sessionId"`;
}

/** SQL of {@link sessionGaps}: sessions in start order per user, gap = start − previous session's end. */
export function sessionGapsSql(maxPerGroup: number, table: string = EVENTS_TABLE): string {
  return `WITH ${userGroupCte(table)}, ${SESSIONS(table)}
${sessionGapsFromSql(maxPerGroup)}`;
}

/** The sampled gaps between sessions from the CTEs `user_group` and `sessions` of {@link sessionLengthsFromSql}. */
export function sessionGapsFromSql(maxPerGroup: number): string {
  return `SELECT g.grp AS grp, x."userId" AS "userId", x.gap_ms / ${HOUR_MS}.0 AS hours
FROM (
  SELECT "userId", "sessionId",
         start_ts - lag(end_ts) OVER (PARTITION BY "userId" ORDER BY start_ts, "sessionId") AS gap_ms
  FROM sessions
) x JOIN user_group g USING ("userId")
WHERE x.gap_ms IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY g.grp ORDER BY hash(x."userId", x."sessionId"), x."userId", x."sessionId") <= ${maxPerGroup}
ORDER BY grp, "userId", hours`;
}

/** The checked `maxPerGroup` of `opts` (default 5000). */
export function sessionSampleLimit(opts: SessionQueryOptions): number {
  const n = opts.maxPerGroup ?? 5000;
  if (!Number.isInteger(n) || n < 1) throw new SparkifyError("E_BAD_OPTION", `maxPerGroup must be a whole number ≥ 1, got ${n}.`);
  return n;
}

/** Session lengths (minutes) and sizes (events), churners against others. */
export async function sessionLengths(db: SqlRunner, opts: SessionQueryOptions = {}): Promise<SessionLengthRow[]> {
  return sessionLengthRows(await db.rows(sessionLengthsSql(sessionSampleLimit(opts))));
}

/** Hours between consecutive sessions of the same user, churners against others. */
export async function sessionGaps(db: SqlRunner, opts: SessionQueryOptions = {}): Promise<SessionGapRow[]> {
  return sessionGapRows(await db.rows(sessionGapsSql(sessionSampleLimit(opts))));
}

/** Reads the rows of {@link sessionLengthsSql} as chart rows. */
export function sessionLengthRows(rows: Record<string, unknown>[]): SessionLengthRow[] {
  return rows.map((r) => ({ group: String(r.grp), userId: String(r.userId), sessionId: num(r.sessionId), minutes: num(r.minutes), events: num(r.events) }));
}

/** Reads the rows of {@link sessionGapsSql} as chart rows. */
export function sessionGapRows(rows: Record<string, unknown>[]): SessionGapRow[] {
  return rows.map((r) => ({ group: String(r.grp), userId: String(r.userId), hours: num(r.hours) }));
}
