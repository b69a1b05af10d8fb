import { strict as assert } from "node:assert";
import * as path from "node:path";
import ts from "typescript";

const ROOT = path.resolve(__dirname, "..", "..");

/**
 * Type errors of `source` compiled in memory as the file `name` in the repository root, with the project's
 * tsconfig.json settings: how the tests check code shown in docs (README's script, docs/errors.md's example).
 */
export function typeErrorsOf(source: string, name: string): string[] {
  const file = path.join(ROOT, name);
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, "tsconfig.json"), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, "\n")),
  });
  assert.ok(parsed);
  const options = { ...parsed.options, noEmit: true, incremental: false };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, lang, ...rest) =>
    path.resolve(fileName) === file ? ts.createSourceFile(fileName, source, lang) : getSourceFile(fileName, lang, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => path.resolve(fileName) === file || fileExists(fileName);
  const program = ts.createProgram([file], options, host);
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map((d) => `${d.start ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}
