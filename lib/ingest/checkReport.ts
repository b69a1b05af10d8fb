import { SparkifyError } from "../errors";
import type { DataReport } from "./dataReport";

/**
 * Checks that the report accounts for every line: lines = kept + sum(dropped) + quarantined, the
 * sources' lines add up to `lines`, and `kept` is the number of rows in the events table.
 */
export function checkReport(report: DataReport, tableRows: number): void {
  const dropped = Object.values(report.dropped).reduce((s, n) => s + n, 0);
  const bySource = report.sources.reduce((s, x) => s + x.lines, 0);
  const problems: string[] = [];
  if (report.lines !== report.kept + dropped + report.quarantined) {
    problems.push(`lines ${report.lines} ≠ kept ${report.kept} + dropped ${dropped} + quarantined ${report.quarantined}`);
  }
  if (bySource !== report.lines) problems.push(`the sources' lines add up to ${bySource}, not ${report.lines}`);
  if (tableRows !== report.kept) problems.push(`the events table holds ${tableRows} rows, the report says ${report.kept} kept`);
  if (problems.length > 0) {
    throw new SparkifyError("E_REPORT_MISMATCH", `the data report does not add up: ${problems.join("; ")}`);
  }
}
