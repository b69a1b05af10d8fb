import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { typeErrorsOf } from "../helpers/typeCheckSource";
import { ERROR_CODES, isErrorCode } from "../../lib/errors";
import { EXIT, EXIT_CODES } from "../../lib/cli/exitCodes";

const ROOT = path.resolve(__dirname, "../..");
const DOC = path.join(ROOT, "docs/errors.md");

/** Type errors of `source` as a file in the repository root (see typeErrorsOf). */
function typeErrors(source: string): string[] {
  return typeErrorsOf(source, "errors-example.ts");
}

/** The rows of the markdown table under `heading` in docs/errors.md, as arrays of cell texts. */
function tableRows(heading: string): string[][] {
  const text = fs.readFileSync(DOC, "utf8");
  const start = text.indexOf(`\n## ${heading}\n`);
  assert.ok(start >= 0, `docs/errors.md has a "## ${heading}" section`);
  const next = text.indexOf("\n## ", start + 1);
  const section = text.slice(start, next < 0 ? undefined : next);
  return section
    .split("\n")
    .filter((l) => l.startsWith("|") && !/^\|[-| ]+\|$/.test(l))
    .slice(1) // the header row
    .map((l) => l.slice(1, -1).split(" | ").map((c) => c.trim()));
}

function duplicates(xs: readonly string[]): string[] {
  return xs.filter((x, i) => xs.indexOf(x) !== i);
}

describe("error codes: one closed list, documented once", () => {
  const rows = tableRows("Codes");
  const documented = rows.map((r) => r[0].replace(/^`|`$/g, ""));

  it("docs/errors.md documents every code of ERROR_CODES, once, and no other", () => {
    assert.deepEqual(duplicates(documented), [], "codes documented twice");
    assert.deepEqual(duplicates([...ERROR_CODES]), [], "codes listed twice in ERROR_CODES");
    assert.deepEqual(ERROR_CODES.filter((c) => !documented.includes(c)), [], "codes without a row in docs/errors.md");
    assert.deepEqual(documented.filter((c) => !isErrorCode(c)), [], "rows in docs/errors.md for codes not in ERROR_CODES");
  });

  it("each row says what happened and what to do, and gives the exit status EXIT_CODES gives", () => {
    for (const [code, what, todo, exit] of rows) {
      assert.ok(what && what.length > 20, `${code}: what happened`);
      assert.ok(todo && todo.length > 8, `${code}: what to do`);
      const c = code.replace(/^`|`$/g, "");
      if (isErrorCode(c)) assert.equal(Number(exit), EXIT_CODES[c], `${c}: exit status in docs/errors.md vs lib/cli/exitCodes.ts`);
    }
  });

  it("the exit-status table lists exactly the statuses the CLI uses", () => {
    const listed = tableRows("Exit statuses").map((r) => Number(r[0]));
    assert.deepEqual([...listed].sort((a, b) => a - b), [...new Set(Object.values(EXIT))].sort((a, b) => a - b));
  });

  it("tsc rejects a code that is not listed, and type-checks the example in docs/errors.md", function () {
    this.timeout(120_000);
    const unknown = typeErrors('import { SparkifyError } from "./lib";\nexport const e = new SparkifyError("E_NO_SUCH_CODE", "x");\n');
    assert.ok(unknown.some((m) => /"E_NO_SUCH_CODE"/.test(m)), `an unknown code type-checked: ${unknown.join("; ")}`);
    const example = /```ts\n([\s\S]*?)```/.exec(fs.readFileSync(DOC, "utf8"));
    assert.ok(example, "docs/errors.md has a ```ts example");
    assert.deepEqual(typeErrors(`${example[1]}export { openOr };\n`), []);
  });

  it("every code is raised somewhere in lib/ (a code nothing throws is not part of the vocabulary)", () => {
    const texts = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) return texts(p);
        if (!e.name.endsWith(".ts") || p.endsWith(path.join("cli", "exitCodes.ts"))) return [];
        const text = fs.readFileSync(p, "utf8");
        // lib/errors.ts lists every code once; only its helpers (internalError, NotFittedError) count as raising.
        return [p.endsWith(path.join("lib", "errors.ts")) ? text.replace(/export const ERROR_CODES = \[[\s\S]*?\] as const;/, "") : text];
      });
    const lib = texts(path.join(ROOT, "lib")).join("\n");
    assert.deepEqual(ERROR_CODES.filter((c) => !lib.includes(`"${c}"`)), [], "codes nothing in lib/ raises");
  });

  it("codes are spelled E_ and upper-case words", () => {
    for (const c of ERROR_CODES) assert.match(c, /^E_[A-Z0-9]+(_[A-Z0-9]+)*$/);
  });
});
