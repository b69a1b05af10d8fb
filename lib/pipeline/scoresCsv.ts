import { writeFileAtomic } from "../io/atomicWrite";
import type { ScoredUser } from "../evaluation";

const HEADER = ["rank", "userId", "probability", "atRisk", "cutoff", "reason1", "reason2", "reason3"];

/** One CSV field, quoted when it holds a comma, quote or newline. */
function csvField(v: unknown): string {
  const s = v === null || v === undefined ? "" : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Formats one reason as "feature=value (+0.123)". */
function reasonText(r: ScoredUser["reasons"][number] | undefined): string {
  if (!r) return "";
  const value = typeof r.value === "number" ? Number(r.value.toPrecision(4)) : r.value;
  const sign = r.contribution >= 0 ? "+" : "";
  return `${r.feature}=${value ?? "missing"} (${sign}${r.contribution.toFixed(3)})`;
}

/** Writes users ranked by churn probability, with their top three reasons, as CSV. */
export function writeScoresCsv(file: string, scores: ScoredUser[]): void {
  const lines = [HEADER.join(",")];
  for (const s of scores) {
    const cutoff = typeof s.cutoff === "number" ? new Date(s.cutoff).toISOString() : s.cutoff;
    lines.push([s.rank, s.userId, s.probability.toFixed(6), s.atRisk ? 1 : 0, cutoff, reasonText(s.reasons[0]), reasonText(s.reasons[1]), reasonText(s.reasons[2])].map(csvField).join(","));
  }
  writeFileAtomic(file, lines.join("\n") + "\n");
}
