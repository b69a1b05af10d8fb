// `npm run bench -- load [--gb 2] [--file PATH] [--keep] [--pandas-mb 512] [--generator simulate|sample]`
// The store's load + clean beside a bare DuckDB read_ndjson + GROUP BY userId (and pandas when
// present), each in a fresh child process so that peak RSS is its own; ratios to bare DuckDB.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const RUN_TS = path.resolve(__dirname, "..", "bin", "run-ts.js");
const PYTHON = "/usr/bin/python3";

interface Figures {
  seconds: number;
  /** The store's EventStore.open alone (load + clean), before the GROUP BY. */
  openSeconds?: number;
  rows: number;
  maxRssMb: number;
  bytes: number;
}

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Writes ≥ `bytes` of realistic lines: the real sample repeated with shifted userIds and sessions. */
function writeFromSample(file: string, bytes: number): void {
  const dir = path.resolve(__dirname, "..", "..", "shared", "data", "sparkify-real-sample");
  const events = fs.readdirSync(dir).flatMap((f) => fs.readFileSync(path.join(dir, f), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l)));
  const fd = fs.openSync(file, "w");
  let written = 0;
  for (let rep = 0; written < bytes; rep++) {
    const text = events.map((e) => JSON.stringify({ ...e, userId: String(Number(e.userId) + rep * 200_000), sessionId: e.sessionId + rep * 10_000 })).join("\n") + "\n";
    written += fs.writeSync(fd, text);
  }
  fs.closeSync(fd);
}

/** Runs the simulator in a child process: a crash there (it is being developed) must not end the bench. */
function simulateInChild(file: string, gb: number): boolean {
  const r = spawnSync(process.execPath, [RUN_TS, path.join(__dirname, "main.ts"), "load", "--child", "simulate", file, String(gb)], { encoding: "utf8" });
  if (r.status === 0 && fs.existsSync(file) && fs.statSync(file).size > 0) return true;
  console.log(`simulator failed (${(r.stderr || r.stdout).trim().split("\n").find((l) => l.trim()) ?? `exit ${r.status}`}); using the real sample repeated`);
  for (const f of fs.readdirSync(path.dirname(file))) if (f.startsWith(`${path.basename(file)}.tmp`)) fs.rmSync(path.join(path.dirname(file), f), { force: true });
  fs.rmSync(file, { force: true });
  return false;
}

async function makeInput(file: string, gb: number, generator: string): Promise<string> {
  if (generator === "simulate" && simulateInChild(file, gb)) return "lib/simulate writeSimulation (full preset)";
  writeFromSample(file, gb * 1e9);
  return "real sample repeated with shifted userIds";
}

function child(kind: string, file: string): Figures {
  const r = spawnSync(process.execPath, [RUN_TS, path.join(__dirname, "main.ts"), "load", "--child", kind, file], { encoding: "utf8", maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${kind} run failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as Figures;
}

function pandas(file: string, limitBytes: number): Figures | null {
  if (!fs.existsSync(PYTHON) || spawnSync(PYTHON, ["-c", "import pandas"]).status !== 0) return null;
  const script = `
import io, sys, time, resource, pandas as pd
path, limit = sys.argv[1], int(sys.argv[2])
t0 = time.time(); rows = 0; counts = None; nbytes = 0
with open(path, 'rb') as f:
    data = f.read(limit)
    data = data[: data.rfind(b'\\n') + 1]
    nbytes = len(data)
for chunk in pd.read_json(io.BytesIO(data), lines=True, chunksize=200000, dtype={'userId': str}):
    rows += len(chunk)
    c = chunk.groupby('userId').size()
    counts = c if counts is None else counts.add(c, fill_value=0)
print('{"seconds": %f, "rows": %d, "maxRssMb": %f, "bytes": %d}' % (time.time() - t0, rows, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, nbytes))
`;
  const r = spawnSync(PYTHON, ["-c", script, file, String(limitBytes)], { encoding: "utf8" });
  if (r.status !== 0) {
    console.log(`pandas failed: ${r.stderr.split("\n").slice(-3).join(" ")}`);
    return null;
  }
  return JSON.parse(r.stdout.trim()) as Figures;
}

async function runChild(kind: string, file: string, extra?: string): Promise<void> {
  if (kind === "simulate") {
    const sim = require("../lib/simulate") as { writeSimulation(o: Record<string, unknown>): Promise<unknown> };
    // The full preset is ~12 GB for 22,277 users: about 1,860 users per GB.
    await sim.writeSimulation({ preset: "full", users: Math.ceil(Number(extra) * 1900), out: file, workers: os.cpus().length, quiet: true });
    return;
  }
  const bytes = fs.statSync(file).size;
  const t0 = performance.now();
  let rows = 0;
  let openSeconds: number | undefined;
  if (kind === "bare") {
    const { DuckDBInstance } = require("@duckdb/node-api") as typeof import("@duckdb/node-api");
    const db = await DuckDBInstance.create(":memory:", { threads: String(os.cpus().length) });
    const conn = await db.connect();
    const r = await conn.runAndReadAll(`SELECT sum(n)::BIGINT FROM (SELECT "userId", count(*) AS n FROM read_ndjson('${file.replace(/'/g, "''")}') GROUP BY 1)`);
    rows = Number(r.getRows()[0][0]);
  } else {
    const { EventStore } = require("../lib/store") as typeof import("../lib/store");
    const store = await EventStore.open(file, { quiet: true, storage: kind === "store-files" ? "files" : "memory" });
    openSeconds = (performance.now() - t0) / 1000;
    rows = store.report.lines;
    const [g] = await store.rows(`SELECT count(*) AS n FROM (SELECT "userId", count(*) FROM events GROUP BY 1)`);
    if (!(Number(g.n) > 0)) throw new Error("no users loaded");
    await store.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ seconds, openSeconds, rows, maxRssMb: process.resourceUsage().maxRSS / 1024, bytes }));
}

