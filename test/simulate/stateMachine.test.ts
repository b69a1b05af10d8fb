import { strict as assert } from "node:assert";
import { PAGE_METHOD_STATUS } from "../../lib/events/schema";
import { CALIBRATION, CONFIGURATIONS, STATES, Rng, compileMachine, effectiveTransitions, entryState, nextState, stateIndex } from "../../lib/simulate";
import { AUTH_ORDER, LEVEL_ORDER } from "../../lib/simulate/stateMachine";

describe("stateMachine", () => {
  it("compiles all 26 configurations; rows sum to at most 1 (the rest ends the session)", () => {
    for (const c of CONFIGURATIONS) {
      for (const scale of [1, CALIBRATION.cancelScale, 3]) {
        const m = compileMachine(c, scale);
        for (let s = 0; s < STATES.length; s++) {
          const end = m.offsets[s + 1];
          if (end > m.offsets[s]) assert.ok(m.cumulative[end - 1] <= 1 + 1e-9, `${c.name} ${STATES[s].key}`);
        }
      }
    }
  });

  it("raises transitions into Cancel by the calibration's factor, out of the session-ending leftover", () => {
    const plain = compileMachine(CONFIGURATIONS[0]);
    const scaled = compileMachine(CONFIGURATIONS[0], 1.5);
    const s = stateIndex("Settings|Logged In|free");
    const cancel = stateIndex("Cancel|Logged In|free");
    const pOf = (m: typeof plain) => {
      let prev = 0;
      for (let i = m.offsets[s]; i < m.offsets[s + 1]; i++) {
        if (m.dest[i] === cancel) return m.cumulative[i] - prev;
        prev = m.cumulative[i];
      }
      return 0;
    };
    assert.ok(Math.abs(pOf(scaled) / pOf(plain) - 1.5) < 1e-9);
  });

  it("changes level only via Submit Upgrade/Downgrade and auth only via Login, Logout, Submit Registration, Cancel", () => {
    for (const c of CONFIGURATIONS) {
      for (const [a, b] of effectiveTransitions(c)) {
        const [pa, aa, la] = a.split("|");
        const [, ab, lb] = b.split("|");
        if (la !== lb) assert.ok((pa === "Submit Upgrade" && lb === "paid") || (pa === "Submit Downgrade" && lb === "free"), `${c.name}: ${a} → ${b}`);
        if (aa !== ab) assert.ok(["Login", "Logout", "Submit Registration", "Cancel"].includes(pa), `${c.name}: ${a} → ${b}`);
        if (ab === "Cancelled") assert.equal(pa, "Cancel");
      }
    }
  });

  it("follows the table: a draw below the row's sum picks an edge, the leftover ends the session", () => {
    const m = compileMachine(CONFIGURATIONS[0]);
    const song = stateIndex("NextSong|Logged In|free");
    // Template: NextSong(free) → About 0.002 first, and the row sums to 0.988.
    assert.equal(STATES[nextState(m, song, 0.001)].key, "About|Logged In|free");
    assert.equal(nextState(m, song, 0.99), -1);
    const cancel = stateIndex("Cancel|Logged In|paid");
    assert.equal(STATES[nextState(m, cancel, 0.5)].key, "Cancellation Confirmation|Cancelled|paid");
    for (const s of STATES) assert.ok(PAGE_METHOD_STATUS[s.page]);
  });

  it("starts sessions from the entry states of the user's auth and level", () => {
    const m = compileMachine(CONFIGURATIONS[0]);
    const rng = new Rng(1);
    const counts = new Map<string, number>();
    const slot = AUTH_ORDER.indexOf("Logged Out") * 2 + LEVEL_ORDER.indexOf("free");
    for (let i = 0; i < 5000; i++) {
      const k = STATES[entryState(m, slot, rng)].key;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    for (const k of counts.keys()) assert.match(k, /\|Logged Out\|free$/);
    // Weights Home 1000 : Login 500 : About 10 : Help 10 : Error 1.
    const home = counts.get("Home|Logged Out|free")! / 5000;
    assert.ok(Math.abs(home - 1000 / 1521) < 0.03, `Home share ${home}`);
    assert.equal(entryState(m, AUTH_ORDER.indexOf("Guest") * 2 + 1, rng), -1);
  });
});
