import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { cellSource, readNotebook, toLines, writeNotebook } from "../../lib/notebooks/notebookFormat";
import { FIXTURES, tempDir } from "./nbTestUtil";

describe("notebooks/notebookFormat", () => {
  it("reads a notebook and writes it back unchanged in content", () => {
    const nb = readNotebook(path.join(FIXTURES, "ok", "01-first.ipynb"));
    assert.equal(nb.nbformat, 4);
    assert.match(cellSource(nb.cells[1]), /^let out: string = /);
    const out = path.join(tempDir("sparkify-nbf-"), "copy.ipynb");
    writeNotebook(out, nb);
    assert.deepEqual(readNotebook(out), nb);
  });

  it("names the file and the problem for broken notebooks", () => {
    const dir = tempDir("sparkify-nbf-bad-");
    const write = (name: string, text: string) => {
      fs.writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    assert.throws(() => readNotebook(path.join(dir, "missing.ipynb")), /Cannot read notebook .*missing\.ipynb/);
    assert.throws(() => readNotebook(write("a.ipynb", "{not json")), /a\.ipynb is not a notebook: invalid JSON/);
    assert.throws(() => readNotebook(write("b.ipynb", '{"nbformat": 3, "cells": []}')), /b\.ipynb is not an nbformat 4 notebook \(nbformat 3\)/);
    assert.throws(() => readNotebook(write("c.ipynb", '{"nbformat": 4, "cells": [{"cell_type": "code"}]}')), /c\.ipynb: cell 1 is malformed/);
  });

  it("splits text into nbformat lines keeping newlines", () => {
    assert.deepEqual(toLines("a\nb\n\nc"), ["a\n", "b\n", "\n", "c"]);
  });
});
