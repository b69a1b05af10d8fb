import { strict as assert } from "node:assert";
import { parseCsv } from "../../lib/remote/parseCsv";

describe("remote/parseCsv", () => {
  it("reads quoted fields, doubled quotes, CRLF, and tells NULL (unquoted empty) from an empty string", () => {
    assert.deepEqual(parseCsv('a,b,c\r\n"x, y","say ""hi""",\n"",1,"multi\nline"\n', "t.csv"), [
      ["a", "b", "c"],
      ["x, y", 'say "hi"', null],
      ["", "1", "multi\nline"],
    ]);
    assert.deepEqual(parseCsv("a\n1", "t.csv"), [["a"], ["1"]]);
  });

  it("names the file and line of an unclosed quote or text after a quoted field", () => {
    assert.throws(() => parseCsv('a,b\n"x"y,1\n', "t.csv"), /t\.csv, line 2: unexpected character after a quoted field/);
    assert.throws(() => parseCsv('a\n"open\n', "out/part-0.csv"), /out\/part-0\.csv, line 2: a quoted field is not closed/);
  });
});
