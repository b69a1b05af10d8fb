// `npm run bench -- simulate [--preset medium] [--workers 1,2]`: events/s and MB/s of the
// simulator, beside same-process references: re-serialising the same events with JSON.stringify
// (the naive one-object-per-event way) and writing the same bytes to disk with no generation.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PRESET_NAMES, writeSimulation, type PresetName } from "../lib/simulate";

function flag(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}

/** Runs the benchmark (see the header). */
export async function run(args: string[]): Promise<void> {
  const preset = flag(args, "--preset", "medium") as PresetName;
  if (!PRESET_NAMES.includes(preset)) throw new Error(`--preset must be one of ${PRESET_NAMES.join(", ")}`);
  const workerCounts = flag(args, "--workers", "1,2").split(",").map(Number);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-simulate-"));
  try {
    const rows: { name: string; events: number; mb: number; seconds: number }[] = [];
    let file = "";
    for (const w of workerCounts) {
      file = path.join(dir, `sim-w${w}.jsonl`);
      const s = await writeSimulation({ preset, out: file, workers: w, quiet: true });
      rows.push({ name: `simulate ${preset}, ${w} worker${w > 1 ? "s" : ""}`, events: s.events, mb: s.bytes / 1e6, seconds: s.seconds });
    }
    // Reference 1: the same events as objects, serialised one JSON.stringify per event.
    const text = fs.readFileSync(file, "utf8");
    const objects = text.trimEnd().split("\n").map((l) => JSON.parse(l));
    let t0 = process.hrtime.bigint();
    let bytes = 0;
    for (const o of objects) bytes += Buffer.byteLength(JSON.stringify(o)) + 1;
    rows.push({ name: "reference: JSON.stringify of the same events", events: objects.length, mb: bytes / 1e6, seconds: Number(process.hrtime.bigint() - t0) / 1e9 });
    // Reference 2: writing the same bytes to disk in 1 MB chunks (the I/O ceiling).
    const buf = Buffer.from(text, "utf8");
    t0 = process.hrtime.bigint();
    const fd = fs.openSync(path.join(dir, "copy.jsonl"), "w");
    for (let off = 0; off < buf.length; off += 1 << 20) fs.writeSync(fd, buf, off, Math.min(1 << 20, buf.length - off));
    fs.closeSync(fd);
    rows.push({ name: "reference: write the same bytes to disk", events: objects.length, mb: buf.length / 1e6, seconds: Number(process.hrtime.bigint() - t0) / 1e9 });
    const base = rows[0];
    console.log(`simulator benchmark (${os.availableParallelism()} cores, load average ${os.loadavg()[0].toFixed(1)})`);
    console.log("name".padEnd(48), "events".padStart(10), "MB".padStart(8), "s".padStart(7), "kev/s".padStart(8), "MB/s".padStart(7), "vs first".padStart(9));
    for (const r of rows) {
      const evs = r.events / r.seconds;
      console.log(r.name.padEnd(48), String(r.events).padStart(10), r.mb.toFixed(1).padStart(8), r.seconds.toFixed(2).padStart(7),
        (evs / 1000).toFixed(0).padStart(8), (r.mb / r.seconds).toFixed(1).padStart(7), `${(evs / (base.events / base.seconds)).toFixed(2)}x`.padStart(9));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
