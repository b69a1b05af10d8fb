import { strict as assert } from "node:assert";
import * as dfd from "danfojs";
import { formatCell, tableHtml, tableText, toPlainTable } from "../../lib/notebooks/formatTable";

describe("notebooks/formatTable", () => {
  it("reads a danfo DataFrame's columns, rows and index", () => {
    const df = new dfd.DataFrame([{ user: "a", p: 0.5 }, { user: "b<script>", p: 0.25 }]);
    const t = toPlainTable(df);
    assert.deepEqual(t.columns, ["user", "p"]);
    assert.deepEqual(t.rows, [["a", 0.5], ["b<script>", 0.25]]);
    const html = tableHtml(t);
    assert.match(html, /<table border="1" class="dataframe">/);
    assert.match(html, /<td>b&lt;script&gt;<\/td>/);
    assert.equal(tableText(t), "        user     p\n0          a   0.5\n1  b<script>  0.25");
  });

  it("takes row objects with differing keys, and elides long tables with a count", () => {
    const rows = Array.from({ length: 7 }, (_, i) => (i === 3 ? { a: i, b: "x" } : { a: i }));
    const t = toPlainTable(rows, 4);
    assert.deepEqual(t.columns, ["a", "b"]);
    assert.deepEqual(t.rows.map((r) => r[0]), [0, 1, 5, 6]);
    assert.deepEqual(t.index, [0, 1, 5, 6]);
    assert.equal(t.totalRows, 7);
    assert.match(tableText(t), /…[\s\S]*\[7 rows x 2 columns\]$/);
    assert.match(tableHtml(t), /<p>7 rows × 2 columns<\/p>$/);
  });

  it("formats cells compactly and rejects what is not a table", () => {
    assert.equal(formatCell(null), "");
    assert.equal(formatCell(1 / 3), "0.333333");
    assert.equal(formatCell(10n), "10");
    assert.throws(() => toPlainTable(42), /expected a danfo DataFrame or an array of row objects/);
    assert.throws(() => toPlainTable([1, 2]), /rows must be objects/);
  });
});
