import * as path from "node:path";
import type { Command } from "commander";
import { DEFAULT_OUT_DIR } from "../../config";
import { parseChoice } from "../parsers";
import { parseParamArgs } from "../../notebooks/parameters";
import { runNotebooks } from "../../notebooks/runNotebooks";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Registers `sparkify-churn notebooks`: runs the notebooks headless with papermill's conventions. */
export function register(program: Command): void {
  program
    .command("notebooks")
    .description("Run the notebooks headless (tslab), papermill-style: parameters injected after each notebook's `parameters` cell, executed copies written to DIR/notebooks/.")
    .option("--only <prefixes>", "run only notebooks whose names start with these comma-separated prefixes, e.g. 01,02")
    .option("--param <key=value>", "parameter injected into every notebook (repeatable); numbers, true/false, null and JSON are typed", collect, [] as string[])
    .option("--out <dir>", "run folder; executed notebooks go to DIR/notebooks/", DEFAULT_OUT_DIR)
    .option("--engine <engine>", "tslab: in-process tslab executor (fast); jupyter: a real Jupyter client and tslab kernel per notebook", parseChoice("--engine", ["tslab", "jupyter"] as const), "tslab")
    .option("--notebooks-dir <dir>", "folder of the notebooks to run (default: the project's notebooks/)")
    .action(async (opts: { only?: string; param: string[]; out: string; notebooksDir?: string; engine: "tslab" | "jupyter" }) => {
      const params = parseParamArgs(opts.param);
      // Notebooks write to the run folder unless told otherwise, like `run --out`; absolute, because
      // notebooks run with their own folder as the working directory.
      if (!("out" in params)) params.out = path.resolve(opts.out);
      const only = opts.only ? opts.only.split(",").map((s) => s.trim()).filter(Boolean) : undefined;
      const runs = await runNotebooks({ outDir: opts.out, notebooksDir: opts.notebooksDir, only, params, engine: opts.engine });
      const total = runs.reduce((s, r) => s + r.seconds, 0);
      process.stdout.write(`${runs.length} notebook(s) executed in ${total.toFixed(1)} s; executed copies in ${opts.out}/notebooks/\n`);
    });
}
