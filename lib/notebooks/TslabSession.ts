import * as util from "node:util";
import type { CellOutput } from "./notebookFormat";

// tslab 1.0.22 internals (package.json pins the version): the kernel's own converter and executor.
interface Converter {
  close(): void;
}
interface Executor {
  execute(src: string): Promise<boolean>;
  reset(): void;
  interrupt(): void;
  close(): void;
}
interface DisplayMessage {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient?: { display_id?: string };
}
type WriteDisplay = (msg: DisplayMessage, update: boolean) => void;

/** Why a cell failed, in the fields of an nbformat `error` output. */
export interface CellError {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** What one cell produced. */
export interface CellRun {
  ok: boolean;
  /** The outputs, ending with an `error` output when the cell failed. */
  outputs: CellOutput[];
  /** All stderr text the cell wrote itself (tslab's own error report is moved into `error`). */
  stderr: string;
  /** Set when the cell failed. */
  error?: CellError;
}

/** Options of {@link TslabSession.execute}. */
export interface ExecuteOptions {
  /** Seconds the cell may run before it is interrupted and fails with CellTimeoutError. */
  timeoutSeconds?: number;
  /** Called with each output as it arrives (stream text in pieces), for `--log-output`. */
  onOutput?: (out: CellOutput) => void;
}

/** The `error` output of an exception object: its name, message and stack. */
export function errorFromException(err: unknown): CellError {
  if (err instanceof Error) {
    const stack = (err.stack ?? "").split("\n");
    // The stack's first line repeats "Name: message"; the traceback holds the frames after it.
    const frames = stack.filter((l) => /^\s+at /.test(l));
    return { ename: err.name || err.constructor?.name || "Error", evalue: err.message, traceback: [`${err.name}: ${err.message}`, ...frames] };
  }
  return { ename: "Error", evalue: util.inspect(err), traceback: [`thrown: ${util.inspect(err)}`] };
}

/**
 * Runs TypeScript cells in this process with tslab's own converter and executor, as the tslab
 * kernel does, and captures stdout, stderr and display data per cell in nbformat outputs.
 * The converters are bound to `dir` (local imports resolve under it), so one session serves one
 * folder of notebooks; {@link reset} gives the next notebook fresh variables.
 */
export class TslabSession {
  private current: CellOutput[] = [];
  private stderrText = "";
  // What tslab reported for the failing cell: the thrown value, or TypeScript diagnostics.
  private thrown: { err: unknown; text: string } | null = null;
  private diagnostics: string[] = [];
  private onOutput: ((out: CellOutput) => void) | undefined;
  private readonly displayIds = new Map<string, number>();
  private savedWrites: { out: typeof process.stdout.write; err: typeof process.stderr.write } | null = null;
  private readonly jupyter: { lastWriteDisplayData: WriteDisplay | null };

  private constructor(
    readonly dir: string,
    private readonly executor: Executor,
    private readonly converters: Converter[],
  ) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.jupyter = require("tslab/dist/jupyter");
  }

