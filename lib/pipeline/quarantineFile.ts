import * as path from "node:path";
import type { DataReport } from "../ingest";

/** The quarantine file kept beside an output: "scores.csv" → "scores.quarantine.jsonl" in the same folder. */
export function quarantinePathFor(output: string): string {
  const abs = path.resolve(output);
  const base = path.basename(abs).replace(/\.[^.]*$/, "") || path.basename(abs);
  return path.join(path.dirname(abs), `${base}.quarantine.jsonl`);
}

/** One line for the user: how many lines were quarantined and where they are. */
export function quarantineLine(report: Pick<DataReport, "quarantined" | "quarantineFile" | "lines">): string {
  if (report.quarantined === 0) return `quarantine: none of the ${report.lines.toLocaleString("en-US")} lines (every line was read)`;
  return `quarantine: ${report.quarantined.toLocaleString("en-US")} of ${report.lines.toLocaleString("en-US")} lines could not be read → ${report.quarantineFile ?? "(not written)"}`;
}
