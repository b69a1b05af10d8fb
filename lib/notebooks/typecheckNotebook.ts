import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../config";
import { cellSource, hasTag, readNotebook } from "./notebookFormat";

/** One type error in a notebook: the code cell (1-based among all cells), its line, and tsc's message. */
export interface NotebookTypeError {
  cell: number;
  line: number;
  message: string;
}

/**
 * Type-checks notebooks' code cells with the project's TypeScript, the way tslab compiles them
 * (one module per notebook, ES2022, top-level await, not strict), against the compiled library's
 * declarations in dist/, in one compiler run. Kernels that do not type-check (Deno's) rely on this
 * for type coverage. Returns the errors per file (an empty list for a clean notebook).
 */
export function notebooksTypeErrors(files: string[], root: string = PROJECT_ROOT): Map<string, NotebookTypeError[]> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-nbtypes-"));
  try {
    const origins = files.map((file, k) => {
      const nb = readNotebook(file);
      const lines: string[] = [];
      const origin: Array<{ cell: number; line: number }> = [];
      const notebookDir = path.dirname(path.resolve(file));
      nb.cells.forEach((c, i) => {
        if (c.cell_type !== "code" || hasTag(c, "injected-parameters")) return;
        // Imports relative to the notebook's folder become absolute, since the module lives elsewhere.
        const src = cellSource(c).replace(/(from\s+|import\s*\(\s*)(["'])(\.\.?\/[^"']+)\2/g, (_m, pre: string, q: string, rel: string) => `${pre}${q}${path.resolve(notebookDir, rel)}${q}`);
        src.split("\n").forEach((l, j) => {
          lines.push(l);
          origin.push({ cell: i + 1, line: j + 1 });
        });
      });
      lines.push("export {};");
      fs.writeFileSync(path.join(work, `notebook${k}.ts`), lines.join("\n") + "\n");
      return origin;
    });
    fs.writeFileSync(path.join(work, "tsconfig.json"), JSON.stringify({
      compilerOptions: {
        target: "ES2022", module: "ESNext", moduleResolution: "node", esModuleInterop: true, strict: false, noEmit: true, skipLibCheck: true,
        lib: ["ES2022", "DOM"], types: ["node"], typeRoots: [path.join(root, "node_modules", "@types")],
      },
      files: files.map((_, k) => `notebook${k}.ts`),
    }));
    const tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
    const r = spawnSync(process.execPath, [tsc, "-p", work, "--pretty", "false"], { encoding: "utf8", cwd: work });
    const out = new Map<string, NotebookTypeError[]>(files.map((f) => [f, []]));
    for (const l of `${r.stdout}${r.stderr}`.split("\n")) {
      const m = /^notebook(\d+)\.ts\((\d+),(\d+)\): error (TS\d+: .*)$/.exec(l.trim());
      if (m) {
        const o = origins[Number(m[1])][Number(m[2]) - 1] ?? { cell: 0, line: 0 };
        out.get(files[Number(m[1])])!.push({ cell: o.cell, line: o.line, message: m[4] });
      } else if (/error TS\d+/.test(l)) for (const list of out.values()) list.push({ cell: 0, line: 0, message: l.trim() });
    }
    return out;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Type errors of one notebook's code cells (see {@link notebooksTypeErrors}). */
export function notebookTypeErrors(file: string, root: string = PROJECT_ROOT): NotebookTypeError[] {
  return notebooksTypeErrors([file], root).get(file)!;
}
