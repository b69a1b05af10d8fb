import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { once } from "node:events";
import { SparkifyError } from "../errors";
import { AtomicFile, TEMP_FILE, writeFileAtomic } from "../io";
import { runSimulation, summarize, type SimulationSummary } from "./runSimulation";
import { resolvePlan, type SimulateOptions } from "./simulationPlan";

/** Options of writeSimulation. */
export type WriteSimulationOptions = SimulateOptions & {
  /** `.json`/`.jsonl`: one JSON-lines file; `.gz`: gzip; anything else: a folder of part files. */
  out: string;
  workers?: number;
  /** No progress on stderr. */
  quiet?: boolean;
  /** Folder outputs: start a new part file once a part holds this many bytes (default PART_BYTES). */
  partBytes?: number;
};

/** Part files of a folder output are closed at the first chunk boundary past this size (as Spark's ~128 MB). */
export const PART_BYTES = 128 * 1024 * 1024;
/** gzip level of `.gz` outputs; with Node's zero mtime header the bytes are reproducible. */
export const GZIP_LEVEL = 6;

/** How an output path is written. */
export type OutputKind = "jsonl" | "gzip" | "folder";

/** The kind of output a path asks for, from its ending. */
export function outputKind(out: string): OutputKind {
  const lower = out.toLowerCase();
  if (lower.endsWith(".gz")) return "gzip";
  if (lower.endsWith(".json") || lower.endsWith(".jsonl")) return "jsonl";
  return "folder";
}

async function writeChunk(stream: NodeJS.WritableStream, chunk: Buffer): Promise<void> {
  if (!stream.write(chunk)) await once(stream, "drain");
}

function progress(quiet: boolean | undefined, startMs: number, endMs: number): (lastTs: number, events: number) => void {
  if (quiet || !process.stderr.isTTY) return () => {};
  let last = 0;
  return (lastTs, events) => {
    const now = Date.now();
    if (now - last < 500) return;
    last = now;
    const pct = Math.min(100, (100 * (lastTs - startMs)) / (endMs - startMs));
    process.stderr.write(`\rsimulate: ${pct.toFixed(1)}% of the window, ${events.toLocaleString("en-US")} events`);
  };
}

async function prepareFolder(dir: string): Promise<void> {
  if (fs.existsSync(dir)) {
    if (!fs.statSync(dir).isDirectory()) throw new SparkifyError("E_OUTPUT_REFUSED", `simulate: --out ${dir} exists and is not a folder.`);
    const foreign = fs.readdirSync(dir).filter((f) => !/^part-\d{5}\.json$/.test(f) && f !== "_SUCCESS" && !TEMP_FILE.test(f));
    if (foreign.length > 0) {
      throw new SparkifyError("E_OUTPUT_REFUSED", `simulate: --out folder ${dir} holds other files (${foreign.slice(0, 3).join(", ")}); choose an empty or new folder.`);
    }
    // Old part files of an earlier run are replaced, never mixed with the new ones: _SUCCESS goes
    // first, so a folder caught half-cleared or half-written is never taken for a finished one.
    fs.rmSync(path.join(dir, "_SUCCESS"), { force: true });
    for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f));
  } else fs.mkdirSync(dir, { recursive: true });
}

/**
 * Simulates and writes the events to `out` (file, gzip file or folder of part files
 * part-00000.json … plus _SUCCESS), streaming in bounded memory. Files are written under a hidden
 * temporary name and renamed when complete, so a reader never sees half a file; a folder gets
 * _SUCCESS last, so a folder without it is known unfinished (and refused by the loaders).
 */
export async function writeSimulation(options: WriteSimulationOptions): Promise<SimulationSummary> {
  const t0 = process.hrtime.bigint();
  if (!options.out) throw new SparkifyError("E_BAD_OPTION", "simulate: an output path (--out) is required.");
  const plan = resolvePlan(options); // validate before touching the disk
  const kind = outputKind(options.out);
  const out = path.resolve(options.out);
  const show = progress(options.quiet, plan.startSec * 1000, plan.endSec * 1000);
  let result: Awaited<ReturnType<typeof runSimulation>>;
  if (kind === "folder") {
    await prepareFolder(out);
    let part = 0;
    let partBytes = 0;
    let file: AtomicFile | null = null;
    try {
      result = await runSimulation(options, async (chunk, stats) => {
        show(stats.lastTs, stats.events);
        if (!file) file = await AtomicFile.open(path.join(out, `part-${String(part).padStart(5, "0")}.json`));
        await file.write(chunk);
        partBytes += chunk.length;
        if (partBytes >= (options.partBytes ?? PART_BYTES)) {
          await file.commit();
          file = null;
          part++;
          partBytes = 0;
        }
      });
      if (file) await (file as AtomicFile).commit();
    } catch (err) {
      if (file) await (file as AtomicFile).abort();
      throw err;
    }
    writeFileAtomic(path.join(out, "_SUCCESS"), "");
  } else {
    const file = await AtomicFile.open(out);
    try {
      if (kind === "gzip") {
        // The gzip stream feeds the file; its output is awaited chunk by chunk, so memory stays bounded.
        const gzip = zlib.createGzip({ level: GZIP_LEVEL });
        const sink = file.writable();
        gzip.pipe(sink);
        const failed = new Promise<never>((_, reject) => {
          gzip.once("error", reject);
          sink.once("error", reject);
        });
        failed.catch(() => undefined);
        result = await Promise.race([
          runSimulation(options, async (chunk, stats) => {
            show(stats.lastTs, stats.events);
            await Promise.race([writeChunk(gzip, chunk), failed]);
          }),
          failed,
        ]);
        gzip.end();
        await Promise.race([once(sink, "finish"), failed]);
      } else {
        result = await runSimulation(options, async (chunk, stats) => {
          show(stats.lastTs, stats.events);
          await file.write(chunk);
        });
      }
      await file.commit();
    } catch (err) {
      await file.abort();
      throw err;
    }
  }
  if (!options.quiet && process.stderr.isTTY) process.stderr.write("\n");
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return summarize(result.stats, seconds);
}
