import { strict as assert } from "node:assert";
import { formatCount, formatCutoffs, formatDate, formatPct, formatPoints, formatProbability, formatSpread, formatTimes } from "../../lib/report";

describe("report/format", () => {
  it("prints times as dates: midnight as a day, other times to the minute in UTC", () => {
    assert.equal(formatDate("2018-10-22T00:00:00.000Z"), "2018-10-22");
    assert.equal(formatDate(Date.UTC(2018, 11, 3, 1, 11, 25)), "2018-12-03 01:11 UTC");
    assert.equal(formatDate(null), "–");
    assert.equal(formatDate("not a date"), "not a date");
    assert.equal(formatCutoffs(["2018-10-22T00:00:00.000Z", "2018-10-29T00:00:00.000Z"]), "2018-10-22, 2018-10-29");
    assert.equal(formatCutoffs(["2018-10-22T00:00:00Z", "b", "c", "2018-11-19T00:00:00Z"]), "2018-10-22 … 2018-11-19 (4 cutoffs)");
  });

  it("rounds figures for reading", () => {
    assert.equal(formatCount(293494), "293,494");
    assert.equal(formatPct(0.22173913), "22.2%");
    assert.equal(formatProbability(0.0937), "9.4%");
    assert.equal(formatPoints(0.0643), "+6.4 pts");
    assert.equal(formatPoints(-0.002), "−0.2 pts");
    assert.equal(formatTimes(1.9565), "2.0×");
    assert.equal(formatSpread(0.6003, 0.1414), "0.600 ± 0.141");
    assert.equal(formatPct(undefined), "–");
  });
});
