import { internalError } from "../errors";
import type { DuckDBConnection } from "@duckdb/node-api";
import { EVENT_FIELDS, OPTIONAL_FIELDS, USER_FIELD } from "../events/schema";
import type { RuleName } from "./rules";
import type { ScannedInput } from "./scan/scanFiles";
import type { DataReport } from "./dataReport";
import { ident, literal } from "../sql/quote";

/** What applyViewRules found besides the report's counts. */
export interface ViewRulesResult {
  /** Rows the raw view holds, counted by the scan (a cross-check of the per-file counts). */
  rawRows: number;
  /** Distinct users of the kept events. */
  users: number;
  /** First and last event time of the kept events (epoch ms), null when there are none. */
  minTs: number | null;
  maxTs: number | null;
}

// Exact duplicates share these four values, so rows are only compared in full within groups of
// equal keys; the hash of the key splits the data exactly the same way on both sides of the view.
const KEY = `${ident(USER_FIELD)}, "sessionId", "itemInSession", ts`;
const KEY_HASH = `hash(${KEY})`;

async function rowsOf(conn: DuckDBConnection, sql: string): Promise<unknown[][]> {
  return (await conn.runAndReadAll(sql)).getRows() as unknown[][];
}

function num(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v as bigint);
}

/**
 * The table-wide rules of a store whose events stay in their files (view `raw`): counted in one
 * scan, then applied by creating the view `events` instead of deleting rows. Same counts as
 * applyTableRules on a materialised table.
 */
export async function applyViewRules(
  conn: DuckDBConnection,
  raw: string,
  rules: Record<RuleName, boolean>,
  report: DataReport,
): Promise<ViewRulesResult> {
  const hasNull = OPTIONAL_FIELDS.map((f) => `${ident(f)} IS NULL`).join(" OR ");
  // One row per user from groups of equal keys: sizes for duplicates, nulls, first/last event.
  const perUser = await rowsOf(
    conn,
    `SELECT u, sum(n), sum(nulls), count(*) FILTER (WHERE n > 1), min(ts), max(ts), max(reg) FROM (
       SELECT ${ident(USER_FIELD)} AS u, ts, count(*) AS n, count(*) FILTER (WHERE ${hasNull}) AS nulls, max(registration) AS reg
       FROM ${raw} GROUP BY ${KEY})
     GROUP BY u`,
  );
  const keptUser = (u: unknown): boolean => !(rules.no_user && u === "");
  let rawRows = 0;
  let users = 0;
  let noUser = 0;
  let nulls = 0;
  let candidateGroups = 0;
  let late = 0;
  let minTs: number | null = null;
  let maxTs: number | null = null;
  for (const [u, n, nu, groups, first, last, reg] of perUser) {
    rawRows += num(n);
    if (!keptUser(u)) {
      noUser += num(n);
      continue;
    }
    users++;
    nulls += num(nu);
    candidateGroups += num(groups);
    if (reg !== null && num(reg) > num(first)) late++;
    if (first !== null) minTs = minTs === null ? num(first) : Math.min(minTs, num(first));
    if (last !== null) maxTs = maxTs === null ? num(last) : Math.max(maxTs, num(last));
  }
  const userFilter = rules.no_user ? `${ident(USER_FIELD)} <> ${literal("")}` : "true";
  let duplicates = 0;
  let events = `SELECT * FROM ${raw} WHERE ${userFilter}`;
  if (rules.duplicate && candidateGroups > 0) {
    // Rare: only rows whose key occurs more than once are compared field by field.
    const all = EVENT_FIELDS.map(ident).join(", ");
    await conn.run(`CREATE OR REPLACE TEMP TABLE _dup_keys AS
      SELECT DISTINCT ${KEY_HASH} AS h FROM ${raw} WHERE ${userFilter} GROUP BY ${KEY} HAVING count(*) > 1`);
    await conn.run(`CREATE OR REPLACE TEMP TABLE _dup_rows AS SELECT * FROM ${raw} WHERE ${userFilter} AND ${KEY_HASH} IN (SELECT h FROM _dup_keys)`);
    await conn.run(`CREATE OR REPLACE TEMP TABLE _dedup AS SELECT DISTINCT ${all} FROM _dup_rows`);
    const [[rowsIn, nullsIn]] = await rowsOf(conn, `SELECT count(*), count(*) FILTER (WHERE ${hasNull}) FROM _dup_rows`);
    const [[rowsOut, nullsOut]] = await rowsOf(conn, `SELECT count(*), count(*) FILTER (WHERE ${hasNull}) FROM _dedup`);
    await conn.run("DROP TABLE _dup_rows");
    duplicates = num(rowsIn) - num(rowsOut);
    nulls -= num(nullsIn) - num(nullsOut);
    events = `SELECT * FROM ${raw} WHERE ${userFilter} AND ${KEY_HASH} NOT IN (SELECT h FROM _dup_keys) UNION ALL SELECT * FROM _dedup`;
  }
  await conn.run(`CREATE VIEW events AS ${events}`);
  recordRules(report, rules, { noUser, duplicates, nulls, late });
  return { rawRows, users, minTs, maxTs };
}

/** Writes the table-wide rules' counts into the report (kept goes down by what is dropped). */
function recordRules(report: DataReport, rules: Record<RuleName, boolean>, c: { noUser: number; duplicates: number; nulls: number; late: number }): void {
  if (rules.no_user) {
    report.dropped.no_user = c.noUser;
    report.kept -= c.noUser;
  }
  if (rules.duplicate) {
    report.dropped.duplicate = c.duplicates;
    report.kept -= c.duplicates;
  }
  report.flagged.nulls_kept = c.nulls;
  if (rules.registration_after_first_event) report.flagged.registration_after_first_event = c.late;
}

/** Whether the scan's counts settle the table-wide rules without reading the events again. */
export function scanSettlesRules(scanned: ScannedInput, rules: Record<RuleName, boolean>): boolean {
  return !rules.duplicate || scanned.repeatedKeys === 0;
}

/**
 * The table-wide rules of a store whose input the scan proved clean and free of repeated keys:
 * the scan already counted everything, so this only records the counts and creates the view.
 */
export async function applyScannedRules(
  conn: DuckDBConnection,
  raw: string,
  rules: Record<RuleName, boolean>,
  report: DataReport,
  scanned: ScannedInput,
): Promise<ViewRulesResult> {
  if (!scanSettlesRules(scanned, rules)) throw internalError("applyScannedRules: the scan met repeated keys; use applyViewRules");
  await conn.run(`CREATE VIEW events AS SELECT * FROM ${raw} WHERE ${rules.no_user ? `${ident(USER_FIELD)} <> ${literal("")}` : "true"}`);
  recordRules(report, rules, { noUser: scanned.noUser, duplicates: 0, nulls: scanned.nullRows, late: scanned.lateUsers });
  return { rawRows: scanned.rows, users: scanned.users, minTs: scanned.minTs, maxTs: scanned.maxTs };
}
