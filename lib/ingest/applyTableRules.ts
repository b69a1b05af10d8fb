import type { DuckDBConnection } from "@duckdb/node-api";
import { EVENT_FIELDS, OPTIONAL_FIELDS } from "../events/schema";
import type { RuleName } from "./rules";
import type { DataReport } from "./dataReport";
import { ident } from "../sql/quote";

async function count(conn: DuckDBConnection, sql: string): Promise<number> {
  const r = await conn.runAndReadAll(sql);
  return Number(r.getRows()[0][0] as bigint);
}

/**
 * Applies the rules that need the whole table (drop events without a user, drop exact duplicates,
 * count nulls and late registrations) and records their counts in `report`.
 */
export async function applyTableRules(conn: DuckDBConnection, rules: Record<RuleName, boolean>, report: DataReport): Promise<void> {
  if (rules.no_user) {
    const n = await count(conn, `SELECT count(*) FROM events WHERE "userId" = ''`);
    if (n > 0) await conn.run(`DELETE FROM events WHERE "userId" = ''`);
    report.dropped.no_user = n;
    report.kept -= n;
  }
  if (rules.duplicate) {
    // Equal rows have equal hashes: only rows sharing a hash are compared field by field.
    const all = EVENT_FIELDS.map(ident).join(", ");
    await conn.run(`CREATE OR REPLACE TEMP TABLE _duphash AS SELECT h FROM (SELECT hash(${all}) AS h FROM events) GROUP BY h HAVING count(*) > 1`);
    let n = 0;
    if ((await count(conn, "SELECT count(*) FROM _duphash")) > 0) {
      await conn.run(`CREATE OR REPLACE TEMP TABLE _dups AS SELECT rid FROM (
          SELECT rowid AS rid, row_number() OVER (PARTITION BY ${all} ORDER BY rowid) AS rn
          FROM events WHERE hash(${all}) IN (SELECT h FROM _duphash)) WHERE rn > 1`);
      n = await count(conn, "SELECT count(*) FROM _dups");
      if (n > 0) await conn.run("DELETE FROM events WHERE rowid IN (SELECT rid FROM _dups)");
      await conn.run("DROP TABLE _dups");
    }
    await conn.run("DROP TABLE _duphash");
    report.dropped.duplicate = n;
    report.kept -= n;
  }
  report.flagged.nulls_kept = await count(
    conn,
    `SELECT count(*) FROM events WHERE ${OPTIONAL_FIELDS.map((f) => `${ident(f)} IS NULL`).join(" OR ")}`,
  );
  if (rules.registration_after_first_event) {
    report.flagged.registration_after_first_event = await count(
      conn,
      `SELECT count(*) FROM (SELECT "userId", min(ts) AS first_ts, max(registration) AS reg FROM events GROUP BY 1) WHERE reg > first_ts`,
    );
  }
}
