import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { SparkifyError, internalError } from "../../lib/errors";

const LIB = path.resolve(__dirname, "../../lib");
/** AssemblyScript sources compile to WebAssembly, where `new Error` aborts the module: not JavaScript errors. */
const NOT_TYPESCRIPT_ERRORS = /\/wasm\/assembly\//;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith(".ts") && !NOT_TYPESCRIPT_ERRORS.test(p) ? [p] : [];
  });
}

/** Lines of `text` that construct or throw a plain Error (not in comments, where @example code may). */
export function plainErrors(text: string): string[] {
  return text
    .split("\n")
    .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line))
    .filter((line) => /\bnew (Type|Range|Syntax|Reference|Eval|URI)?Error\(|\bthrow (Type|Range)?Error\(/.test(line.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '""')));
}

describe("errors: no plain Error thrown in lib/", () => {
  it("every error lib/ raises is a SparkifyError (internal invariants through internalError, code E_INTERNAL)", () => {
    const found = sources(LIB).flatMap((f) => plainErrors(fs.readFileSync(f, "utf8")).map((l) => `${path.relative(LIB, f)}: ${l.trim()}`));
    assert.deepEqual(found, [], "plain errors in lib/: make them SparkifyError with a code from docs/errors.md, or internalError for a bug");
  });

  it("the scan finds plain errors in code and ignores comments and strings", () => {
    assert.deepEqual(plainErrors('  if (x) throw new Error("boom");\n * throw new Error("in an @example");\n  fail(new RangeError(`n`));\n  say("new Error(")'), [
      '  if (x) throw new Error("boom");',
      "  fail(new RangeError(`n`));",
    ]);
  });

  it("internalError is a SparkifyError with code E_INTERNAL", () => {
    const e = internalError("a bug");
    assert.ok(e instanceof SparkifyError);
    assert.equal(e.code, "E_INTERNAL");
    assert.equal(e.message, "a bug");
  });
});
