// mocha's spec reporter plus a closing summary: how many suites ran, passed and were skipped, and
// why each skipped one did not run (what to install); then the plain `N passed, N failed, N skipped`
// line that CI reads. In strict mode (CI=true or `npm test -- --strict`) a skipped test fails the run.
// Registered in .mocharc.json.
import Mocha from "mocha";
import { suiteDecisions, strictMode } from "./systemSuites";

const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;

interface SuiteTally {
  title: string;
  passed: number;
  failed: number;
  pending: number;
}

/** The top-level suite (a file's outer `describe`) a test or hook belongs to. */
function topSuite(r: Mocha.Runnable): Mocha.Suite | undefined {
  let s = r.parent;
  while (s && s.parent && !s.parent.root) s = s.parent;
  return s;
}

class SummaryReporter extends Mocha.reporters.Spec {
  private readonly suites = new Map<Mocha.Suite, SuiteTally>();
  private readonly counts = { passed: 0, failed: 0, pending: 0 };

  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const tally = (r: Mocha.Runnable): SuiteTally => {
      const top = topSuite(r);
      const key = top ?? (r.parent as Mocha.Suite);
      let t = this.suites.get(key);
      if (!t) {
        t = { title: top && !top.root ? top.fullTitle() : `tests outside a describe (${r.file ?? "?"})`, passed: 0, failed: 0, pending: 0 };
        this.suites.set(key, t);
      }
      return t;
    };
    runner.on(EVENT_TEST_PASS, (t: Mocha.Test) => {
      tally(t).passed++;
      this.counts.passed++;
    });
    runner.on(EVENT_TEST_FAIL, (t: Mocha.Runnable) => {
      tally(t).failed++;
      this.counts.failed++;
    });
    runner.on(EVENT_TEST_PENDING, (t: Mocha.Test) => {
      tally(t).pending++;
      this.counts.pending++;
    });
  }

  /** Called by mocha after the spec reporter's epilogue: prints the summary and sets the failure count. */
  override done(failures: number, fn?: (failures: number) => void): void {
    const strict = strictMode();
    const all = [...this.suites.values()];
    const ran = all.filter((s) => s.passed + s.failed > 0);
    const failedSuites = ran.filter((s) => s.failed > 0);
    const skippedSuites = all.filter((s) => s.passed + s.failed === 0 && s.pending > 0);
    const decisions = suiteDecisions().filter((d) => !d.ran);
    const explained = new Set(decisions.map((d) => d.suite));
    const lines: string[] = [];
    lines.push(
      `Suites: ${ran.length} ran, ${ran.length - failedSuites.length} passed, ${failedSuites.length} failed, ${skippedSuites.length} skipped` +
        (decisions.length > 0 ? `; ${decisions.length} not run for a missing system part or data:` : "."),
    );
    for (const d of decisions) lines.push(`  ${strict ? "could not run (a failure in strict mode)" : "not run"}: ${d.suite}: ${d.reason ?? "(no reason recorded)"}`);
    for (const s of all) {
      if (s.pending === 0) continue;
      const declared = [...explained].some((e) => e === s.title || e.startsWith(`${s.title} `));
      if (!declared) lines.push(`  skipped without a declared reason: ${s.pending} test(s) in "${s.title}"`);
    }
    for (const s of failedSuites) lines.push(`  failed: ${s.title} (${s.failed} failure(s))`);
    let failed = this.counts.failed;
    let total = failures;
    let skipped = this.counts.pending;
    if (strict && skipped > 0) {
      lines.push(`Strict mode (CI=true or --strict): ${skipped} skipped test(s) count as failed; every suite must run.`);
      failed += skipped;
      total += skipped;
      skipped = 0;
    } else if (!strict && (skipped > 0 || decisions.length > 0)) {
      lines.push("Skips are allowed outside CI; `npm test -- --strict` (or CI=true) fails on them.");
    }
    lines.push(`${this.counts.passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
    Mocha.reporters.Base.consoleLog(`\n${lines.join("\n")}`);
    fn?.(total);
  }
}

export = SummaryReporter;
