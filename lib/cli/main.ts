import { Command } from "commander";
import { describeFatal } from "./exitCodes";
import { announceBackend } from "../models/backend";
import { register as registerSimulate } from "./commands/simulate";
import { register as registerFeatures } from "./commands/features";
import { register as registerRun } from "./commands/run";
import { register as registerScore } from "./commands/score";
import { register as registerNotebooks } from "./commands/notebooks";
import { register as registerKernel } from "./commands/kernel";
import { register as registerConvert } from "./commands/convert";

/** Builds the `sparkify-churn` program with every command registered. */
export function buildProgram(): Command {
  const program = new Command("sparkify-churn")
    .description("Predict which listeners of a music-streaming service will cancel, from its raw event logs.")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  // commander's own errors (unknown command or flag, a value a parser refuses) are usage errors: name the code.
  program.configureOutput({ outputError: (str, write) => write(`${str.trimEnd()} [E_BAD_OPTION]\n`) });
  registerSimulate(program);
  registerFeatures(program);
  registerRun(program);
  registerScore(program);
  registerNotebooks(program);
  registerKernel(program);
  registerConvert(program);
  for (const cmd of program.commands) cmd.exitOverride().showHelpAfterError("(run with --help for usage)");
  // The library names its TensorFlow.js backend only when asked; the CLI asks unless --quiet or SPARKIFY_QUIET.
  program.hook("preAction", (_program, action) => {
    announceBackend(!action.opts<{ quiet?: boolean }>().quiet && !process.env.SPARKIFY_QUIET);
  });
  return program;
}

/** Runs the CLI with `argv` as process.argv gives it. */
export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}

/** Prints an error the way users should see it (naming its code) and sets the exit status docs/errors.md gives it. */
export function reportFatal(err: unknown): void {
  const { text, status } = describeFatal(err);
  if (text) process.stderr.write(text);
  process.exitCode = status;
}
