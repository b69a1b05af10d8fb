// `npm run bench -- convert [--gb 0.5] [--input FILE|FOLDER] [--storage auto|memory|files] [--keep]`
// `sparkify-churn convert` (load + every check and rule + sorted zstd Parquet + report) beside a bare
// DuckDB COPY (SELECT * FROM read_ndjson(...)) TO '….parquet' (FORMAT parquet, COMPRESSION zstd) of
// the same files; then the forward feature table from the converted Parquet beside the same table
// from the JSON. Each run is a fresh child process (its own peak RSS); ratios come from one run.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const RUN_TS = path.resolve(__dirname, "..", "bin", "run-ts.js");

interface Figures {
  seconds: number;
  maxRssMb: number;
  /** Bytes written (Parquet) or rows of the feature table. */
  bytes?: number;
  rows?: number;
  /** SHA-256 of the feature table's rows, to show both inputs give the same table. */
  digest?: string;
  storage?: string;
}

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

function child(...args: string[]): Figures {
  const r = spawnSync(process.execPath, [RUN_TS, path.join(__dirname, "main.ts"), "convert", "--child", ...args], { encoding: "utf8", maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`bench convert ${args[0]} failed: ${r.stderr || r.stdout}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as Figures;
}

/** The JSON files of an input (a file, or the part files of a folder). */
function jsonFiles(input: string): string[] {
  if (!fs.statSync(input).isDirectory()) return [input];
  return fs.readdirSync(input).filter((f) => !f.startsWith("_") && !f.startsWith(".")).sort().map((f) => path.join(input, f));
}

const q = (s: string): string => `'${s.replace(/'/g, "''")}'`;

async function runChild(kind: string, input: string, out: string, storage: string): Promise<void> {
  // Modules load before the clock starts, on both sides: at scale their load time is nothing.
  const { DuckDBInstance } = require("@duckdb/node-api") as typeof import("@duckdb/node-api");
  const { convertEvents } = require("../lib/store/convertEvents") as typeof import("../lib/store/convertEvents");
  const { EventStore } = require("../lib/store") as typeof import("../lib/store");
  const { computeFeatures } = require("../lib/features") as typeof import("../lib/features");
  const t0 = performance.now();
  const figures: Figures = { seconds: 0, maxRssMb: 0 };
  if (kind === "bare") {
    const db = await DuckDBInstance.create(":memory:", { threads: String(os.cpus().length) });
    const conn = await db.connect();
    await conn.run(`COPY (SELECT * FROM read_ndjson([${jsonFiles(input).map(q).join(", ")}])) TO ${q(out)} (FORMAT parquet, COMPRESSION zstd)`);
    figures.bytes = fs.statSync(out).size;
  } else if (kind === "convert") {
    const r = await convertEvents(input, out, { quiet: true, storage: storage as "auto" });
    figures.bytes = r.parquetBytes;
  } else {
    const store = await EventStore.open(input, { quiet: true, storage: storage as "auto" });
    try {
      const table = await computeFeatures(store, { mode: "forward" });
      figures.rows = table.rows.length;
      figures.storage = store.storage;
      figures.digest = createHash("sha256").update(JSON.stringify(table.rows)).digest("hex").slice(0, 12);
    } finally {
      await store.close();
    }
  }
  figures.seconds = (performance.now() - t0) / 1000;
  figures.maxRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify(figures));
}

function line(name: string, f: Figures, ref: Figures | null, extra = ""): string {
  const ratio = ref ? `${(f.seconds / ref.seconds).toFixed(2)}×` : "1.00×";
  return `${name.padEnd(44)} ${f.seconds.toFixed(2).padStart(8)} s ${f.maxRssMb.toFixed(0).padStart(6)} MB peak RSS  ${ratio.padStart(6)}${extra}`;
}

/** Benchmark entry point (see the header comment for options). */
export async function run(args: string[]): Promise<void> {
  if (args[0] === "--child") return runChild(args[1], args[2], args[3], args[4]);
  const storage = arg(args, "storage") ?? "auto";
  const given = arg(args, "input");
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-bench-convert-"));
  try {
    let input = given;
    if (!input) {
      const gb = Number(arg(args, "gb") ?? 0.5);
      input = path.join(work, "events.jsonl");
      const t0 = performance.now();
      const { writeSimulation } = require("../lib/simulate") as typeof import("../lib/simulate");
      // The full preset is ~12 GB for 22,277 users: about 1,860 users per GB.
      await writeSimulation({ preset: "full", users: Math.ceil(gb * 1900), out: input, workers: os.cpus().length, quiet: true });
      console.log(`input: ${(fs.statSync(input).size / 1e9).toFixed(2)} GB simulated (full preset) in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
    const jsonBytes = jsonFiles(input).reduce((s, f) => s + fs.statSync(f).size, 0);
    console.log(`machine: ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" / ")} (1/5/15 min): other work on the machine slows every figure; compare the ratios of this run only`);
    const bareOut = path.join(work, "bare.parquet");
    child("bare", input, bareOut, storage); // warms the page cache so neither side pays for the disk
    fs.rmSync(bareOut, { force: true });
    const bare = child("bare", input, bareOut, storage);
    const out = path.join(work, "converted");
    const conv = child("convert", input, out, storage);
    console.log(`convert ${(jsonBytes / 1e9).toFixed(2)} GB of JSON lines to Parquet (zstd):`);
    console.log(line("bare DuckDB COPY read_ndjson TO parquet", bare, null, `  ${(bare.bytes! / 1e6).toFixed(0)} MB, unsorted, unchecked`));
    console.log(line("sparkify-churn convert", conv, bare, `  ${(conv.bytes! / 1e6).toFixed(0)} MB, sorted by user and time, every line checked and accounted for`));
    const fromJson = child("features", input, "-", storage);
    const fromParquet = child("features", out, "-", storage);
    console.log(`forward feature table (load + clean + features), storage ${storage}:`);
    console.log(line(`from the JSON lines (storage ${fromJson.storage})`, fromJson, null, `  ${fromJson.rows} rows, sha ${fromJson.digest}`));
    console.log(line(`from the converted Parquet (storage ${fromParquet.storage})`, fromParquet, fromJson, `  ${fromParquet.rows} rows, sha ${fromParquet.digest}`));
    console.log(`same feature table from both: ${fromJson.digest === fromParquet.digest ? "yes" : "NO"}`);
    console.log(`goal (issue 18): convert ≤ 1.5× the bare COPY; measured ${(conv.seconds / bare.seconds).toFixed(2)}×`);
  } finally {
    if (!args.includes("--keep")) fs.rmSync(work, { recursive: true, force: true });
    else console.log(`kept ${work}`);
  }
}
