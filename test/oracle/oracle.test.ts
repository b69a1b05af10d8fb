import { strict as assert } from "node:assert";
import { rocAuc } from "../../lib/evaluation";
import { oracleScores, type OracleRow } from "../../lib/oracle";
import { SongLengths } from "../../lib/oracle/oracle";
import { CONFIGURATIONS, Rng, buildCatalogue, resolvePlan, simulate, type SimulationPlan } from "../../lib/simulate";

// The oracle re-simulates each active user's future from their state at the cutoff. These tests hold
// it to the simulator itself: its labels are the events', its probabilities match what happens.

const T = Date.parse("2018-11-05T00:00:00Z");

/** Observed minus expected positives, in standard deviations of a sum of Bernoulli(p). */
function zScore(rows: readonly OracleRow[]): number {
  let y = 0;
  let p = 0;
  let v = 0;
  for (const r of rows) {
    y += r.label;
    p += r.probability;
    v += r.probability * (1 - r.probability);
  }
  return (y - p) / Math.sqrt(v);
}

/** Hanley–McNeil standard error of an AUC of 0.5 with nPos and nNeg rows. */
function aucSe(nPos: number, nNeg: number): number {
  return Math.sqrt((nPos + nNeg + 1) / (12 * nPos * nNeg));
}

