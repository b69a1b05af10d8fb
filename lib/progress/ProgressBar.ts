import * as cliProgress from "cli-progress";

/** Options of a progress bar. */
export interface ProgressOptions {
  /** What is being done, shown before the bar ("load", "s3 download"). */
  label: string;
  /** Total bytes expected (0 when unknown). */
  totalBytes: number;
  /** No output at all (tests, library use). */
  quiet?: boolean;
  /** Show the bar only once the work has lasted this long (ms); default 1000. */
  delayMs?: number;
  /** Where to draw; default process.stderr. */
  stream?: NodeJS.WriteStream;
}

/** Formats a byte count for people: 1.5 GB, 20.0 MB. */
export function formatBytes(n: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let u = 0;
  let v = n;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

/** Formats seconds as 1m05s / 12s. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return "?";
  const m = Math.floor(s / 60);
  const r = Math.round(s - m * 60);
  return m > 0 ? `${m}m${String(r).padStart(2, "0")}s` : `${r}s`;
}

/**
 * A terminal progress bar for bytes and rows with rate and ETA. It stays invisible for work
 * shorter than `delayMs` (so fast loads print nothing) and in quiet mode.
 */
export class ProgressBar {
  private readonly opts: ProgressOptions;
  private readonly started = Date.now();
  private bar: cliProgress.SingleBar | null = null;
  private bytes = 0;
  private rows = 0;
  private total: number;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(opts: ProgressOptions) {
    this.opts = opts;
    this.total = Math.max(0, opts.totalBytes);
    if (!opts.quiet) {
      this.timer = setTimeout(() => this.show(), opts.delayMs ?? 1000);
      this.timer.unref();
    }
  }

  /** Adds to the expected total (e.g. when an S3 listing page arrives). */
  addTotal(bytes: number): void {
    this.total += bytes;
    this.bar?.setTotal(Math.max(1, this.total));
  }

  /** Records progress: bytes done so far in total and rows seen so far (absolute values). */
  update(bytes: number, rows?: number): void {
    this.bytes = bytes;
    if (rows !== undefined) this.rows = rows;
    this.bar?.update(Math.min(this.bytes, Math.max(1, this.total)), this.payload());
  }

  /** Adds `bytes` and `rows` to what is done. */
  increment(bytes: number, rows = 0): void {
    this.update(this.bytes + bytes, this.rows + rows);
  }

  /** Bytes recorded so far. */
  get doneBytes(): number {
    return this.bytes;
  }

  /** Ends the bar (leaves the last line on screen when it was shown). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.bar) {
      this.bar.update(Math.min(this.bytes, Math.max(1, this.total)), this.payload());
      this.bar.stop();
    }
  }

  private payload(): Record<string, string> {
    const secs = Math.max(1e-3, (Date.now() - this.started) / 1000);
    const rate = this.bytes / secs;
    const eta = this.total > 0 && rate > 0 ? (this.total - this.bytes) / rate : NaN;
    return {
      label: this.opts.label,
      done: formatBytes(this.bytes),
      all: this.total > 0 ? formatBytes(this.total) : "?",
      rows: this.rows.toLocaleString("en-US"),
      rate: `${formatBytes(rate)}/s`,
      rowRate: `${Math.round(this.rows / secs).toLocaleString("en-US")} rows/s`,
      etaText: formatSeconds(eta),
    };
  }

  private show(): void {
    if (this.stopped || this.opts.quiet) return;
    this.bar = new cliProgress.SingleBar(
      {
        format: "{label} [{bar}] {percentage}% | {done}/{all} | {rows} rows | {rate} {rowRate} | ETA {etaText}",
        stream: this.opts.stream ?? process.stderr,
        hideCursor: false,
        clearOnComplete: false,
        etaBuffer: 20,
        fps: 5,
        noTTYOutput: false,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(Math.max(1, this.total), Math.min(this.bytes, Math.max(1, this.total)), this.payload());
  }
}
