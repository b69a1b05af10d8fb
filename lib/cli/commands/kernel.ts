import type { Command } from "commander";
import { parseChoice } from "../parsers";
import { DEFAULT_JUPYTER_PYTHON, DENO_VERSION, writeKernel } from "../../notebooks/jupyterEngine";

/** Registers `sparkify-churn kernel install`: the notebooks' Jupyter kernel, with absolute paths. */
export function register(program: Command): void {
  const kernel = program.command("kernel").description("Jupyter kernels for the notebooks.");
  kernel
    .command("install")
    .description("Register the TypeScript kernel the notebooks use (argv with absolute paths, so it starts without node_modules/.bin on PATH) and check that the Python Jupyter runs has jupyter_client.")
    .option("--kernel <name>", `tslab (the default: the notebooks' kernel, type-checks each cell) or deno (Deno ${DENO_VERSION}'s built-in kernel from the npm package: faster, maintained, no type check)`, parseChoice("--kernel", ["tslab", "deno"] as const), "tslab")
    .option("--prefix <dir>", "install under DIR/share/jupyter/kernels/ (then set JUPYTER_PATH=DIR/share/jupyter, or use a venv's sys.prefix); default: your Jupyter data folder")
    .option("--python <path>", "the Python whose Jupyter will start the kernel (checked for jupyter_client); default SPARKIFY_JUPYTER_PYTHON, else /usr/bin/python3", process.env.SPARKIFY_JUPYTER_PYTHON ?? DEFAULT_JUPYTER_PYTHON)
    .action((opts: { kernel: "tslab" | "deno"; prefix?: string; python: string }) => {
      const r = writeKernel(opts.kernel, opts.prefix ?? null, opts.python);
      process.stdout.write(`registered kernel "${opts.kernel}" (${r.kernel.display_name}): ${r.spec}\n  argv: ${r.kernel.argv.join(" ")}\n`);
      if (r.jupyterPath) process.stdout.write(`  Jupyter finds it with JUPYTER_PATH=${r.jupyterPath}${opts.prefix ? " (or when DIR is the prefix of the Python environment running Jupyter)" : ""}\n`);
    });
}
