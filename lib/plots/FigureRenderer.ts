import * as fs from "node:fs";
import type { Browser, Page } from "playwright-core";
import { SparkifyError } from "../errors";
import { CHROMIUM_HINT, findChromium } from "./findChromium";
import { plotlyBundlePath } from "./plotlyBundle";
import { Figure } from "./types";

/** Flags for headless Debian Chromium in containers and CI (no sandbox, no network chatter). */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
];

/** Raised by {@link FigureRenderer.create} when no system Chromium exists: the signal to fall back to JSON only. */
export class ChromiumUnavailableError extends SparkifyError {
  constructor(detail?: string) {
    super("E_TOOL_MISSING", `No Chromium found for rendering figures${detail ? ` (${detail})` : ""}. ${CHROMIUM_HINT}`);
    this.name = "ChromiumUnavailableError";
  }
}

/** Size of a rendered image in CSS pixels; the figure's layout width/height win when set. */
export interface ImageSize {
  width?: number;
  height?: number;
  /** Device pixel ratio of PNGs (2 for sharp images on high-DPI screens). */
  scale?: number;
}

/**
 * Renders Plotly figures to PNG or SVG in one headless Chromium page, with plotly.js loaded once:
 * loading plotly takes seconds, each image afterwards a fraction of a second.
 *
 * @example
 * import * as fs from "node:fs";
 * import * as os from "node:os";
 * import * as path from "node:path";
 * import { FigureRenderer } from "./lib/plots/FigureRenderer";
 * import type { Figure } from "./lib/plots/types";
 * const fig: Figure = { data: [{ type: "scatter", x: [0, 0.2, 1], y: [0, 0.7, 1], name: "ROC" }], layout: { title: { text: "ROC" } } };
 * const file = path.join(os.tmpdir(), `roc-${process.pid}.png`);
 * const r = await FigureRenderer.create();
 * try { fs.writeFileSync(file, await r.toPng(fig)); } finally { await r.close(); }
 * fs.rmSync(file);
 */
export class FigureRenderer {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly browser: Browser,
    private readonly page: Page,
    /** The Chromium binary in use. */
    readonly executable: string,
  ) {}

  /** Starts Chromium and loads plotly.js; throws ChromiumUnavailableError when there is no Chromium. */
  static async create(opts: { executablePath?: string; timeoutMs?: number } = {}): Promise<FigureRenderer> {
    const exe = opts.executablePath ?? findChromium();
    if (!exe) throw new ChromiumUnavailableError();
    const { chromium } = await import("playwright-core");
    let browser: Browser;
    try {
      browser = await chromium.launch({ executablePath: exe, args: CHROMIUM_FLAGS, headless: true, timeout: opts.timeoutMs ?? 60_000 });
    } catch (err) {
      throw new ChromiumUnavailableError(`${exe} did not start: ${(err as Error).message.split("\n")[0]}`);
    }
    try {
      const page = await browser.newPage();
      // Rendering is offline: any network request is a bug, so refuse them all.
      await page.route(/^(https?|wss?):/, (route) => route.abort());
      await page.setContent("<!doctype html><html><head><meta charset='utf-8'></head><body></body></html>");
      await page.addScriptTag({ content: fs.readFileSync(plotlyBundlePath(), "utf8") });
      await page.waitForFunction(() => typeof (globalThis as { Plotly?: unknown }).Plotly === "object");
      return new FigureRenderer(browser, page, exe);
    } catch (err) {
      await browser.close().catch(() => undefined);
      throw err;
    }
  }

  /** Renders `fig` to PNG bytes. */
  async toPng(fig: Figure, size: ImageSize = {}): Promise<Buffer> {
    const url = await this.toImage(fig, "png", size);
    return Buffer.from(url.slice(url.indexOf(",") + 1), "base64");
  }

  /** Renders `fig` to an SVG document (text). */
  async toSvg(fig: Figure, size: ImageSize = {}): Promise<string> {
    const url = await this.toImage(fig, "svg", size);
    const body = url.slice(url.indexOf(",") + 1);
    return url.startsWith("data:image/svg+xml;base64,") ? Buffer.from(body, "base64").toString("utf8") : decodeURIComponent(body);
  }

  /** Closes the page and the browser. */
  async close(): Promise<void> {
    await this.browser.close();
  }

  private toImage(fig: Figure, format: "png" | "svg", size: ImageSize): Promise<string> {
    const layout = fig.layout ?? {};
    const width = size.width ?? (typeof layout.width === "number" ? layout.width : 800);
    const height = size.height ?? (typeof layout.height === "number" ? layout.height : 450);
    const args = { data: fig.data, layout, format, width, height, scale: size.scale ?? 1 };
    // One page serves every figure: renders run one after another.
    const run = this.queue.then(() =>
      this.page.evaluate(async (a) => {
        const P = (globalThis as unknown as { Plotly: { toImage(f: unknown, o: unknown): Promise<string> } }).Plotly;
        return P.toImage({ data: a.data, layout: a.layout }, { format: a.format, width: a.width, height: a.height, scale: a.scale });
      }, args),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }
}
