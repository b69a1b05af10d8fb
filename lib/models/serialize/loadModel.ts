import * as fs from "node:fs";
import { SparkifyError } from "../../errors";
import type { ModelBundle } from "./ModelBundle";
import { bundleFromJSON } from "./saveModel";

/**
 * Reads a bundle written by saveModel. Fails with a SparkifyError naming the file when it is missing,
 * not JSON (with the parser's position), of another format version, or of an unknown kind.
 * @example
 * const bundle = loadModel("out/models/gbt.json");
 */
export function loadModel(file: string): ModelBundle {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SparkifyError(code === "ENOENT" ? "E_INPUT_MISSING" : "E_INPUT_UNREADABLE", `${file}: cannot read the model file (${code ?? String(err)})`, { cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new SparkifyError("E_MODEL_DAMAGED", `${file}: damaged model file, not valid JSON (${(err as Error).message})`, { cause: err });
  }
  return bundleFromJSON(raw, file);
}
