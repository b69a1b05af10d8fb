import { strict as assert } from "node:assert";
import * as path from "node:path";
import { coerceParameter, declaredParameters, injectParameters, isPathParameter, notebookParameters, parametersSource, parseParamArgs, parseParamValue, resolvePathValue, splitParamArgs } from "../../lib/notebooks/parameters";
import type { Notebook } from "../../lib/notebooks/notebookFormat";
import { cellSource, hasTag } from "../../lib/notebooks/notebookFormat";

function nb(cells: Notebook["cells"]): Notebook {
  return { nbformat: 4, nbformat_minor: 5, metadata: {}, cells };
}
const md = (s: string) => ({ cell_type: "markdown" as const, metadata: {}, source: s });
const code = (s: string, tags?: string[]) => ({ cell_type: "code" as const, metadata: tags ? { tags } : {}, source: s, outputs: [], execution_count: null });

describe("notebooks/parameters", () => {
  it("types values like papermill -p", () => {
    assert.equal(parseParamValue("42"), 42);
    assert.equal(parseParamValue("-0.25"), -0.25);
    assert.equal(parseParamValue("1e3"), 1000);
    assert.equal(parseParamValue("true"), true);
    assert.equal(parseParamValue("False"), false);
    assert.equal(parseParamValue("null"), null);
    assert.deepEqual(parseParamValue('["lr","gbt"]'), ["lr", "gbt"]);
    assert.equal(parseParamValue('"007"'), "007");
    assert.equal(parseParamValue("2018-11-15"), "2018-11-15");
    assert.equal(parseParamValue("data/x.jsonl"), "data/x.jsonl");
    assert.equal(parseParamValue("[not json"), "[not json");
  });

  it("parses key=value pairs, keeping '=' inside values, and rejects bad keys", () => {
    assert.deepEqual(parseParamArgs(["seed=7", "input=s3://b/k?a=b", "mode=forward"]), { seed: 7, input: "s3://b/k?a=b", mode: "forward" });
    assert.throws(() => parseParamArgs(["noequals"]), /--param expects key=value.*"noequals"/);
    assert.throws(() => parseParamArgs(["1x=2"]), /TypeScript identifier/);
  });

  it("finds declared names and type annotations in a parameters cell", () => {
    const d = declaredParameters('let input: string = "a";\nconst seed = 42;\nlet cutoff: string | null = null; // comment\n  let horizon: number=10;');
    assert.deepEqual([...d.entries()], [["input", "string"], ["seed", null], ["cutoff", "string | null"], ["horizon", "number"]]);
  });

  it("writes let re-declarations keeping declared types", () => {
    const src = parametersSource({ cutoff: "2018-11-01", seed: 3 }, new Map([["cutoff", "string | null"], ["seed", null]]));
    assert.equal(src, '// Parameters injected by sparkify-churn notebooks\nlet cutoff: string | null = "2018-11-01";\nlet seed = 3;\n');
  });

  it("inserts the injected-parameters cell right after the parameters cell and replaces an old one", () => {
    const original = nb([md("# t"), code("let seed: number = 1;", ["parameters"]), code("let seed = 99;", ["injected-parameters"]), code("seed")]);
    const { notebook, unknown, injectedIndex } = injectParameters(original, { seed: 5, extra: "x" });
    assert.equal(injectedIndex, 2);
    assert.equal(notebook.cells.length, 4, "the old injected cell is gone");
    assert.ok(hasTag(notebook.cells[2], "injected-parameters"));
    assert.equal(notebook.cells[2].id, "injected-parameters");
    assert.match(cellSource(notebook.cells[2]), /let seed: number = 5;\nlet extra = "x";/);
    assert.deepEqual(unknown, ["extra"]);
    assert.equal(original.cells.length, 4, "the input notebook is not modified");
    assert.equal(cellSource(original.cells[2]), "let seed = 99;");
  });

  it("inserts at the top when there is no parameters cell, and nothing without parameters", () => {
    assert.equal(injectParameters(nb([code("1")]), { a: 1 }).injectedIndex, 0);
    const none = injectParameters(nb([code("1", ["parameters"])]), {});
    assert.equal(none.injectedIndex, -1);
    assert.equal(none.notebook.cells.length, 1);
  });

  it("reads a parameters cell: names, declared types, literal defaults and the comment", () => {
    const p = notebookParameters(nb([code('let input: string = "";      // event logs\nlet folds: number = 5;\nlet include: string[] = [];  // extra inputs\nlet when = new Date();', ["parameters"])]));
    assert.deepEqual(p, [
      { name: "input", type: "string", value: "", help: "event logs" },
      { name: "folds", type: "number", value: 5, help: "" },
      { name: "include", type: "string[]", value: [], help: "extra inputs" },
      { name: "when", type: null, value: "new Date()", help: "" },
    ]);
    assert.deepEqual(notebookParameters(nb([code("let a = 1;")])), [], "no parameters cell, no parameters");
  });

  it("types command-line strings from the declared type, and names the parameter when a value cannot be that type", () => {
    const decl = (name: string, type: string | null) => ({ name, type, value: null, help: "" });
    assert.equal(coerceParameter("42", decl("cutoff", "string"), "04"), "42", "a string parameter stays a string");
    assert.equal(coerceParameter("42", decl("folds", "number"), "05"), 42);
    assert.equal(coerceParameter("true", decl("verbose", "boolean"), "01"), true);
    assert.deepEqual(coerceParameter("gender, state", decl("include", "string[]"), "05"), ["gender", "state"]);
    assert.deepEqual(coerceParameter('["gender"]', decl("include", "string[]"), "05"), ["gender"]);
    assert.equal(coerceParameter("null", decl("cutoff", "string | null"), "04"), null);
    assert.equal(coerceParameter("7", decl("seed", null), "05"), 7, "undeclared type: typed by shape, like papermill -p");
    assert.throws(() => coerceParameter("five", decl("folds", "number"), "05-model.ipynb"), /Parameter folds of 05-model\.ipynb is a number \(declared `number`\), got "five"/);
    assert.throws(() => coerceParameter("yes", decl("verbose", "boolean"), "01"), /true or false/);
    assert.throws(() => coerceParameter(3, decl("input", "string"), "01"), /of type string/);
  });

  it("splits key=value pairs into raw strings, and resolves relative paths against the caller's folder", () => {
    assert.deepEqual(splitParamArgs(["seed=7", "input=a=b.json"]), { seed: "7", input: "a=b.json" });
    assert.throws(() => splitParamArgs(["=3"]), /TypeScript identifier/);
    assert.ok(isPathParameter("input") && isPathParameter("out") && isPathParameter("model_path") && !isPathParameter("cutoff"));
    assert.equal(resolvePathValue("data/x.jsonl", "/home/me"), path.resolve("/home/me", "data/x.jsonl"));
    assert.equal(resolvePathValue("s3://bucket/prefix/", "/home/me"), "s3://bucket/prefix/");
    assert.equal(resolvePathValue("/abs/x.jsonl", "/home/me"), "/abs/x.jsonl");
    assert.equal(resolvePathValue("", "/home/me"), "", "empty means the default data set");
  });
});