describe("oracle/oracleScores", function () {
  this.timeout(600_000);
  const mixedPlan = resolvePlan({ preset: "mini", users: 700, seed: 3 });
  let mixed: OracleRow[];
  before(() => {
    mixed = oracleScores(mixedPlan, { cutoffs: [T], horizonDays: 21, paths: 40, seed: 1 });
  });

  it("scores exactly the users active at T, with the events' own labels", async () => {
    const options = { preset: "mini" as const, users: 150, seed: 8 };
    const shownBefore = new Set<string>();
    const cancelAt = new Map<string, number>();
    for await (const line of simulate(options)) {
      const e = JSON.parse(line) as { ts: number; userId: string; page: string; auth: string };
      if (!e.userId) continue;
      if (e.page === "Cancellation Confirmation") cancelAt.set(e.userId, e.ts);
      else if (e.ts < T && e.page !== "Cancel" && e.auth !== "Cancelled") shownBefore.add(e.userId);
    }
    const end = T + 14 * 86_400_000;
    const expected = [...shownBefore].filter((u) => !((cancelAt.get(u) ?? Infinity) < T)).sort((a, b) => Number(a) - Number(b));
    const rows = oracleScores(options, { cutoffs: [T], horizonDays: 14, paths: 4 });
    assert.deepEqual(rows.map((r) => r.userId), expected);
    for (const r of rows) {
      const c = cancelAt.get(r.userId) ?? Infinity;
      assert.equal(r.label, c >= T && c < end ? 1 : 0, `label of user ${r.userId}`);
    }
    assert.ok(rows.some((r) => r.label === 1), "some user cancels in the window");
    // The same rows asked for by a feature table's (userId, cutoff) give the same labels.
    const again = oracleScores(options, { cutoffs: [T], horizonDays: 14, paths: 4, rows: rows.slice(0, 20).map((r) => ({ userId: r.userId, cutoff: T })) });
    assert.deepEqual(again.map((r) => [r.userId, r.label]), rows.slice(0, 20).map((r) => [r.userId, r.label]));
  });

  it("re-simulated futures cancel at the simulator's own rate", () => {
    const rows = oracleScores({ preset: "mini", users: 700, seed: 21 }, { cutoffs: [Date.parse("2018-10-22T00:00:00Z")], horizonDays: 28, paths: 30, seed: 2 });
    const positives = rows.filter((r) => r.label === 1).length;
    assert.ok(positives > 30, `${positives} cancellations`);
    assert.ok(Math.abs(zScore(rows)) < 3, `z = ${zScore(rows)}`);
  });

  it("is calibrated against the realized labels, at low and at high risk", () => {
    assert.ok(Math.abs(zScore(mixed)) < 3, `overall z = ${zScore(mixed)}`);
    const sorted = [...mixed].sort((a, b) => a.probability - b.probability);
    const half = Math.floor(sorted.length / 2);
    for (const part of [sorted.slice(0, half), sorted.slice(half)]) assert.ok(Math.abs(zScore(part)) < 3, `z = ${zScore(part)}`);
    // The high-risk half really is riskier: the probabilities rank.
    const auc = rocAuc(mixed.map((r) => r.label), mixed.map((r) => r.probability));
    assert.ok(auc > 0.65, `oracle AUC ${auc} on a mixed population`);
  });

  it("starts every future where the events do: an event within a day of T is as likely as it happens", () => {
    // The futures are conditioned on nothing happening between the user's last event and T; without that
    // condition they would start before T. Checked among users seen shortly before T and long before it.
    const asLabel = (r: OracleRow): OracleRow => ({ ...r, probability: r.nextDayProbability, label: r.nextDayActive });
    const day = mixed.map(asLabel);
    assert.ok(Math.abs(zScore(day)) < 3, `z = ${zScore(day)}`);
    const recent = day.filter((r) => r.secondsSinceLastEvent < 86400);
    const idle = day.filter((r) => r.secondsSinceLastEvent >= 86400);
    assert.ok(recent.length > 50 && idle.length > 50, `${recent.length} recent, ${idle.length} idle`);
    for (const part of [recent, idle]) assert.ok(Math.abs(zScore(part)) < 3, `z = ${zScore(part)}`);
    const auc = rocAuc(day.map((r) => r.label), day.map((r) => r.probability));
    assert.ok(auc > 0.7, `AUC of the next-day activity ${auc}`);
  });

  it("cannot rank a population of one configuration with identical parameters (AUC about 0.5)", () => {
    const plan: SimulationPlan = {
      ...mixedPlan,
      guests: 0,
      configurationWeights: CONFIGURATIONS.map((c) => (c.name === "Xylophone" ? 1 : 0)),
      calibration: { ...mixedPlan.calibration, userSigma: 0, freeWeight: 0, loggedOutWeight: 0 },
    };
    const rows = oracleScores(plan, { cutoffs: [T], horizonDays: 21, paths: 40, seed: 1 });
    const y = rows.map((r) => r.label);
    const nPos = y.filter((v) => v === 1).length;
    assert.ok(nPos >= 5, `${nPos} cancellations`);
    const auc = rocAuc(y, rows.map((r) => r.probability));
    assert.ok(Math.abs(auc - 0.5) < 3 * aucSe(nPos, rows.length - nPos), `AUC ${auc} with ${nPos} positives`);
    assert.ok(Math.abs(zScore(rows)) < 3, `z = ${zScore(rows)}`);
    // Identical users get nearly the same probability; the mixed population's spread is much wider.
    const sd = (r: OracleRow[]) => {
      const m = r.reduce((s, x) => s + x.probability, 0) / r.length;
      return Math.sqrt(r.reduce((s, x) => s + (x.probability - m) ** 2, 0) / r.length);
    };
    assert.ok(sd(rows) < 0.5 * sd(mixed), `spread ${sd(rows)} vs ${sd(mixed)}`);
  });

  it("draws song lengths with the catalogue's play weights (alias table)", () => {
    const cat = buildCatalogue(5, 50);
    const songs = new SongLengths(cat);
    const rng = new Rng(9);
    const counts = new Map<number, number>();
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const l = songs.draw(rng);
      counts.set(l, (counts.get(l) ?? 0) + 1);
    }
    const total = cat.cumulative[cat.cumulative.length - 1];
    for (let i = 0; i < 50; i++) {
      const p = (cat.cumulative[i] - (i ? cat.cumulative[i - 1] : 0)) / total;
      const got = (counts.get(cat.length[i]) ?? 0) / n;
      assert.ok(Math.abs(got - p) < 4 * Math.sqrt(p / n) + 1e-4, `song ${i}: ${got} vs ${p}`);
    }
  });

  it("rejects a cutoff whose horizon leaves the simulated window, and rows of users it does not know", () => {
    assert.throws(() => oracleScores(mixedPlan, { cutoffs: [Date.parse("2018-11-25T00:00:00Z")], horizonDays: 14 }), /must lie inside the simulated window/);
    assert.throws(() => oracleScores(mixedPlan, { cutoffs: [T], rows: [{ userId: "9999", cutoff: T }] }), /userId "9999" is not a user/);
    assert.throws(() => oracleScores(mixedPlan, { cutoffs: [T], paths: 0 }), /paths must be/);
    const inactive = Array.from({ length: 700 }, (_, i) => String(i + 1)).find((u) => !mixed.some((r) => r.userId === u)) as string;
    assert.throws(() => oracleScores(mixedPlan, { cutoffs: [T], paths: 2, rows: [{ userId: inactive, cutoff: T }] }), /is not active at/);
  });
});
