import { strict as assert } from "node:assert";
import { SparkifyError } from "../../lib/errors";
import { formatDuration, pollUntilDone } from "../../lib/remote/polling";
import { CapturingLogger } from "./harness";

/** A job whose polls walk through `states`; stop() moves it to STOPPED (or fails). */
function job(states: string[], stopFails = false) {
  let i = 0;
  let stopped = false;
  const calls: string[] = [];
  return {
    calls,
    poll: async () => { calls.push("poll"); return stopped ? "STOPPED" : states[Math.min(i++, states.length - 1)]; },
    stop: async () => { calls.push("stop"); if (stopFails) throw new Error("AccessDenied: not allowed to stop"); stopped = true; },
  };
}

const base = (j: ReturnType<typeof job>, log: CapturingLogger) => ({
  label: "job 1",
  poll: j.poll,
  stop: j.stop,
  state: (s: string) => s,
  isTerminal: (s: string) => ["DONE", "STOPPED"].includes(s),
  intervalMs: 5,
  timeoutMs: 10_000,
  logger: log,
  handleSigint: false,
});

describe("remote/polling", () => {
  it("polls until a terminal state, with a progress line per poll", async () => {
    const log = new CapturingLogger();
    const j = job(["A", "B", "DONE"]);
    const r = await pollUntilDone(base(j, log));
    assert.equal(r.status, "DONE");
    assert.deepEqual(j.calls, ["poll", "poll", "poll"]);
    assert.deepEqual(log.lines.map((l) => l.replace(/ after .*/, "")), ["progress: job 1: A", "progress: job 1: B", "progress: job 1: DONE"]);
  });

  it("on the time limit asks to stop, waits for the stop, and says so", async () => {
    const log = new CapturingLogger();
    const j = job(["RUNNING"]);
    await assert.rejects(pollUntilDone({ ...base(j, log), timeoutMs: 30 }), (e: SparkifyError) => e.code === "E_REMOTE_TIMEOUT" && /last state STOPPED/.test(e.message) && /--timeout/.test(e.message));
    assert.equal(j.calls.filter((c) => c === "stop").length, 1);
  });

  it("still fails (and warns to stop by hand) when the stop request itself fails", async () => {
    const log = new CapturingLogger();
    const j = job(["RUNNING"], true);
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(pollUntilDone({ ...base(j, log), signal: ac.signal }), (e: SparkifyError) => e.code === "E_REMOTE_CANCELLED");
    assert.match(log.text(), /warn: job 1: the stop request failed \(AccessDenied: not allowed to stop\); stop it by hand/);
  });

  it("formats durations for people", () => {
    assert.deepEqual([formatDuration(4.4), formatDuration(65), formatDuration(3725)], ["4 s", "1 min 05 s", "1 h 02 min"]);
  });
});
