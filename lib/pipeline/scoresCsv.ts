import { writeFileAtomic } from "../io/atomicWrite";
import { csvField } from "../io/csv";
import type { ScoredUser } from "../evaluation";

/** The columns of scores.csv, in order (the contract the report and retention tools read). */
export const SCORES_HEADER = ["rank", "userId", "cutoff", "probability", "atRisk", "reason1", "effect1", "reason2", "effect2", "reason3", "effect3"] as const;

/** A cutoff cell as an ISO 8601 time (epoch ms, Date or string in; "" when unknown). */
export function isoCutoff(c: unknown): string {
  if (c === null || c === undefined || c === "") return "";
  const t = typeof c === "number" ? c : c instanceof Date ? c.getTime() : Date.parse(String(c));
  return Number.isFinite(t) ? new Date(t).toISOString() : String(c);
}

/** A signed effect in probability points as a fraction, e.g. "+0.0312" (= 3.12 points). */
function effectText(x: number | undefined): string {
  if (x === undefined) return "";
  return `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(4)}`.replace("−", "-");
}

/** The CSV text of ranked users: calibrated probability, atRisk 1/0, up to three risk-raising reasons with their effects. */
export function scoresCsvText(scores: ScoredUser[]): string {
  const lines: string[] = [SCORES_HEADER.join(",")];
  for (const s of scores) {
    const cells: (string | number | null)[] = [s.rank, s.userId, isoCutoff(s.cutoff) || null, s.probability.toFixed(6), s.atRisk ? 1 : 0];
    for (let k = 0; k < 3; k++) {
      const r = s.reasons[k];
      cells.push(r ? (r.text ?? r.feature) : null, r ? effectText(r.contribution) || null : null);
    }
    lines.push(cells.map(csvField).join(","));
  }
  return lines.join("\n") + "\n";
}

/** Writes users ranked by calibrated churn probability, with their top three risk-raising reasons, as CSV (whole or not at all). */
export function writeScoresCsv(file: string, scores: ScoredUser[]): void {
  writeFileAtomic(file, scoresCsvText(scores));
}
