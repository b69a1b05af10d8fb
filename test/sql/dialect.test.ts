import * as assert from "node:assert/strict";
import { SQL_DIALECTS, sqlFor } from "../../lib/sql";
import { duckRunner, type DuckRunner } from "../features/duckRunner";
import { DUCKDB_MACROS } from "./duckdbMacros";

describe("sql/dialect", () => {
  let db: DuckRunner;
  before(async () => {
    db = await duckRunner();
    for (const m of [...DUCKDB_MACROS.spark, ...DUCKDB_MACROS.trino]) await db.exec(m);
  });
  after(() => db.close());
  const one = async (expr: string): Promise<unknown> => (await db.rows(`SELECT ${expr} AS v`))[0].v;

  it("string literals: quotes doubled everywhere, backslashes escaped for Spark only", () => {
    assert.equal(sqlFor("duckdb").str("it's a\\b"), "'it''s a\\b'");
    assert.equal(sqlFor("trino").str("it's a\\b"), "'it''s a\\b'");
    assert.equal(sqlFor("spark").str("it's a\\b"), "'it''s a\\\\b'");
  });

  it("string type: STRING in Spark, VARCHAR elsewhere", () => {
    assert.equal(sqlFor("spark").toString("x"), "CAST(x AS STRING)");
    assert.equal(sqlFor("trino").toString("x"), "CAST(x AS VARCHAR)");
  });

  for (const d of SQL_DIALECTS) {
    describe(d, () => {
      const sql = sqlFor(d);
      it("ratio is a DOUBLE (no integer division) and NULL over zero, never NaN", async () => {
        assert.equal(await one(sql.ratio("CAST(5 AS BIGINT)", "CAST(2 AS BIGINT)")), 2.5);
        assert.equal(await one(sql.ratio("0", "0")), null);
        assert.equal(await one(sql.ratio("1", "NULL")), null);
      });
      it("utcDay is the UTC day number, whatever the time of day", async () => {
        assert.equal(Number(await one(sql.utcDay(String(Date.UTC(2018, 9, 1, 23, 59, 59, 999))))), 17805);
        assert.equal(Number(await one(sql.utcDay(String(Date.UTC(2018, 9, 2))))), 17806);
      });
      it("regexExtract is NULL without a match", async () => {
        assert.equal(await one(sql.regexExtract("'Quincy, IL-MO'", ", ([A-Z][A-Z])(-[A-Z][A-Z])*$", 1)), "IL");
        assert.equal(await one(sql.regexExtract("'Nowhere'", ", ([A-Z][A-Z])(-[A-Z][A-Z])*$", 1)), null);
      });
      it("countIf counts 0 over no match; maxBy skips NULL values", async () => {
        const [r] = await db.rows(`SELECT ${sql.countIf("x > 5")} AS c, ${sql.maxBy("y", "x")} AS m, ${sql.countDistinct("y")} AS d FROM (SELECT 1 AS x, 'a' AS y UNION ALL SELECT 2, NULL) t`);
        assert.deepEqual(r, { c: 0, m: "a", d: 1 });
      });
      it("hash64 keeps distinct strings distinct and NULL null", async () => {
        const [r] = await db.rows(`SELECT COUNT(DISTINCT ${sql.hash64("x")}) AS d, COUNT(${sql.hash64("x")}) AS n FROM (SELECT 'a' AS x UNION ALL SELECT 'b' UNION ALL SELECT 'a' UNION ALL SELECT NULL) t`);
        assert.deepEqual(r, { d: 2, n: 3 });
      });
      it("cte is inlined: NOT MATERIALIZED in DuckDB only", () => {
        assert.equal(sql.cte("x", "SELECT 1"), d === "duckdb" ? "x AS NOT MATERIALIZED (\nSELECT 1\n)" : "x AS (\nSELECT 1\n)");
      });
      it("contains refuses LIKE wildcards in the needle; bigint refuses fractions", () => {
        assert.throws(() => sql.contains("ua", "50%"));
        assert.throws(() => sql.bigint(1.5));
        assert.equal(sql.contains("ua", "iPad"), "ua LIKE '%iPad%'");
      });
    });
  }
});