  /** Creates the TypeScript converters (about 2 s) with `dir` as the working directory. */
  static async create(dir: string): Promise<TslabSession> {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { createConverter } = require("tslab/dist/converter") as { createConverter(o?: { isBrowser?: boolean }): Converter };
    const { createExecutor } = require("tslab/dist/executor") as {
      createExecutor(root: string, convs: { node: Converter; browser: Converter; close(): void }, console: { log(...a: unknown[]): void; error(...a: unknown[]): void }): Executor;
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
    const prev = process.cwd();
    process.chdir(dir);
    try {
      const node = createConverter();
      const browser = createConverter({ isBrowser: true });
      let session: TslabSession | null = null;
      const executor = createExecutor(dir, { node, browser, close: () => undefined }, {
        log: (...a: unknown[]) => session?.write("stdout", util.format(...a) + "\n"),
        error: (...a: unknown[]) => session?.reportError(a),
      });
      session = new TslabSession(dir, executor, [node, browser]);
      return session;
    } finally {
      process.chdir(prev);
    }
  }

  /**
   * Executes one cell with the working directory set to the session's folder. A failure ends the
   * outputs with an `error` output (name, message, stack), as Jupyter kernels report exceptions.
   */
  async execute(code: string, opts: ExecuteOptions = {}): Promise<CellRun> {
    this.current = [];
    this.stderrText = "";
    this.thrown = null;
    this.diagnostics = [];
    this.onOutput = opts.onOutput;
    this.displayIds.clear();
    this.capture();
    const prev = process.cwd();
    process.chdir(this.dir);
    let ok: boolean;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    try {
      const run = this.executor.execute(code);
      if (opts.timeoutSeconds && opts.timeoutSeconds > 0) {
        // tslab's interrupt rejects the cell's pending await; a cell busy in synchronous code
        // cannot be interrupted in-process (the Jupyter engine's kernel can be).
        timer = setTimeout(() => {
          timedOut = true;
          this.executor.interrupt();
        }, opts.timeoutSeconds * 1000);
      }
      ok = await run;
    } catch (err) {
      // The executor reports errors itself; this is for failures of tslab's own machinery.
      this.thrown = { err, text: "" };
      ok = false;
    } finally {
      if (timer) clearTimeout(timer);
      process.chdir(prev);
    }
    let error: CellError | undefined;
    if (!ok) {
      error = timedOut
        ? { ename: "CellTimeoutError", evalue: `A cell timed out while it was being executed, after ${opts.timeoutSeconds} seconds.`, traceback: [`CellTimeoutError: the cell ran past --execution-timeout ${opts.timeoutSeconds} s and was interrupted.`] }
        : this.thrown
          ? errorFromException(this.thrown.err)
          : this.diagnostics.length
            ? { ename: "TypeScriptError", evalue: this.diagnostics.join("\n"), traceback: this.diagnostics.map((d) => `TypeScriptError: ${d}`) }
            : { ename: "Error", evalue: this.stderrText.trim() || "the cell failed without an error message", traceback: [] };
      const out: CellOutput = { output_type: "error", ...error };
      this.current.push(out);
      this.onOutput?.(out);
    }
    return { ok, outputs: this.current, stderr: this.stderrText, error };
  }

  // tslab's console.error: a thrown value (one Error argument) or a TypeScript diagnostic
  // ("%s%d:%d - %s"); both become the cell's `error` output instead of stderr text.
  private reportError(args: unknown[]): void {
    if (args.length === 1 && (args[0] instanceof Error || (typeof args[0] === "object" && args[0] !== null && "stack" in args[0]))) {
      this.thrown = { err: args[0], text: util.format(...args) };
      return;
    }
    if (typeof args[0] === "string" && args[0] === "%s%d:%d - %s") {
      const [, file, line, col, msg] = args as [string, string, number, number, unknown];
      const text = `${file}line ${line}, column ${col}: ${typeof msg === "string" ? msg : util.inspect(msg)}`;
      // tslab reports some diagnostics twice (once per converter pass).
      if (!this.diagnostics.includes(text)) this.diagnostics.push(text);
      return;
    }
    this.write("stderr", util.format(...args) + "\n");
  }

  /** Forgets the variables of earlier cells (the start of a new notebook). */
  reset(): void {
    this.executor.reset();
  }

  /** Restores stdout/stderr and releases the converters. */
  close(): void {
    this.release();
    this.executor.close();
    for (const c of this.converters) c.close();
  }

  /** Stops capturing: output after this goes to the real stdout/stderr again. */
  release(): void {
    if (this.savedWrites) {
      process.stdout.write = this.savedWrites.out;
      process.stderr.write = this.savedWrites.err;
      this.savedWrites = null;
    }
    if (this.jupyter.lastWriteDisplayData === this.onDisplay) this.jupyter.lastWriteDisplayData = null;
  }

  private capture(): void {
    if (!this.savedWrites) this.savedWrites = { out: process.stdout.write, err: process.stderr.write };
    // Like the tslab kernel: output written after a cell finished still lands in that cell.
    process.stdout.write = this.streamWriter("stdout");
    process.stderr.write = this.streamWriter("stderr");
    this.jupyter.lastWriteDisplayData = this.onDisplay;
  }

  private streamWriter(name: "stdout" | "stderr"): typeof process.stdout.write {
    return ((chunk: string | Uint8Array, enc?: unknown, cb?: unknown) => {
      this.write(name, typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      const done = typeof enc === "function" ? enc : cb;
      if (typeof done === "function") process.nextTick(done as () => void);
      return true;
    }) as typeof process.stdout.write;
  }

  private write(name: "stdout" | "stderr", text: string): void {
    if (name === "stderr") this.stderrText += text;
    this.onOutput?.({ output_type: "stream", name, text });
    const last = this.current[this.current.length - 1];
    if (last && last.output_type === "stream" && last.name === name) last.text += text;
    else this.current.push({ output_type: "stream", name, text });
  }

  private readonly onDisplay: WriteDisplay = (msg, update) => {
    const id = msg.transient?.display_id;
    const out: CellOutput = { output_type: "display_data", data: msg.data, metadata: msg.metadata ?? {} };
    if (update && id) {
      const i = this.displayIds.get(id);
      if (i !== undefined && this.current[i]) {
        this.current[i] = out;
        return;
      }
    }
    if (id) this.displayIds.set(id, this.current.length);
    this.current.push(out);
    this.onOutput?.(out);
  };
}
