// Suites that need a part of the system the project cannot install through npm (Chromium, Jupyter's
// Python packages, Ceph's radosgw, the system Python) declare it here. A missing part skips the
// suite with its reason and what to install, recorded for the summary that closes `npm test`
// (test/helpers/summaryReporter.ts); in strict mode (CI=true, or `npm test -- --strict`) it fails
// the suite instead, so a green CI run means every suite ran.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { findChromium } from "../../lib/plots/findChromium";

/** A part of the system some suites need. */
export type SystemPart = "chromium" | "jupyter" | "radosgw" | "python3";

/** The system Python (Debian's), which has the Jupyter packages; the `python3` on PATH may not. */
export const SYSTEM_PYTHON = "/usr/bin/python3";

interface PartSpec {
  /** What the part is, for messages. */
  label: string;
  /** Debian packages that provide it (scripts/install-system-deps.sh installs the same). */
  debs: string[];
  /** Null when present, otherwise what is missing. */
  missing(): string | null;
}

function commandPath(cmd: string): string | null {
  const r = spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

function pythonMissing(modules: string[]): string | null {
  if (!fs.existsSync(SYSTEM_PYTHON)) return `${SYSTEM_PYTHON} does not exist`;
  const absent = modules.filter((m) => spawnSync(SYSTEM_PYTHON, ["-c", `import ${m}`]).status !== 0);
  return absent.length === 0 ? null : `${SYSTEM_PYTHON} cannot import ${absent.join(", ")}`;
}

const PARTS: Record<SystemPart, PartSpec> = {
  chromium: {
    label: "Chromium",
    debs: ["chromium"],
    missing: () => (findChromium() ? null : "no Chromium found (set SPARKIFY_CHROMIUM to a Chromium/Chrome binary, or install one)"),
  },
  jupyter: {
    label: "Jupyter client (nbclient, nbformat, jupyter_client, ipykernel)",
    debs: ["jupyter-client", "python3-nbclient", "python3-nbformat", "jupyter-nbconvert", "python3-ipykernel"],
    missing: () => pythonMissing(["nbclient", "nbformat", "jupyter_client", "ipykernel"]),
  },
  radosgw: {
    label: "Ceph radosgw (an S3-compatible server)",
    debs: ["radosgw", "ceph-mon", "ceph-osd"],
    missing: () => {
      const absent = ["radosgw", "ceph-mon", "ceph-osd", "radosgw-admin", "monmaptool"].filter((c) => !commandPath(c));
      return absent.length === 0 ? null : `${absent.join(", ")} not on PATH`;
    },
  },
  python3: {
    label: "the system Python",
    debs: ["python3"],
    missing: () => (fs.existsSync(SYSTEM_PYTHON) ? null : `${SYSTEM_PYTHON} does not exist`),
  },
};

/** The Debian packages a part comes from (the install hint of a skipped suite). */
export function debianPackages(part: SystemPart): string[] {
  return [...PARTS[part].debs];
}

/** One suite's outcome with respect to what it needs: ran, or skipped with a reason. */
export interface SuiteDecision {
  suite: string;
  needs: string;
  ran: boolean;
  reason?: string;
}

// One registry per process, also when this module is loaded twice under different paths.
const REGISTRY_KEY = Symbol.for("sparkify-churn.test.systemSuites");
interface Registry {
  decisions: Map<string, SuiteDecision>;
  present: Map<SystemPart, string | null>;
}
function registry(): Registry {
  const g = globalThis as unknown as Record<symbol, Registry | undefined>;
  g[REGISTRY_KEY] ??= { decisions: new Map(), present: new Map() };
  return g[REGISTRY_KEY];
}

/** Every suite decision recorded in this process, in the order they were made. */
export function suiteDecisions(): SuiteDecision[] {
  return [...registry().decisions.values()];
}

/** Records a decision (also for suites that are not mocha suites, such as the conformance suite). */
export function recordDecision(d: SuiteDecision): void {
  const reg = registry().decisions;
  const key = `${d.suite}\u0000${d.needs}`;
  if (!reg.has(key)) reg.set(key, d);
}

/** True under CI=true (or 1), or `npm test -- --strict` (SPARKIFY_STRICT=1): a suite that cannot run fails. */
export function strictMode(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === "true" || env.CI === "1" || env.SPARKIFY_STRICT === "1";
}

/**
 * Parts named in SPARKIFY_TEST_WITHOUT (comma-separated, e.g. "chromium,radosgw") count as missing:
 * a run shows what a machine without them does (which suites are skipped, what strict mode fails).
 */
export function pretendMissing(env: NodeJS.ProcessEnv = process.env): Set<string> {
  return new Set((env.SPARKIFY_TEST_WITHOUT ?? "").split(",").map((x) => x.trim()).filter((x) => x !== ""));
}

/** Null when `part` is installed, otherwise what is missing (checked once per process). */
export function systemPartMissing(part: SystemPart): string | null {
  const cache = registry().present;
  if (!cache.has(part)) cache.set(part, pretendMissing().has(part) ? "SPARKIFY_TEST_WITHOUT names it" : PARTS[part].missing());
  return cache.get(part)!;
}

/** The sentence a skipped suite gives: what is missing and which packages bring it. */
export function missingReason(part: SystemPart, detail: string): string {
  return `${PARTS[part].label} is missing: ${detail}; install it with \`apt-get install ${PARTS[part].debs.join(" ")}\` (or \`bash scripts/install-system-deps.sh\` as root on Debian)`;
}

function suiteTitle(ctx: Mocha.Context): string {
  const runnable = ctx.currentTest ?? ctx.test;
  const suite = runnable?.parent;
  return suite?.fullTitle() || runnable?.fullTitle() || "(a suite)";
}

/** Records whether `suite` can have `part` (as `needs`); throws in strict mode when it cannot. True when present. */
function decide(suite: string, part: SystemPart, what?: string): boolean {
  const needs = what ? `${part} (${what})` : part;
  const detail = systemPartMissing(part);
  if (detail === null) {
    recordDecision({ suite, needs, ran: true });
    return true;
  }
  const reason = (what ? `its ${what} checks did not run: ` : "") + missingReason(part, detail);
  recordDecision({ suite, needs, ran: false, reason });
  if (strictMode()) throw new Error(`${suite}: cannot run, ${reason}. Strict mode (CI=true or --strict) fails a suite that cannot run.`);
  return false;
}

/**
 * Declares that the running suite (call it in `before`) or test needs `part`. When the part is
 * missing it skips with the reason and what to install, recorded for the run's summary; in strict
 * mode it throws instead, failing the suite.
 */
export function requireSystem(ctx: Mocha.Context, part: SystemPart): void {
  if (!decide(suiteTitle(ctx), part)) ctx.skip();
}

/**
 * For checks inside a test that need `part` while the rest of the test does not: true when the part
 * is present; otherwise the missing checks are listed in the run's summary as not run (and fail the
 * run in strict mode), and the test goes on without them.
 */
export function checksNeeding(ctx: Mocha.Context, part: SystemPart, what: string): boolean {
  return decide(suiteTitle(ctx), part, what);
}

type TestFn = (this: Mocha.Context) => void | PromiseLike<unknown>;

/**
 * `it` for a test that needs `part`: `systemIt("jupyter")("runs …", () => { … })` is `it` whose
 * body first calls {@link requireSystem}.
 */
export function systemIt(part: SystemPart): (title: string, fn: TestFn) => Mocha.Test {
  return (title, fn) =>
    it(title, function (this: Mocha.Context) {
      requireSystem(this, part);
      return fn.call(this);
    });
}

/**
 * `describe` for a suite whose tests all need `part`: its first `before` hook calls
 * {@link requireSystem}, so a missing part skips (or, in strict mode, fails) the whole suite.
 */
export function systemDescribe(part: SystemPart): (title: string, fn: (this: Mocha.Suite) => void) => Mocha.Suite {
  return (title, fn) =>
    describe(title, function (this: Mocha.Suite) {
      before(function () {
        requireSystem(this, part);
      });
      fn.call(this);
    });
}
