import * as fs from "node:fs";
import { SparkifyError } from "../errors";
import { writeFileAtomic } from "../io";

/** One output of a code cell (nbformat 4). */
export type CellOutput =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: string }
  | { output_type: "display_data"; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { output_type: "execute_result"; data: Record<string, unknown>; metadata: Record<string, unknown>; execution_count: number | null }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

/** A notebook cell (nbformat 4); `source` may be a string or a list of lines. */
export interface Cell {
  cell_type: "code" | "markdown" | "raw";
  id?: string;
  metadata: Record<string, unknown> & { tags?: string[] };
  source: string | string[];
  outputs?: CellOutput[];
  execution_count?: number | null;
  attachments?: Record<string, unknown>;
}

/** A Jupyter notebook (nbformat 4). */
export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: Cell[];
}

/** The kernelspec and language info of tslab notebooks, written into executed copies. */
export const TSLAB_METADATA = {
  kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" },
  language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript", codemirror_mode: { name: "javascript", typescript: true } },
};

/** Reads and checks a notebook file; errors name the file and what is wrong. */
export function readNotebook(file: string): Notebook {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new SparkifyError("E_NOTEBOOK_MISSING", `Cannot read notebook ${file}: ${(err as Error).message}`);
  }
  let nb: Notebook;
  try {
    nb = JSON.parse(text) as Notebook;
  } catch (err) {
    throw new SparkifyError("E_NOTEBOOK_INVALID", `${file} is not a notebook: invalid JSON (${(err as Error).message}).`);
  }
  if (!nb || typeof nb !== "object" || nb.nbformat !== 4 || !Array.isArray(nb.cells)) {
    throw new SparkifyError("E_NOTEBOOK_INVALID", `${file} is not an nbformat 4 notebook (nbformat ${JSON.stringify((nb as { nbformat?: unknown })?.nbformat)}).`);
  }
  nb.cells.forEach((c, i) => {
    if (!["code", "markdown", "raw"].includes(c?.cell_type) || (typeof c.source !== "string" && !Array.isArray(c.source))) {
      throw new SparkifyError("E_NOTEBOOK_INVALID", `${file}: cell ${i + 1} is malformed (needs cell_type code/markdown/raw and a source).`);
    }
    c.metadata ??= {};
  });
  nb.metadata ??= {};
  return nb;
}

/** A cell's source as one string. */
export function cellSource(cell: Cell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/** Splits text into nbformat's list-of-lines form (each line keeps its newline). */
export function toLines(text: string): string[] {
  return text.split(/(?<=\n)/).filter((l) => l !== "");
}

/** True when the cell carries the tag. */
export function hasTag(cell: Cell, tag: string): boolean {
  return Array.isArray(cell.metadata?.tags) && cell.metadata.tags.includes(tag);
}

/** Writes a notebook as indented JSON (one space, as Jupyter does), whole or not at all (lib/io). */
export function writeNotebook(file: string, nb: Notebook): void {
  writeFileAtomic(file, JSON.stringify(nb, null, 1) + "\n");
}
