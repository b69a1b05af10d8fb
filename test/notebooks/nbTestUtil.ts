import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The project's CLI entry point. */
export const BIN = path.resolve(__dirname, "../../bin/sparkify-churn.js");
/** Fixture notebook folders. */
export const FIXTURES = path.join(__dirname, "fixtures");

/** Debian's Python with nbformat/nbclient (the one on PATH may lack them). */
export const SYSTEM_PYTHON = "/usr/bin/python3";

/** Runs the CLI and returns its exit status and output. */
export function cli(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, ...env }, timeout: 900_000, cwd });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temporary folder. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Validates a notebook file against the nbformat 4 schema with Python's nbformat; returns the error text or "". */
export function nbformatErrors(file: string): string {
  const r = spawnSync(SYSTEM_PYTHON, ["-c", "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4)); print('valid')", file], { encoding: "utf8" });
  return r.status === 0 && r.stdout.includes("valid") ? "" : `${r.stdout}${r.stderr}`;
}

/** A code cell's outputs of an executed notebook, by the cell's position (0-based). */
export interface NbCell {
  cell_type: string;
  source: string | string[];
  metadata: { tags?: string[]; papermill?: Record<string, unknown> };
  execution_count?: number | null;
  outputs?: Array<{ output_type: string; name?: string; text?: string | string[]; data?: Record<string, unknown>; ename?: string; evalue?: string; traceback?: string[] }>;
}

/** Reads an executed notebook's cells. */
export function readCells(file: string): NbCell[] {
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { cells: NbCell[] }).cells;
}

/** All stream text of the given name in a notebook. */
export function streamText(cells: NbCell[], name: "stdout" | "stderr"): string {
  return cells.flatMap((c) => c.outputs ?? []).filter((o) => o.output_type === "stream" && o.name === name).map((o) => (Array.isArray(o.text) ? o.text.join("") : o.text ?? "")).join("");
}

/** An executed notebook as JSON (metadata and cells). */
export function readNotebookJson(file: string): { metadata: Record<string, unknown> & { papermill?: Record<string, unknown> }; cells: NbCell[] } {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

/** A cell's source as one string. */
export function sourceOf(cell: NbCell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}
