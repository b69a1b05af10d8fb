// Samples in the Spark re-export format (sorted keys, omitted nulls, numeric userId, logged-in rows
// only) for the format tests: one the project makes itself from simulated events through
// lib/events/sparkExport.ts (always), and the real Sparkify sample when the conformance folder is set
// (SPARKIFY_CONFORMANCE_DIR). Each test that reads the format runs on every sample listed here.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CHURN_PAGE } from "../../lib/events/schema";
import { toSparkExport, type RawEventRecord } from "../../lib/events/sparkExport";
import { simulate } from "../../lib/simulate";
import { realSampleDir } from "./conformance";

/** What a sample holds, known without loading it through the code under test. */
export interface SampleFacts {
  /** Lines (= events) in all files. */
  events: number;
  /** Distinct userIds. */
  users: number;
  /** Users who reached Cancellation Confirmation. */
  churners: number;
  /** File names, sorted. */
  files: string[];
  /** UTC day (YYYY-MM-DD) of the earliest event. */
  firstDay: string;
}

/** A folder of Spark re-export files and what it holds. */
export interface FormatSample {
  /** Short name used in test titles: "simulated Spark export" or "real sample". */
  name: string;
  /** True for the real sample (conformance data outside the project). */
  real: boolean;
  /** The folder (made on first call for the simulated sample). */
  dir(): Promise<string>;
  /** What the folder holds (stated for the real sample, counted from the simulation for the simulated one). */
  facts(): Promise<SampleFacts>;
}

/** The simulation behind the made sample: the mini preset's window, 8 listeners, seed 1 (3 churners, about 6,000 logged-in events). */
export const SIMULATED_SAMPLE_OPTIONS = { preset: "mini" as const, users: 8, seed: 1, workers: 1 };

/** Facts of the real sample, as stated in ../shared/reference/sparkify-facts.md and the issue. */
export const REAL_SAMPLE_FACTS: SampleFacts = {
  events: 6350,
  users: 7,
  churners: 3,
  files: ["example_user_113.json", "example_user_87.json", "log_multi_users.json"],
  firstDay: "2018-10-01",
};

// One made sample per process, removed when the process exits.
let made: Promise<{ dir: string; facts: SampleFacts }> | null = null;

/** Simulated raw events (parsed JSON lines, logged-out rows included) of {@link SIMULATED_SAMPLE_OPTIONS}. */
export async function simulatedRawEvents(): Promise<RawEventRecord[]> {
  const out: RawEventRecord[] = [];
  for await (const line of simulate(SIMULATED_SAMPLE_OPTIONS)) out.push(JSON.parse(line) as RawEventRecord);
  return out;
}

async function makeSample(): Promise<{ dir: string; facts: SampleFacts }> {
  const raw = await simulatedRawEvents();
  const lines = toSparkExport(raw);
  // Facts from the raw simulation, independently of the export and of the loaders under test.
  const loggedIn = raw.filter((e) => e.userId !== "" && e.userId !== null && e.userId !== undefined);
  const users = [...new Set(loggedIn.map((e) => String(e.userId)))].sort((a, b) => Number(a) - Number(b));
  const churners = new Set(loggedIn.filter((e) => e.page === CHURN_PAGE).map((e) => String(e.userId))).size;
  if (lines.length !== loggedIn.length) throw new Error(`the Spark export kept ${lines.length} of ${loggedIn.length} logged-in events`);
  if (users.length < 3 || churners < 1) throw new Error(`the simulated sample needs ≥ 3 users and a churner, has ${users.length} and ${churners}`);
  // Laid out like the real sample: one file for each of the first two users, one for the rest.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-spark-export-"));
  process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  const byUser = (ids: string[]) => lines.filter((l) => ids.includes(String((JSON.parse(l) as { userId: number }).userId)));
  const files: Array<[string, string[]]> = [
    [`example_user_${users[0]}.json`, byUser([users[0]])],
    [`example_user_${users[1]}.json`, byUser([users[1]])],
    ["log_multi_users.json", byUser(users.slice(2))],
  ];
  for (const [name, part] of files) fs.writeFileSync(path.join(dir, name), part.map((l) => `${l}\n`).join(""));
  const firstTs = Math.min(...loggedIn.map((e) => e.ts as number));
  const firstDay = new Date(firstTs).toISOString().slice(0, 10);
  return { dir, facts: { events: lines.length, users: users.length, churners, files: files.map(([n]) => n).sort(), firstDay } };
}

/** The Spark re-export sample the project makes from simulated events (always available). */
export const SIMULATED_SPARK_SAMPLE: FormatSample = {
  name: "simulated Spark export",
  real: false,
  dir: async () => (await (made ??= makeSample())).dir,
  facts: async () => (await (made ??= makeSample())).facts,
};

/** The samples the format tests run on: the made one, plus the real sample when SPARKIFY_CONFORMANCE_DIR is set. */
export function formatSamples(): FormatSample[] {
  const real = realSampleDir();
  if (real === null) return [SIMULATED_SPARK_SAMPLE];
  return [
    SIMULATED_SPARK_SAMPLE,
    { name: "real sample", real: true, dir: async () => real, facts: async () => REAL_SAMPLE_FACTS },
  ];
}

/** Parsed lines of every file of a sample folder, files in name order. */
export function sampleEvents(dir: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const f of fs.readdirSync(dir).sort()) {
    for (const line of fs.readFileSync(path.join(dir, f), "utf8").split("\n")) if (line.trim()) out.push(JSON.parse(line));
  }
  return out;
}

/** The text of every file of a sample folder, concatenated in name order. */
export function sampleText(dir: string): string {
  return fs.readdirSync(dir).sort().map((f) => fs.readFileSync(path.join(dir, f), "utf8")).join("");
}
