// A synthetic feature table with a realistic shape for tests and the models benchmark: 36 numeric
// (count-like, skewed, some missing), 2 binary and 2 categorical features, ~20% positives, and a
// label with non-linear structure (thresholds, an interaction) so trees can beat a linear model.
import { createRng } from "../../lib/random";
import type { Cell, FeatureTableLike } from "../../lib/evaluation/types";

/** Options of syntheticTable. */
export interface SyntheticOptions {
  users: number;
  /** Rows per user (several cutoffs per user); default 1. */
  rowsPerUser?: number;
  seed: number;
  positiveRate?: number;
  /** Numeric features (default 36). */
  numeric?: number;
}

/** Builds the table; the label's logit shift is solved so the positive share is positiveRate. */
export function syntheticTable(o: SyntheticOptions): FeatureTableLike {
  const rng = createRng(o.seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const nNum = o.numeric ?? 36;
  const per = o.rowsPerUser ?? 1;
  const devices = ["Windows", "Mac", "iPhone", "iPad", "Linux", "Android"];
  const states = Array.from({ length: 30 }, (_, k) => `S${k}`);
  const rows: Array<Record<string, Cell>> = [];
  const logits: number[] = [];
  for (let u = 0; u < o.users; u++) {
    const e = gauss(); // latent engagement shared by a user's rows
    const base = Array.from({ length: nNum }, (_, k) => (k < 12 ? 0.6 * e + 0.8 * gauss() : gauss()));
    const device = devices[Math.min(devices.length - 1, Math.floor(-Math.log(1 - rng.next()) * 1.5))];
    const state = states[Math.min(states.length - 1, Math.floor(-Math.log(1 - rng.next()) * 6))];
    const female = rng.next() < 0.48 ? 1 : 0;
    for (let r = 0; r < per; r++) {
      const z = base.map((b) => b + (per > 1 ? 0.3 * gauss() : 0));
      const paid = rng.next() < 0.55 + 0.1 * Math.tanh(z[0]) ? 1 : 0;
      const row: Record<string, Cell> = { userId: `u${u}`, cutoff: `2018-11-${String(1 + r * 7).padStart(2, "0")}` };
      for (let k = 0; k < nNum; k++) {
        const missing = k % 9 === 4 && rng.next() < 0.08;
        row[`f${k}`] = missing ? null : k % 3 === 0 ? Math.round(Math.exp(1.5 + 0.8 * z[k])) : Math.round(z[k] * 1000) / 1000;
      }
      row.paid = paid;
      row.female = female;
      row.device = device;
      row.state = state;
      const s =
        -1.2 * Math.tanh(1.5 * z[0]) + 0.9 * (z[1] > 0.8 ? 1 : 0) + 0.8 * (z[2] > 0.3 && z[3] > 0 ? 1 : 0) + 0.6 * z[4] * z[5] -
        0.5 * (z[6] * z[6] - 1) + 0.6 * z[7] - 0.5 * z[8] + 0.4 * z[9] + 0.7 * (1 - paid) + (device === "Linux" ? 0.8 : 0) + (state === "S3" ? 0.5 : 0);
      logits.push(1.6 * s);
      rows.push(row);
    }
  }
  // solve the shift b so that mean σ(s + b) = positiveRate, then draw labels
  const target = o.positiveRate ?? 0.2;
  let lo = -20;
  let hi = 20;
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    const m = logits.reduce((a, z) => a + 1 / (1 + Math.exp(-(z + mid))), 0) / logits.length;
    if (m < target) lo = mid;
    else hi = mid;
  }
  rows.forEach((row, i) => (row.churn = rng.next() < 1 / (1 + Math.exp(-(logits[i] + lo))) ? 1 : 0));
  const dictionary: FeatureTableLike["dictionary"] = [
    ...Array.from({ length: nNum }, (_, k) => ({ name: `f${k}`, type: "numeric" as const, description: `synthetic feature ${k}`, group: "synthetic" })),
    { name: "paid", type: "binary", description: "paid level at cutoff", group: "profile" },
    { name: "female", type: "binary", description: "gender", group: "profile" },
    { name: "device", type: "categorical", description: "device from user agent", group: "profile" },
    { name: "state", type: "categorical", description: "US state", group: "profile" },
  ];
  return {
    columns: ["userId", "cutoff", ...dictionary.map((d) => d.name), "churn"],
    rows,
    dictionary,
    mode: per > 1 ? "rolling" : "forward",
    cutoffs: Array.from({ length: per }, (_, r) => `2018-11-${String(1 + r * 7).padStart(2, "0")}T00:00:00.000Z`),
    horizonDays: 14,
    label: "cancel",
  };
}
