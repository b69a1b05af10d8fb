import * as util from "node:util";
import type { CellOutput } from "./notebookFormat";

// tslab 1.0.22 internals (package.json pins the version): the kernel's own converter and executor.
interface Converter {
  close(): void;
}
interface Executor {
  execute(src: string): Promise<boolean>;
  reset(): void;
  close(): void;
}
interface DisplayMessage {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient?: { display_id?: string };
}
type WriteDisplay = (msg: DisplayMessage, update: boolean) => void;

/** What one cell produced. */
export interface CellRun {
  ok: boolean;
  outputs: CellOutput[];
  /** All stderr text of the cell (where tslab reports compile and runtime errors). */
  stderr: string;
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
        error: (...a: unknown[]) => session?.write("stderr", util.format(...a) + "\n"),
      });
      session = new TslabSession(dir, executor, [node, browser]);
      return session;
    } finally {
      process.chdir(prev);
    }
  }

  /** Executes one cell with the working directory set to the session's folder. */
  async execute(code: string): Promise<CellRun> {
    this.current = [];
    this.stderrText = "";
    this.displayIds.clear();
    this.capture();
    const prev = process.cwd();
    process.chdir(this.dir);
    let ok: boolean;
    try {
      ok = await this.executor.execute(code);
    } catch (err) {
      // The executor reports errors itself; this is for failures of tslab's own machinery.
      this.write("stderr", `${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      ok = false;
    } finally {
      process.chdir(prev);
    }
    return { ok, outputs: this.current, stderr: this.stderrText };
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
  };
}
