import * as fs from "node:fs";
import * as path from "node:path";
import { buildReport } from "./buildReport";
import type { ReportInput } from "./types";

/** Builds the report and writes it to `file` (through a temporary file); returns the absolute path. */
export function writeReport(file: string, input: ReportInput): string {
  const abs = path.resolve(file);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  const tmp = `${abs}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, buildReport(input));
  fs.renameSync(tmp, abs);
  return abs;
}
