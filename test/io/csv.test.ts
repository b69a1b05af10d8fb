import { strict as assert } from "node:assert";
import { csvField, forEachCsvRecord, parseCsv } from "../../lib/io/csv";
import { SparkifyError } from "../../lib/errors";

describe("io/csv: the one CSV reader (features CSV, remote results)", () => {
  it("reads quoted fields, doubled quotes, CRLF, and tells NULL (unquoted empty) from an empty string", () => {
    assert.deepEqual(parseCsv('a,b,c\r\n"x, y","say ""hi""",\n"",1,"multi\nline"\n', "t.csv"), [
      ["a", "b", "c"],
      ["x, y", 'say "hi"', null],
      ["", "1", "multi\nline"],
    ]);
    assert.deepEqual(parseCsv("a\n1", "t.csv"), [["a"], ["1"]]);
  });

  it("skips blank lines and numbers each record by the line it starts on, across quoted line breaks", () => {
    const seen: Array<[number, string | null]> = [];
    forEachCsvRecord('h\n\n"two\nlines"\r\n\r\nlast\n', "t.csv", (cells, line) => seen.push([line, cells[0]]));
    assert.deepEqual(seen, [[1, "h"], [3, "two\nlines"], [6, "last"]]);
    assert.deepEqual(parseCsv('"",x\n', "t.csv"), [["", "x"]], "a quoted empty field is a value, not a blank line");
  });

  it("names the file and line of an unclosed quote or text after a quoted field, with the code the caller gives", () => {
    assert.throws(() => parseCsv('a,b\n"x"y,1\n', "t.csv"), (e: SparkifyError) => e.code === "E_INPUT_FORMAT" && /^t\.csv:2: unexpected character after a quoted field/.test(e.message));
    assert.throws(() => parseCsv('a\n"open\n', "out/part-0.csv", { code: "E_REMOTE_OUTPUT" }), (e: SparkifyError) => e.code === "E_REMOTE_OUTPUT" && /^out\/part-0\.csv:2: a quoted field is not closed/.test(e.message));
  });

  it("writes fields (features.csv, scores.csv, --truth) that the reader gives back exactly, missing values included", () => {
    const values = ["plain", "", " lead", "trail ", "a,b", 'say "hi"', "two\nlines", "cr\rhere", null, 3.25, -0, true];
    const line = values.map((v) => csvField(v)).join(",");
    const [back] = parseCsv(`${line}\n`, "t.csv");
    assert.deepEqual(back, values.map((v) => (v === null ? null : String(v))));
    assert.equal(csvField(undefined), "");
    assert.equal(csvField("plain"), "plain"); // no quotes where none are needed: files stay diff-friendly
  });
});
