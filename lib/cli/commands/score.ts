import type { Command } from "commander";
import type { StorageMode } from "../../store";
import { addStorageOption, parseIsoTime } from "../parsers";
import { quarantineLine } from "../../pipeline/quarantineFile";
import { registerRemoteOptions, remoteSettingsFromFlags, type RemoteFlags } from "../remoteOptions";

/** Registers `sparkify-churn score`: rank users by churn probability with a saved model. */
export function register(program: Command): void {
  const command = program
    .command("score")
    .description("rank the users still active at the end of the input (or at --cutoff) by calibrated churn probability, with the reasons that raise each user's risk")
    .requiredOption("--model <file>", "a saved model, e.g. out/models/gbt.json")
    .option("--input <src...>", "event logs to score (default: the embedded simulated mini set)")
    .requiredOption("--out <file>", "where to write the ranked CSV, e.g. scores.csv")
    .option("--cutoff <iso>", "score as of this time (features from the events before it); when the input reaches past it by the model's horizon, also prints what happened", parseIsoTime("--cutoff"))
    .option("--s3-endpoint <url>", "S3-compatible endpoint for s3:// inputs (else AWS_ENDPOINT_URL_S3)")
    .option("--quiet", "no progress output")
    .option("--allow-incomplete", "load a folder of part files that has no _SUCCESS marker (its writer did not finish)")
    .action(async (flags: RemoteFlags & { model: string; input?: string[]; out: string; cutoff?: number; s3Endpoint?: string; storage?: StorageMode; quiet?: boolean; allowIncomplete?: boolean }) => {
      const { scorePipeline } = require("../../pipeline/scorePipeline") as typeof import("../../pipeline/scorePipeline");
      const r = await scorePipeline({ model: flags.model, input: flags.input, out: flags.out, cutoff: flags.cutoff, s3Endpoint: flags.s3Endpoint, storage: flags.storage, quiet: flags.quiet, allowIncomplete: flags.allowIncomplete,
        engine: flags.engine, remote: remoteSettingsFromFlags(flags),
      });
      if (!r) return; // a remote --dry-run printed what would be sent
      for (const w of r.warnings) process.stderr.write(`warning: ${w}\n`);
      const top = r.scores.slice(0, 5).map((s) => `  ${s.rank}. user ${s.userId}  p=${s.probability.toFixed(3)}  ${s.reasons.map((x) => `${x.text ?? x.feature} (+${(100 * x.contribution).toFixed(1)} pts)`).join("; ")}`);
      const mean = r.scores.reduce((a, s) => a + s.probability, 0) / Math.max(1, r.scores.length);
      const lines = [
        `scored ${r.scores.length} users at ${r.cutoff} with ${r.kind}: mean churn probability ${mean.toFixed(3)} (expected churners ${(mean * r.scores.length).toFixed(1)}); ${r.scores.filter((s) => s.atRisk).length} at risk (threshold ${r.threshold.toFixed(3)}) → ${flags.out}`,
        ...top,
        ...(flags.engine && flags.engine !== "duckdb" ? [] : [quarantineLine(r.report)]),
        ...(r.manifest ? [`model     checked against ${r.manifest}`] : []),
      ];
      const o = r.outcome;
      if (o) {
        lines.push(`outcome   in the ${o.horizonDays} days after ${o.cutoff}: ${o.churned} of ${o.users} churned (${(100 * o.observed_rate).toFixed(1)}%; predicted ${(100 * o.mean_predicted).toFixed(1)}%, ${o.expected_churners.toFixed(1)} expected); ROC-AUC ${o.auc.toFixed(3)}, PR-AUC ${o.pr_auc.toFixed(3)}, ECE ${o.ece.toFixed(3)}; ${o.churned_at_risk} of the ${o.at_risk} flagged churned`);
      } else if (flags.cutoff !== undefined) {
        lines.push(`outcome   unknown: the input ends before ${r.cutoff} + the model's horizon`);
      }
      process.stdout.write(lines.join("\n") + "\n");
    });
  addStorageOption(command);
  registerRemoteOptions(command);
}
