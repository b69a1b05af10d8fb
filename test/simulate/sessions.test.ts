import { strict as assert } from "node:assert";
import { CONFIGURATIONS, Rng, dailyWarp, nextSessionStart, weekendKeepProbability } from "../../lib/simulate";

const accordion = CONFIGURATIONS[0];
const at = (iso: string) => Date.parse(iso) / 1000;

describe("sessions", () => {
  it("warps times within a day without changing their order, by at most damping·day/2π", () => {
    let prev = -Infinity;
    for (let t = at("2018-10-01T00:00:00Z"); t < at("2018-10-03T00:00:00Z"); t += 600) {
      const w = dailyWarp(t, 0.2137);
      assert.ok(w >= prev);
      assert.ok(Math.abs(w - t) <= (0.2137 * 86400) / (2 * Math.PI) + 1);
      prev = w;
    }
    assert.equal(dailyWarp(1_000_000, 0), 1_000_000);
  });

  it("thins weekends: full weight on weekdays, 1 − weekend-damping from Saturday 03:00 to Sunday 21:00", () => {
    assert.equal(weekendKeepProbability(at("2018-10-03T12:00:00Z"), accordion), 1); // Wednesday
    assert.equal(weekendKeepProbability(at("2018-10-06T12:00:00Z"), accordion), 0.5); // Saturday
    assert.equal(weekendKeepProbability(at("2018-10-07T12:00:00Z"), accordion), 0.5); // Sunday
    assert.equal(weekendKeepProbability(at("2018-10-06T00:00:00Z"), accordion), 0.75); // mid-ramp
    assert.equal(weekendKeepProbability(at("2018-10-08T00:00:00Z"), accordion), 0.75);
    assert.equal(weekendKeepProbability(at("2018-10-08T06:00:00Z"), accordion), 1); // Monday
  });

  it("starts the next session at least session-gap after the last event, about beta later on average", () => {
    const rng = new Rng(9);
    const beta = 86400;
    let sum = 0;
    const n = 4000;
    for (let i = 0; i < n; i++) {
      const last = at("2018-10-01T00:00:00Z") + i * 3600;
      const next = nextSessionStart(rng, last, beta, accordion);
      assert.ok(next >= last + accordion.sessionGap);
      sum += next - last;
    }
    // Weekend thinning makes gaps somewhat longer than beta + gap.
    const mean = sum / n;
    assert.ok(mean > beta && mean < 1.6 * beta, `mean gap ${mean}`);
  });
});
