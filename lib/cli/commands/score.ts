import type { Command } from "commander";
import type { StorageMode } from "../../store";
import { addStorageOption } from "../parsers";

/** Registers `sparkify-churn score`: rank users by churn probability with a saved model. */
export function register(program: Command): void {
  const command = program
    .command("score")
    .description("rank the users still active at the end of the input by churn probability, with each user's top reasons")
    .requiredOption("--model <file>", "a saved model, e.g. out/models/gbt.json")
    .option("--input <src...>", "event logs to score (default: the embedded simulated mini set)")
    .requiredOption("--out <file>", "where to write the ranked CSV, e.g. scores.csv")
    .option("--s3-endpoint <url>", "S3-compatible endpoint for s3:// inputs (else AWS_ENDPOINT_URL_S3)")
    .option("--quiet", "no progress output")
    .action(async (flags: { model: string; input?: string[]; out: string; s3Endpoint?: string; storage?: StorageMode; quiet?: boolean }) => {
      const { scorePipeline } = require("../../pipeline/scorePipeline") as typeof import("../../pipeline/scorePipeline");
      const r = await scorePipeline({ model: flags.model, input: flags.input, out: flags.out, s3Endpoint: flags.s3Endpoint, storage: flags.storage, quiet: flags.quiet });
      const top = r.scores.slice(0, 5).map((s) => `  ${s.rank}. user ${s.userId}  p=${s.probability.toFixed(3)}  ${s.reasons.map((x) => x.feature).join(", ")}`);
      process.stdout.write(`scored ${r.scores.length} users with ${r.kind} (threshold ${r.threshold.toFixed(3)}): ${r.scores.filter((s) => s.atRisk).length} at risk → ${flags.out}\n${top.join("\n")}\n`);
    });
  addStorageOption(command);
}
