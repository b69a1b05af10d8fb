import { MISSING } from "../models/encoding";
import type { ModelBundle } from "../models";

/** Values of one categorical feature that the model has no column for, in the table being scored. */
export interface UnseenCategory {
  feature: string;
  /** Rows (users) holding such a value. */
  rows: number;
  /** The distinct values, most frequent first (at most 5). */
  values: Array<{ value: string; rows: number }>;
}

/**
 * Counts, per categorical feature of the model, the rows whose value is not one of the model's
 * categories (unseen at training, or too rare there to get a column): the model scores them all
 * in its shared "(other)" column, so their reasons and probabilities rest on little evidence.
 */
export function unseenCategories(bundle: Pick<ModelBundle, "encoder">, rows: ReadonlyArray<Record<string, unknown>>): UnseenCategory[] {
  const enc = bundle.encoder;
  const out: UnseenCategory[] = [];
  for (const f of enc.features_ ?? []) {
    if (f.type !== "categorical") continue;
    const known = new Set(enc.categories_?.[f.name] ?? []);
    const counts = new Map<string, number>();
    for (const r of rows) {
      const v = r[f.name];
      const c = v === null || v === undefined || v === "" ? MISSING : String(v);
      if (!known.has(c)) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    if (counts.size === 0) continue;
    const values = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([value, n]) => ({ value, rows: n }));
    out.push({ feature: f.name, rows: values.reduce((s, v) => s + v.rows, 0), values: values.slice(0, 5) });
  }
  return out;
}

/** The warning lines `score` prints about a model and the table it scores (empty when none apply). */
export function scoringWarnings(bundle: Pick<ModelBundle, "encoder" | "mode">, rows: ReadonlyArray<Record<string, unknown>>, modelFile: string): string[] {
  const out: string[] = [];
  if (bundle.mode === "full-history") {
    out.push(
      `${modelFile} was trained in full-history mode (the classic set-up whose features see each churner's history up to the cancellation); ` +
        "scoring users who are active now is forward prediction, which it was not trained or evaluated for: its probabilities are likely overconfident. Train with --mode forward for scores you can act on.",
    );
  }
  for (const u of unseenCategories(bundle, rows)) {
    const vals = u.values.map((v) => `"${v.value}" ×${v.rows}`).join(", ");
    out.push(`${u.rows} of ${rows.length} users have a ${u.feature} the model has no column for (${vals}${u.values.length < u.rows && u.values.length === 5 ? ", …" : ""}); they are scored in its shared "(other)" column.`);
  }
  return out;
}
