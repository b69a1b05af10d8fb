import * as path from "node:path";
import type { Command } from "commander";
import { DEFAULT_OUT_DIR } from "../../config";
import { parseChoice, parseNumber } from "../parsers";
import { splitParamArgs } from "../../notebooks/parameters";
import { NotebookExecutionError, runNotebooks } from "../../notebooks/runNotebooks";
import { DEFAULT_JUPYTER_PYTHON } from "../../notebooks/jupyterEngine";
import { EXIT, describeFatal } from "../exitCodes";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Registers `sparkify-churn notebooks`: runs the notebooks headless with papermill's conventions. */
export function register(program: Command): void {
  program
    .command("notebooks")
    .description("Run the notebooks headless, the papermill way: parameters injected after each notebook's `parameters` cell, executed copies with metadata.papermill written to DIR/notebooks/.")
    .option("--only <prefixes>", "run only notebooks whose names start with these comma-separated prefixes, e.g. 01,02")
    .option("--param <key=value>", "parameter for the notebooks that declare it (repeatable); typed as its parameters cell declares it; relative paths (input, out, *_path, *_dir, *_file) resolve against the current folder; a name no notebook declares is an error", collect, [] as string[])
    .option("--out <dir>", "run folder; executed notebooks go to DIR/notebooks/ (also the notebooks' `out` parameter)", DEFAULT_OUT_DIR)
    .option("--engine <engine>", "tslab: in-process tslab executor (fast); jupyter: a real Jupyter client (nbclient) and a fresh tslab kernel per notebook", parseChoice("--engine", ["tslab", "jupyter"] as const), "tslab")
    .option("--kernel <name>", "tslab (default) or deno: Deno's Jupyter kernel, run through a Jupyter client like --engine jupyter", parseChoice("--kernel", ["tslab", "deno"] as const), "tslab")
    .option("--kernel-prefix <dir>", "with --engine jupyter or --kernel deno: use the kernel `sparkify-churn kernel install [--kernel K] --prefix DIR` registered (default: register one in a temporary folder)")
    .option("--python <path>", "with --engine jupyter or --kernel deno: the Python whose Jupyter (nbclient) runs the notebooks; default SPARKIFY_JUPYTER_PYTHON, else /usr/bin/python3", process.env.SPARKIFY_JUPYTER_PYTHON ?? DEFAULT_JUPYTER_PYTHON)
    .option("--execution-timeout <seconds>", "fail a cell that runs longer than this (CellTimeoutError); no limit by default", parseNumber("--execution-timeout", 0.001))
    .option("--log-output", "stream each cell's outputs to stderr as they come")
    .option("--notebooks-dir <dir>", "folder of the notebooks to run (default: the project's notebooks/)")
    .addHelpText("after", "\nExit codes: 0 every notebook ran; 1 a cell failed or timed out (the executed copy holds the outputs up to it, the error and papermill's markers); if the run could not start, the status of its error (docs/errors.md): 2 an unknown or mistyped parameter or flag, 66 a missing notebook, 69 no Jupyter or kernel.")
    .action(async (opts: { only?: string; param: string[]; out: string; notebooksDir?: string; engine: "tslab" | "jupyter"; kernel: "tslab" | "deno"; kernelPrefix?: string; python: string; executionTimeout?: number; logOutput?: boolean }) => {
      const params: Record<string, string> = splitParamArgs(opts.param);
      const only = opts.only ? opts.only.split(",").map((s) => s.trim()).filter(Boolean) : undefined;
      try {
        const runs = await runNotebooks({
          // Notebooks that declare `out` write to the run folder, like `run --out`.
          outDir: opts.out, notebooksDir: opts.notebooksDir, only, params, implicitParams: { out: path.resolve(opts.out) }, engine: opts.engine, cwd: process.cwd(),
          executionTimeout: opts.executionTimeout, logOutput: opts.logOutput, kernel: opts.kernel, kernelPrefix: opts.kernelPrefix, python: opts.python,
        });
        const total = runs.reduce((s, r) => s + r.seconds, 0);
        process.stdout.write(`${runs.length} notebook(s) executed in ${total.toFixed(1)} s; executed copies in ${path.join(opts.out, "notebooks")}/\n`);
      } catch (err) {
        if (!(err instanceof NotebookExecutionError)) throw err;
        const { text, status } = describeFatal(err);
        process.stderr.write(text);
        process.exitCode = status;
      }
      // The cells ran in this process: a failed or interrupted cell, or a notebook that left a
      // store or timer open, must not keep the command alive once the executed copies are written.
      process.exit(process.exitCode ?? EXIT.ok);
    });
}
