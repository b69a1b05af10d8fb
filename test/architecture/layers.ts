import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The layer order of lib/, lowest first: a folder may import only folders in a strictly lower layer.
 * docs/architecture.md describes the same table in words; this is the one place the test reads it from.
 * Top-level files (lib/errors.ts, lib/config.ts, lib/index.ts) count as folders named after the file.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ["errors", "config", "random", "threads", "progress"],
  ["events", "io"],
  ["inputs", "simulate", "models", "plots", "sql"],
  ["ingest"],
  ["store"],
  ["oracle", "eda"],
  ["features"],
  ["remote", "evaluation"],
  ["report", "eventSource"],
  ["notebooks"],
  ["pipeline"],
  ["cli"],
  ["index"],
];

/**
 * Imports that break the order today, as `importing file -> imported folder`. Each is a debt to remove
 * (issue 13); the test fails on any violation not listed here and on any listed pair that no longer exists,
 * so this list only shrinks.
 */
export const KNOWN_DEBTS: readonly string[] = [];

/** Packages that belong to one folder only (reading flags is the CLI's job), with today's exceptions. */
export const OWNED_PACKAGES: Readonly<Record<string, { owner: string; debts: readonly string[] }>> = {
  commander: {
    owner: "cli",
    debts: [],
  },
};

/** One import statement found in a lib file. */
export interface ImportEdge {
  file: string; // repository-relative, forward slashes
  line: number;
  specifier: string;
  fromFolder: string;
  toFolder: string | null; // null for a package import
}

const LIB = "lib";
const EXCLUDED = ["lib/ingest/scan/wasm/assembly/"]; // AssemblyScript, compiled separately

/** The layer index of a folder, or undefined if the table does not name it. */
export function layerOf(folder: string): number | undefined {
  const i = LAYERS.findIndex((layer) => layer.includes(folder));
  return i < 0 ? undefined : i;
}

/** The lib folder a repository-relative path under lib/ belongs to. */
export function folderOf(relPath: string): string {
  const parts = relPath.split("/");
  if (parts[0] !== LIB) throw new Error(`not under lib/: ${relPath}`);
  return parts.length === 2 ? parts[1].replace(/\.(ts|js|json)$/, "") : parts[1];
}

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listTs(p));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

// Static imports/exports (incl. `import type`), side-effect imports, dynamic import() and require().
const IMPORT_RE =
  /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*["']([^"']+)["']|\bimport\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|\brequire\s*\(\s*["']([^"']+)["']\s*\)/g;

/** Every import in a source text, with its 1-based line; comments are blanked first so examples in docs do not count. */
export function importsIn(source: string): { specifier: string; line: number }[] {
  const blanked = source.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (c) => c.replace(/[^\n]/g, " "));
  const found: { specifier: string; line: number }[] = [];
  for (const m of blanked.matchAll(IMPORT_RE)) {
    const specifier = m[1] ?? m[2] ?? m[3] ?? m[4];
    const line = blanked.slice(0, m.index).split("\n").length;
    found.push({ specifier, line });
  }
  return found;
}

/** All imports of every lib/**\/*.ts file under `root`, resolved to folders. */
export function libImports(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const abs of listTs(path.join(root, LIB))) {
    const file = path.relative(root, abs).split(path.sep).join("/");
    if (EXCLUDED.some((prefix) => file.startsWith(prefix))) continue;
    const fromFolder = folderOf(file);
    for (const { specifier, line } of importsIn(fs.readFileSync(abs, "utf8"))) {
      if (!specifier.startsWith(".")) {
        edges.push({ file, line, specifier, fromFolder, toFolder: null });
        continue;
      }
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
      if (!target.startsWith(`${LIB}/`)) continue; // e.g. ../package.json: not a lib folder
      edges.push({ file, line, specifier, fromFolder, toFolder: folderOf(target) });
    }
  }
  return edges;
}

/** The imports between lib folders that go against the layer order, as `file -> folder` with their lines. */
export function layerViolations(edges: readonly ImportEdge[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of edges) {
    if (e.toFolder === null || e.toFolder === e.fromFolder) continue;
    const from = layerOf(e.fromFolder);
    const to = layerOf(e.toFolder);
    if (from !== undefined && to !== undefined && to < from) continue;
    const key = `${e.file} -> ${e.toFolder}`;
    out.set(key, [...(out.get(key) ?? []), `${e.file}:${e.line} imports ${e.specifier}`]);
  }
  return out;
}
