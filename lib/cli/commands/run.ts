import { Option, type Command } from "commander";
import { DEFAULT_OUT_DIR } from "../../config";
import { SparkifyError } from "../../errors";
import type { RunOptions, RunResult } from "../../pipeline/runPipeline";
import { addStorageOption, parseChoice, parseInteger, parseIsoTime, parseNumber } from "../parsers";
import type { StorageMode } from "../../store";
import type { ModelKind } from "../../models";
import { registerRemoteOptions, remoteSettingsFromFlags, type RemoteFlags } from "../remoteOptions";
import { quarantineLine } from "../../pipeline/quarantineFile";

const MODEL_KINDS: readonly ModelKind[] = ["lr", "rf", "gbt"];

/** Parses `--models lr,rf,gbt`. */
function parseModels(value: string): ModelKind[] {
  const kinds = value.split(",").map((s) => s.trim()).filter(Boolean);
  const choose = parseChoice("--models", MODEL_KINDS);
  if (kinds.length === 0) choose(value);
  return [...new Set(kinds.map(choose))];
}

/** Parses `--include gender,state` (the non-behaviour attributes to use as inputs after all). */
function parseInclude(value: string): string[] {
  const names = value.split(",").map((s) => s.trim()).filter(Boolean);
  const choose = parseChoice("--include", ["gender", "state"] as const);
  if (names.length === 0) choose(value);
  return [...new Set(names.map(choose))];
}

/** Parses `--cutoff ISO|weekly`. */
function parseCutoff(value: string): RunOptions["cutoffs"] {
  if (value === "weekly") return { kind: "weekly", minHistoryDays: 14 };
  return { kind: "single", cutoff: parseIsoTime("--cutoff")(value) };
}

/** Registers `sparkify-churn run`, the main job. */
export function register(program: Command): void {
  const command = program
    .command("run")
    .description("load → clean → features → cross-validation and fit → a run folder with data-report.json, features.csv, metrics.json, models/*.json, scores.csv and report.html")
    .option("--input <src...>", "event logs: file (.json, .jsonl, .gz), folder of part files, glob, or s3://bucket/key-or-prefix (default: the embedded simulated mini set, generated on first use)")
    .option("--out <dir>", "run folder", DEFAULT_OUT_DIR)
    .addOption(new Option("--mode <mode>", "forward: features before a cutoff, label in the horizon after it; full-history: the classic (leaky) set-up").argParser(parseChoice("--mode", ["forward", "full-history"] as const)).default("forward"))
    .option("--cutoff <iso|weekly>", "forward mode: one cutoff time (ISO date), or 'weekly' to stack weekly cutoffs (default: weekly; a remote engine finds them with one time-range query)", parseCutoff)
    .option("--horizon <days>", "forward mode: label horizon in days (default 14)", parseNumber("--horizon", 0.001))
    .addOption(new Option("--label <label>", "what counts as churn").argParser(parseChoice("--label", ["cancel", "cancel-or-downgrade"] as const)).default("cancel"))
    .option("--models <list>", "models to train, comma-separated: lr, rf, gbt (default: all three)", parseModels)
    .option("--folds <k>", "cross-validation folds (default 5; fewer when the minority class is small)", parseInteger("--folds", 2))
    .option("--seed <n>", "random seed of folds and models (default 42)", parseInteger("--seed"))
    .option("--no-search", "skip the hyper-parameter search (fit each model's default parameters)")
    .addOption(new Option("--select <criterion>", "how the best model is chosen: pr_auc (average precision, default: suits a low churn rate), auc, or log_loss (calibrated)").argParser(parseChoice("--select", ["pr_auc", "auc", "log_loss"] as const)).default("pr_auc"))
    .option("--jobs <n>", "threads fitting cross-validation folds in parallel (default: the number of cores; 1 = one after another); the results are the same", parseInteger("--jobs", 1))
    .option("--include <list>", "use these non-behaviour attributes as model inputs too, comma-separated: gender, state (default: neither)", parseInclude)
    .option("--s3-endpoint <url>", "S3-compatible endpoint for s3:// inputs (else AWS_ENDPOINT_URL_S3)")
    .option("--quiet", "no progress output")
    .option("--allow-incomplete", "load a folder of part files that has no _SUCCESS marker (its writer did not finish)")
    .action(async (flags: RemoteFlags & {
      input?: string[]; out: string; mode: "forward" | "full-history"; cutoff?: RunOptions["cutoffs"]; horizon?: number;
      label: "cancel" | "cancel-or-downgrade"; models?: ModelKind[]; folds?: number; seed?: number; search: boolean; s3Endpoint?: string; storage?: StorageMode; quiet?: boolean;
      select: "pr_auc" | "auc" | "log_loss"; include?: string[]; allowIncomplete?: boolean; jobs?: number;
    }) => {
      if (flags.mode === "full-history" && flags.cutoff) throw new SparkifyError("E_BAD_OPTION", "--cutoff applies to --mode forward only.");
      // Loaded on use, so that `--help` and flag errors answer at once.
      const { runPipeline } = require("../../pipeline/runPipeline") as typeof import("../../pipeline/runPipeline");
      const result = await runPipeline({
        input: flags.input, out: flags.out, mode: flags.mode, cutoffs: flags.cutoff, horizonDays: flags.horizon, label: flags.label,
        models: flags.models, folds: flags.folds, seed: flags.seed, search: flags.search, s3Endpoint: flags.s3Endpoint, storage: flags.storage, quiet: flags.quiet,
        select: flags.select, include: flags.include, allowIncomplete: flags.allowIncomplete, jobs: flags.jobs,
        engine: flags.engine, remote: remoteSettingsFromFlags(flags),
      });
      if (result) process.stdout.write(formatRunSummary(result));
    });
  addStorageOption(command);
  registerRemoteOptions(command);
}

