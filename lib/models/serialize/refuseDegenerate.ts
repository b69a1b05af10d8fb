import { SparkifyError } from "../../errors";
import type { SavedModel } from "../types";

function numbers(v: unknown): number[] | null {
  return Array.isArray(v) && v.every((x) => typeof x === "number" || x === null) ? (v as number[]) : null;
}

/**
 * Refuses a saved model that would score nonsense without failing: a logistic regression with a zero,
 * negative or non-finite scale (every probability becomes 0 or 1) or non-finite coefficients; a
 * forest or boosted model with no trees, an empty tree, or non-finite leaf values. `source` names the
 * file in the message (E_MODEL_DAMAGED). Other kinds pass.
 */
export function refuseDegenerate(model: SavedModel | undefined, source: string): void {
  if (!model || typeof model !== "object") return;
  const fail = (why: string): never => {
    throw new SparkifyError("E_MODEL_DAMAGED", `${source}: degenerate model refused: ${why}; retrain it`);
  };
  const state = (model as { state?: Record<string, unknown> }).state ?? {};
  if (model.kind === "lr") {
    const scale = numbers(state.scale);
    const mean = numbers(state.mean);
    const coef = numbers(state.coefStd);
    if (!scale || !mean || !coef) return; // LogisticRegression.fromJSON names the damage
    const bad = scale.findIndex((s) => !(typeof s === "number" && Number.isFinite(s) && s > 0));
    if (bad >= 0) fail(`column ${bad + 1}${nameOf(state, bad)} has scale ${String(scale[bad])} (must be a positive number: dividing by it makes every probability 0 or 1)`);
    const m = mean.findIndex((x) => !(typeof x === "number" && Number.isFinite(x)));
    if (m >= 0) fail(`column ${m + 1}${nameOf(state, m)} has mean ${String(mean[m])}`);
    const c = coef.findIndex((x) => !(typeof x === "number" && Number.isFinite(x)));
    if (c >= 0) fail(`coefficient ${c + 1}${nameOf(state, c)} is ${String(coef[c])}`);
    if (typeof state.interceptStd === "number" && !Number.isFinite(state.interceptStd)) fail(`the intercept is ${state.interceptStd}`);
    return;
  }
  if (model.kind === "rf" || model.kind === "gbt") {
    const trees = state.trees as { treeOffsets?: unknown; value?: unknown } | undefined;
    const offsets = numbers(trees?.treeOffsets);
    if (!offsets) return; // flatTreesFromJSON names the damage
    if (offsets.length < 2) fail("it holds no trees");
    for (let k = 0; k + 1 < offsets.length; k++) if (!(offsets[k + 1] > offsets[k])) fail(`tree ${k + 1} of ${offsets.length - 1} is empty (no nodes)`);
    const values = numbers(trees?.value);
    const v = values ? values.findIndex((x) => !(typeof x === "number" && Number.isFinite(x))) : -1;
    if (v >= 0) fail(`node ${v} has value ${String(values![v])}`);
  }
}

function nameOf(state: Record<string, unknown>, j: number): string {
  const cols = state.columns;
  return Array.isArray(cols) && typeof cols[j] === "string" ? ` ("${cols[j]}")` : "";
}
