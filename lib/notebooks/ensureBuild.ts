import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../config";
import { SparkifyError } from "../errors";

/** Where the compiled library lands (`npm run build`); notebooks import its front door, `../dist/lib/index.js`. */
export const DIST_DIR = path.join(PROJECT_ROOT, "dist");

/** Written after a successful build; its mtime marks the build as fresh. */
const STAMP = ".build-stamp";

function newestMtime(dir: string, ext: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p, ext));
    else if (e.name.endsWith(ext)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** True when dist/ is missing or older than a source file of lib/ or the build config. */
export function distIsStale(root: string = PROJECT_ROOT): boolean {
  const stamp = path.join(root, "dist", STAMP);
  if (!fs.existsSync(stamp)) return true;
  const built = fs.statSync(stamp).mtimeMs;
  const sources = Math.max(newestMtime(path.join(root, "lib"), ".ts"), fs.statSync(path.join(root, "tsconfig.build.json")).mtimeMs);
  return sources > built;
}

/** Outcome of {@link ensureBuild}. */
export interface BuildResult {
  built: boolean;
  seconds: number;
  /** Type errors tsc reported while still emitting JavaScript (errors in other parts of lib/). */
  warnings: string;
}

/**
 * Compiles lib/ to dist/ with `tsc -p tsconfig.build.json` when dist/ is stale, because tslab
 * imports compiled JavaScript only from outside the notebook folder. Type errors still produce
 * JavaScript and are returned as warnings; no output at all is an error.
 */
export function ensureBuild(root: string = PROJECT_ROOT): BuildResult {
  const t0 = Date.now();
  if (!distIsStale(root)) return { built: false, seconds: 0, warnings: "" };
  const tsc = require.resolve("typescript/bin/tsc", { paths: [root, PROJECT_ROOT] });
  const r = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.build.json")], { cwd: root, encoding: "utf8" });
  const out = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim();
  const entry = path.join(root, "dist", "lib", "index.js");
  if (r.error || !fs.existsSync(entry)) {
    throw new SparkifyError("E_BUILD_FAILED", `Building lib/ for the notebooks failed (tsc -p tsconfig.build.json):\n${r.error?.message ?? out}`);
  }
  // Stamped even after type errors elsewhere: the JavaScript reflects the sources as they are now.
  // Dated to the build's start, so a source edited while tsc ran still counts as newer.
  const stamp = path.join(root, "dist", STAMP);
  fs.writeFileSync(stamp, new Date(t0).toISOString() + "\n");
  fs.utimesSync(stamp, new Date(t0), new Date(t0));
  return { built: true, seconds: (Date.now() - t0) / 1000, warnings: r.status === 0 ? "" : out };
}