/** The short summary `run` and `npm start` print. */
export function formatRunSummary(result: RunResult): string {
  const r = result.report;
  const m = result.metrics;
  const best = m.models[result.best]!;
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const lines = [
    `data      ${r.lines.toLocaleString("en-US")} lines → ${r.kept.toLocaleString("en-US")} events kept, ${Object.values(r.dropped).reduce((a, b) => a + b, 0).toLocaleString("en-US")} dropped by cleaning rules, ${r.quarantined} quarantined`,
    `table     ${m.dataset.rows} rows, ${m.dataset.users} users, ${m.dataset.positives} positive (${pct(m.dataset.positive_rate)}); mode ${m.mode}${m.horizon ? `, horizon ${m.horizon} days` : ""}`,
    `models    ${Object.entries(m.models).map(([k, v]) => `${k} AUC ${v!.auc.toFixed(3)} PR-AUC ${v!.pr_auc.toFixed(3)}`).join(" · ")}${m.baselines?.length ? ` · baseline ${m.baselines.map((b) => `${b.name} PR-AUC ${b.pr_auc.toFixed(3)}`).join(", ")}` : ""}`,
    `best      ${result.best}: ROC-AUC ${best.auc.toFixed(3)}, PR-AUC ${best.pr_auc.toFixed(3)}, F1 ${best.f1.toFixed(3)} (threshold ${best.threshold.toFixed(3)}, ${m.dataset.folds}-fold CV; chosen by ${m.selection?.criterion ?? "auc"})`,
    ...(best.calibration_summary ? [`calibrated ${best.calibration_summary.method}: mean probability ${best.calibration_summary.calibrated.mean_predicted.toFixed(3)} vs observed ${best.calibration_summary.calibrated.observed_rate.toFixed(3)}, ECE ${best.calibration_summary.raw.ece.toFixed(3)} → ${best.calibration_summary.calibrated.ece.toFixed(3)}; top 10% holds ${(100 * best.gains.captured_top10).toFixed(0)}% of churners (lift ${best.gains.top_decile_lift.toFixed(1)})`] : []),
    `at risk   ${result.scores.filter((s) => s.atRisk).length} of ${result.scores.length} active users above the threshold → ${result.folder.scores}`,
    `report    ${result.folder.report}`,
    `${quarantineLine(r).replace(/^quarantine: /, "quarantine ")}`,
    `manifest  ${result.folder.manifest} (written last: every file of the run with its SHA-256)`,
    `time      ${result.seconds.toFixed(1)} s`,
  ];
  return lines.join("\n") + "\n";
}