function line(name: string, f: Figures, ref: Figures | null): string {
  const mbs = f.bytes / 1e6 / f.seconds;
  const ratio = ref ? `${(f.seconds / f.bytes / (ref.seconds / ref.bytes)).toFixed(2)}×` : "1.00×";
  return `${name.padEnd(34)} ${f.seconds.toFixed(2).padStart(8)} s ${mbs.toFixed(0).padStart(7)} MB/s ${Math.round(f.rows / f.seconds).toLocaleString("en-US").padStart(12)} events/s ${f.maxRssMb.toFixed(0).padStart(6)} MB peak RSS   time per byte vs bare DuckDB: ${ratio}`;
}

/** The load + clean part of a store run (EventStore.open, before its GROUP BY), as a ratio too. */
function openLine(f: Figures, ref: Figures): string {
  const open = f.openSeconds ?? NaN;
  return `  of which EventStore.open (load + clean) ${open.toFixed(2).padStart(5)} s, ${(open / f.bytes / (ref.seconds / ref.bytes)).toFixed(2)}× bare`;
}

/** Benchmark entry point (see the header comment for options). */
export async function run(args: string[]): Promise<void> {
  if (args[0] === "--child") return runChild(args[1], args[2], args[3]);
  const gb = Number(arg(args, "gb") ?? 2);
  const given = arg(args, "file");
  const file = given ?? path.join(os.tmpdir(), `sparkify-bench-load-${process.pid}.jsonl`);
  try {
    if (!given) {
      const t0 = performance.now();
      const how = await makeInput(file, gb, arg(args, "generator") ?? "simulate");
      console.log(`input: ${file}, ${(fs.statSync(file).size / 1e9).toFixed(2)} GB from ${how} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
    console.log(`machine: ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)} (other work on the machine slows every figure alike)`);
    child("bare", file); // warm the page cache so neither side pays for the disk
    const bare = child("bare", file);
    const store = child("store-memory", file);
    console.log(line("bare DuckDB read_ndjson + GROUP BY", bare, null));
    console.log(line("store, storage memory (+ GROUP BY)", store, bare));
    console.log(openLine(store, bare));
    const files = child("store-files", file);
    console.log(line("store, storage files (+ GROUP BY)", files, bare));
    console.log(openLine(files, bare));
    const limit = Number(arg(args, "pandas-mb") ?? 512) * 1e6;
    const pd = pandas(file, limit);
    if (pd) console.log(line(`pandas read_json chunks (first ${(pd.bytes / 1e6).toFixed(0)} MB)`, pd, bare));
    else console.log("pandas: not present (/usr/bin/python3 with pandas), skipped");
    const perByte = (seconds: number, f: Figures): string => (seconds / f.bytes / (bare.seconds / bare.bytes)).toFixed(2);
    console.log(`goal: the store's load + clean ≤ 1.3× bare DuckDB, < 1 GB peak RSS; measured ${perByte(files.openSeconds ?? NaN, files)}× / ${files.maxRssMb.toFixed(0)} MB (storage files, the default past 512 MiB), ${perByte(store.openSeconds ?? NaN, store)}× / ${store.maxRssMb.toFixed(0)} MB (storage memory, which also copies every event into a DuckDB table)`);
  } finally {
    if (!given && !args.includes("--keep")) fs.rmSync(file, { recursive: true, force: true });
  }
}
