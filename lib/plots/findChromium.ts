import * as fs from "node:fs";

/** Where a system Chromium is looked for, in order, after the SPARKIFY_CHROMIUM variable. */
export const CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

/**
 * Path of a system Chromium: `SPARKIFY_CHROMIUM` when set (an empty value disables PNGs), else the
 * first of {@link CHROMIUM_CANDIDATES} that exists; null when there is none. Never a downloaded browser.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const forced = env.SPARKIFY_CHROMIUM;
  if (forced !== undefined) return forced !== "" && isExecutable(forced) ? forced : null;
  return CHROMIUM_CANDIDATES.find(isExecutable) ?? null;
}

/** How to get PNG figures when no Chromium is found (shown in notebooks and errors). */
export const CHROMIUM_HINT =
  "Static PNG figures need a system Chromium: install it (Debian/Ubuntu: `sudo apt-get install chromium`) " +
  "or point SPARKIFY_CHROMIUM at a Chromium/Chrome binary.";

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
