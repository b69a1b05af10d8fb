import * as fs from "node:fs";
import { SparkifyError } from "../../errors";
import type { ModelBundle } from "./ModelBundle";
import { bundleFromJSON } from "./saveModel";

/**
 * Reads a bundle written by saveModel. Fails with a SparkifyError naming the file when it is missing,
 * not JSON (with the parser's position), of another format version, or of an unknown kind.
 * @example
 * import * as fs from "node:fs";
 * import * as os from "node:os";
 * import * as path from "node:path";
 * import { trainAndEvaluate } from "./lib/evaluation";
 * import { loadModel, saveModel } from "./lib/models";
 * // A small feature table in the shape computeFeatures gives: one row per user, the label in `churn`.
 * const rows = Array.from({ length: 120 }, (_, i) => ({ userId: `u${i}`, songs: (i * 37) % 100, level: i % 3 ? "paid" : "free", churn: (i * 37) % 100 < 30 ? 1 : 0 }));
 * const dictionary = [{ name: "songs", type: "numeric" as const }, { name: "level", type: "categorical" as const }];
 * const table = { columns: ["userId", "songs", "level", "churn"], rows, dictionary, mode: "full-history" };
 * const { fitted } = await trainAndEvaluate(table, { models: ["gbt"], folds: 3, search: false, jobs: 1 });
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), "models-"));
 * saveModel(path.join(dir, "gbt.json"), fitted.gbt!); // what `sparkify-churn run` writes to out/models/
 * const bundle = loadModel(path.join(dir, "gbt.json"));
 * if (bundle.kind !== "gbt" || bundle.featureColumns.join() !== fitted.gbt!.featureColumns.join()) throw new Error("not the same model");
 * fs.rmSync(dir, { recursive: true });
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
