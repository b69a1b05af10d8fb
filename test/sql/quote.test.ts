import * as assert from "node:assert/strict";
import { ident, literal } from "../../lib/sql";
import { duckRunner, type DuckRunner } from "../features/duckRunner";

// Names and values that end a naively quoted text early, or look like SQL.
const AWKWARD = ["plain", "it's", 'say "hi"', "a''b", '""', "x'); DROP TABLE t; --", "back\\slash", "ünïcødé 🎵", ""];

describe("sql/quote: the one quoting of identifiers and string literals", () => {
  let db: DuckRunner;
  before(async () => {
    db = await duckRunner();
  });
  after(() => db.close());

  it("doubles the quote it wraps in; backslashes only on request (Spark SQL)", () => {
    assert.equal(ident('a"b'), '"a""b"');
    assert.equal(literal("it's a\\b"), "'it''s a\\b'");
    assert.equal(literal("it's a\\b", { backslashEscapes: true }), "'it''s a\\\\b'");
  });

  it("every awkward text comes back from DuckDB as itself, as a column name and as a value", async () => {
    for (const text of AWKWARD.filter((t) => t !== "")) {
      const rows = await db.rows(`SELECT ${literal(text)} AS ${ident(text)}`);
      assert.deepEqual(rows, [{ [text]: text }], text);
    }
    assert.deepEqual(await db.rows(`SELECT ${literal("")} AS v`), [{ v: "" }]);
  });
});
