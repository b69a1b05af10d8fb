import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import ts from "typescript";

// Every `@example` in a doc comment under lib/ is a program: this test takes each one out, writes it to a
// temporary folder as a module, type-checks them all with the project's settings, then runs each. An example
// that no longer compiles or no longer runs fails here, so examples cannot rot. An example imports what it
// uses from "./lib/..." (paths from the repository root, as a script beside package.json would).

const ROOT = path.resolve(__dirname, "..", "..");

/** One example: where it is, and its code. */
export interface DocExample {
  file: string;
  line: number;
  code: string;
}

/** Every .ts file under `dir`. */
function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

/** The `@example` blocks of one source text: from the tag to the next tag or the end of its doc comment. */
export function extractExamples(source: string, file: string): DocExample[] {
  const out: DocExample[] = [];
  for (const m of source.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const lines = m[0].split("\n").map((l) => l.replace(/^\s*\/?\*+\/?\s?/, "").replace(/\s*\*\/\s*$/, ""));
    const startLine = source.slice(0, m.index).split("\n").length;
    for (let i = 0; i < lines.length; i++) {
      const tag = /^@example\b\s?(.*)$/.exec(lines[i]);
      if (!tag) continue;
      const body = tag[1].trim() ? [tag[1]] : [];
      let j = i + 1;
      for (; j < lines.length && !lines[j].startsWith("@"); j++) body.push(lines[j]);
      out.push({ file, line: startLine + i, code: body.join("\n").trim() });
      i = j - 1;
    }
  }
  return out;
}

/** The module an example becomes: its imports (lib paths made absolute) on top, its body in an async run(). */
export function exampleModule(code: string): string {
  const lines = code.split("\n");
  const imports = lines.filter((l) => /^import\s/.test(l)).map((l) => l.replace(/from "\.\/lib(\/[^"]*)?"/, (_, rest: string | undefined) => `from ${JSON.stringify(path.join(ROOT, "lib", rest ?? ""))}`));
  const body = lines.filter((l) => !/^import\s/.test(l));
  return [...imports, "", "export async function run(): Promise<void> {", ...body.map((l) => `  ${l}`), "}", ""].join("\n");
}

/** Type errors of the given files, compiled with the project's settings (output paths aside). */
function typeErrors(files: string[]): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, "tsconfig.json"), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, "\n")),
  });
  assert.ok(parsed);
  const options = { ...parsed.options, noEmit: true, incremental: false, rootDir: undefined, outDir: undefined };
  const program = ts.createProgram(files, options);
  return files.flatMap((f) =>
    ts.getPreEmitDiagnostics(program, program.getSourceFile(f)).map((d) => {
      const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      return `${path.basename(f)}${at ? `:${at.line + 1}` : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    }),
  );
}

const examples = tsFiles(path.join(ROOT, "lib")).flatMap((f) => extractExamples(fs.readFileSync(f, "utf8"), path.relative(ROOT, f)));

describe("architecture: every @example in lib/ compiles and runs", function () {
  this.timeout(600_000);
  let dir = "";
  const fileOf = new Map<DocExample, string>();

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-examples-"));
    examples.forEach((ex, k) => {
      const file = path.join(dir, `${k}-${ex.file.replace(/[\\/]/g, "_").replace(/\.ts$/, "")}-${ex.line}.ts`);
      fs.writeFileSync(file, exampleModule(ex.code));
      fileOf.set(ex, file);
    });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("finds the examples, tag and body, and turns them into modules", () => {
    assert.ok(examples.length >= 15, `only ${examples.length} examples found`);
    const found = extractExamples('/**\n * Adds.\n * @example\n * import { a } from "./lib/x";\n * a(1);\n * @returns nothing\n */\n/** @example b(2) */', "x.ts");
    assert.deepEqual(found.map((e) => e.code), ['import { a } from "./lib/x";\na(1);', "b(2)"]);
    const mod = exampleModule(found[0].code);
    assert.ok(mod.startsWith(`import { a } from ${JSON.stringify(path.join(ROOT, "lib", "x"))};`), mod);
    assert.match(mod, /export async function run\(\): Promise<void> \{\n {2}a\(1\);\n\}/);
  });

  it("type-checks every example (each imports what it uses)", () => {
    assert.deepEqual(typeErrors([...fileOf.values()]), []);
  });

  it("reports a type error in an example that misuses an API (the check can fail)", () => {
    const bad = path.join(dir, "bad.ts");
    fs.writeFileSync(bad, exampleModule('import { selectBest } from "./lib/evaluation/selectBest";\nselectBest({ a: { auc: "high" } }, "auc");'));
    assert.ok(typeErrors([bad]).length > 0, "a wrong call type-checked");
    fs.rmSync(bad);
  });

  for (const ex of examples) {
    it(`runs ${ex.file}:${ex.line}`, async () => {
      // require, not import(): mocha loads tsx's CommonJS hook, which compiles the .ts module on the way in.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(fileOf.get(ex) as string) as { run(): Promise<void> };
      await mod.run();
    });
  }
});
