import * as path from "node:path";
import { writeFileAtomic } from "../io/atomicWrite";
import { buildReport } from "./buildReport";
import type { ReportInput } from "./types";

/** Builds the report and writes it to `file` (through a temporary file); returns the absolute path. */
export function writeReport(file: string, input: ReportInput): string {
  const abs = path.resolve(file);
  writeFileAtomic(abs, buildReport(input));
  return abs;
}
