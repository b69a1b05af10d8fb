import { strict as assert } from "node:assert";
import * as dfd from "danfojs";
import { describe as describeTable } from "../../lib/notebooks/describe";
import { formatCell, formatNumber, isEpochMsColumn, tableHtml, tableText, toPlainTable } from "../../lib/notebooks/formatTable";

describe("notebooks/formatTable (the display layer)", () => {
  it("reads a danfo DataFrame's columns, rows and index, escaping HTML", () => {
    const df = new dfd.DataFrame([{ user: "a", p: 0.5 }, { user: "b<script>", p: 0.25 }]);
    const t = toPlainTable(df);
    assert.deepEqual(t.columns, ["user", "p"]);
    assert.deepEqual(t.rows, [["a", 0.5], ["b<script>", 0.25]]);
    const html = tableHtml(t);
    assert.match(html, /<table border="1" class="dataframe">/);
    assert.match(html, /<td>b&lt;script&gt;<\/td>/);
    assert.equal(tableText(t), "        user     p\n0          a   0.5\n1  b<script>  0.25");
  });

  it("shows null, NaN and bigint as such, rounds numbers for display only, cuts long text", () => {
    const big = 2n ** 64n + 1n;
    const rows = [{ a: null, b: NaN, c: big, d: 0.0754968, e: "x".repeat(100), f: undefined, g: 1234567.891, h: -Infinity }];
    const t = toPlainTable(rows);
    const text = tableText(t);
    assert.match(text, /\bnull\b/);
    assert.match(text, /\bNaN\b/);
    assert.ok(text.includes("18446744073709551617"), "a bigint keeps every digit");
    assert.match(text, /\b0\.0755\b/);
    assert.ok(!text.includes("0.0754968"));
    assert.ok(text.includes(`${"x".repeat(59)}…`) && !text.includes("x".repeat(60)), "long text is cut to 60 characters");
    assert.match(text, /\b1234568\b/);
    assert.match(text, /-inf/);
    assert.equal(rows[0].d, 0.0754968, "the data keeps full precision");
    assert.equal(formatNumber(1 / 3), "0.3333");
    assert.equal(formatNumber(123.456), "123.5");
    assert.equal(formatNumber(42), "42");
    assert.equal(formatCell(true), "true");
    assert.equal(formatCell(new Date(Date.UTC(2018, 9, 1, 12, 30, 5))), "2018-10-01T12:30:05Z");
    assert.equal(formatCell({ k: 1n }), '{"k":"1"}');
  });

  it("shows epoch-ms time columns as ISO dates (date only when all at midnight), leaves other numbers alone", () => {
    const day = Date.UTC(2018, 9, 1);
    const t = toPlainTable([
      { ts: day + 3_723_000, cutoff: day, registration: BigInt(day), n_events: day, recency_days: 3 },
      { ts: null, cutoff: day + 86_400_000, registration: day + 1000, n_events: 5, recency_days: 4 },
    ]);
    const lines = tableText(t).split("\n");
    assert.match(lines[1], /2018-10-01T01:02:03Z\s+2018-10-01\s+2018-10-01T00:00:00Z\s+1538352000000\s+3$/);
    assert.match(lines[2], /null\s+2018-10-02\s+2018-10-01T00:00:01Z\s+5\s+4$/);
    assert.equal(isEpochMsColumn("ts", [1, 2]), false, "small numbers are not times");
    assert.equal(isEpochMsColumn("value", [day]), false, "a name that does not say time");
    assert.equal(isEpochMsColumn("first_ts", [day, null]), true);
  });

  it("caps rows with a '… N more rows' line, in text and HTML", () => {
    const rows = Array.from({ length: 7 }, (_, i) => (i === 3 ? { a: i, b: "x" } : { a: i }));
    const t = toPlainTable(rows, 4);
    assert.deepEqual(t.columns, ["a", "b"]);
    assert.deepEqual(t.rows.map((r) => r[0]), [0, 1, 2, 3]);
    assert.equal(t.totalRows, 7);
    assert.match(tableText(t), /\n… 3 more rows$/);
    assert.match(tableHtml(t), /<p>… 3 more rows \(7 rows × 2 columns\)<\/p>$/);
    assert.doesNotMatch(tableText(toPlainTable(rows, 7)), /more row/);
    assert.match(tableText(toPlainTable(rows, 6)), /… 1 more row$/);
  });

  it("rejects what is not a table", () => {
    assert.throws(() => toPlainTable(42), /expected a danfo DataFrame or an array of row objects/);
    assert.throws(() => toPlainTable([1, 2]), /rows must be objects/);
  });
});

describe("notebooks/describe (summary statistics that skip nulls)", () => {
  // The case danfo fails on: a ratio that is null for a user with no songs before the cutoff.
  const rows = [
    { userId: "1", n_songs: 10, thumbs_down_per_song: 0.1, level: "paid" },
    { userId: "2", n_songs: 0, thumbs_down_per_song: null, level: "free" },
    { userId: "3", n_songs: 20, thumbs_down_per_song: 0.05, level: "free" },
    { userId: "4", n_songs: 30, thumbs_down_per_song: 0.3, level: "paid" },
  ];

  it("works where danfo's describe() throws, and matches pandas' figures", () => {
    const df = new dfd.DataFrame(rows);
    assert.throws(() => df.loc({ columns: ["n_songs", "thumbs_down_per_song"] }).describe(), /Cannot calculate mean, unexpected type of argument \(type: null/);
    const d = describeTable(df);
    assert.deepEqual(d.columns, ["n_songs", "thumbs_down_per_song"], "numeric columns only by default");
    assert.deepEqual(d.index, ["count", "nulls", "mean", "std", "min", "25%", "50%", "75%", "max"]);
    const col = (c: string) => (d.column(c).values as number[]);
    // pandas: pd.Series([0.1, None, 0.05, 0.3]).describe() → count 3, mean 0.15, std 0.132288, min 0.05, 25% 0.075, 50% 0.1, 75% 0.2, max 0.3
    const tds = col("thumbs_down_per_song");
    assert.deepEqual(tds.slice(0, 2), [3, 1]);
    const expected = [0.15, 0.1322875655532295, 0.05, 0.075, 0.1, 0.2, 0.3];
    tds.slice(2).forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-12, `${d.index[i + 2]}: ${v} vs ${expected[i]}`));
    assert.deepEqual(col("n_songs"), [4, 0, 15, 12.909944487358056, 0, 7.5, 15, 22.5, 30]);
    assert.match(tableText(toPlainTable(d)), /nulls\s+0\s+1\n/);
  });

  it("takes row objects and named columns; an all-null column gives NaN statistics; a text column is refused by name", () => {
    const d = describeTable([{ x: null }, { x: undefined }, { x: NaN }], ["x"]);
    assert.deepEqual((d.column("x").values as number[]).slice(0, 2), [0, 3]);
    assert.ok(Number.isNaN((d.column("x").values as number[])[2]));
    assert.throws(() => describeTable(rows, ["level"]), /column "level" is not numeric/);
    assert.throws(() => describeTable(rows, ["nope"]), /no column "nope"/);
  });
});
