import { Option, type Command } from "commander";
import { SparkifyError } from "../../errors";
import { PRESETS, PRESET_NAMES, writeGroundTruth, writeSimulation, type PresetName, type SimulationSummary } from "../../simulate";
import { parseChoice, parseInteger, parseIsoTime } from "../parsers";

/** The short summary printed after a simulation. */
export function formatSimulationSummary(out: string, s: SimulationSummary): string {
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const top = Object.entries(s.pageCounts).sort((a, b) => b[1] - a[1]).slice(0, 8)
    .map(([p, c]) => `${p} ${pct(c / Math.max(1, s.events))}`).join(", ");
  return [
    `wrote ${out}`,
    `  events ${s.events.toLocaleString("en-US")}, users ${s.users}, churners ${s.churners} (${pct(s.churners / Math.max(1, s.users))}), logged out/guest rows ${pct(s.loggedOutEvents / Math.max(1, s.events))}`,
    `  pages: ${top}`,
    `  ${(s.bytes / 1e6).toFixed(1)} MB of JSON lines in ${s.seconds.toFixed(1)} s (${(s.events / s.seconds / 1000).toFixed(0)}k events/s, ${(s.bytes / 1e6 / s.seconds).toFixed(1)} MB/s)`,
    "",
  ].join("\n");
}

/** Registers `sparkify-churn simulate`: eventsim-faithful Sparkify logs. */
export function register(program: Command): void {
  const presetHelp = PRESET_NAMES.map((p) => `${p}: ${PRESETS[p].description}`).join("; ");
  program
    .command("simulate")
    .description("simulate Sparkify event logs the way eventsim made the originals (JSON lines)")
    .addOption(new Option("--preset <name>", `size and window to mirror (${presetHelp})`).argParser(parseChoice("--preset", PRESET_NAMES)).default("mini"))
    .option("--users <n>", "listeners to simulate instead of the preset's number", parseInteger("--users", 1))
    .option("--seed <n>", "random seed (same flags and seed give the same bytes)", parseInteger("--seed", 0), 42)
    .option("--start <iso>", "window start, e.g. 2018-10-01 (default: the preset's)", parseIsoTime("--start"))
    .option("--end <iso>", "window end, exclusive (default: the preset's)", parseIsoTime("--end"))
    .option("--out <path>", "output: .json/.jsonl one file, .gz gzip, anything else a folder of part-NNNNN.json files")
    .option("--workers <n>", "generator threads (default: 1 for small runs, else the cores; output is identical)", parseInteger("--workers", 1))
    .option("--truth <file>", "also write each user's hidden parameters (configuration, alpha, beta, registration, starting auth and level) as CSV; the events are the same bytes")
    .option("--quiet", "no progress output")
    .addHelpText("after", "\nExample:\n  sparkify-churn simulate --preset mini --users 30 --seed 7 --out data/sample/sparkify-sample.jsonl.gz\n")
    .action(async (flags: { preset: PresetName; users?: number; seed: number; start?: number; end?: number; out?: string; workers?: number; quiet?: boolean; truth?: string }) => {
      if (!flags.out) throw new SparkifyError("E_BAD_OPTION", "simulate: --out <path> is required (a .jsonl file, a .gz file or a folder).");
      const summary = await writeSimulation({
        preset: flags.preset, users: flags.users, seed: flags.seed, start: flags.start, end: flags.end,
        out: flags.out, workers: flags.workers, quiet: flags.quiet,
      });
      process.stdout.write(formatSimulationSummary(flags.out, summary));
      if (flags.truth) {
        const n = writeGroundTruth({ preset: flags.preset, users: flags.users, seed: flags.seed, start: flags.start, end: flags.end }, flags.truth);
        process.stdout.write(`wrote ${flags.truth}: hidden parameters of ${n} users\n`);
      }
    });
}
