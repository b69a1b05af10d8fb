import { strict as assert } from "node:assert";
import {
  calibrationNarrative, dataNarrative, edaNarrative, gainsNarrative, modelNarrative, reportFacts, riskNarrative, budgetNarrative, summaryNarrative, tableNarrative,
} from "../../lib/report";
import type { CalibrationFacts, EdaFacts, ModelFacts, TableFacts } from "../../lib/report";
import { FIXTURE_DATA_REPORT, fixtureMetrics, fixtureRisk } from "./reportFixture";

const text = (xs: string[]) => xs.join(" ");

/** The default mini run: 46 positive rows, fold-to-fold spread far wider than the gap between models. */
const SMALL: ModelFacts = {
  criterion: "pr_auc",
  models: [
    { key: "lr", name: "Logistic regression", value: 0.121, spread: 0.135 },
    { key: "gbt", name: "Gradient-boosted trees", value: 0.09, spread: 0.024 },
    { key: "rf", name: "Random forest", value: 0.073, spread: 0.065 },
  ],
  baselines: [{ key: "base rate", name: "base rate", value: 0.05 }, { key: "recency", name: "recency", value: 0.063 }],
  folds: 5,
  positives: 46,
  positiveRate: 46 / 927,
};

/** A full-size run: thousands of positives, a gap well outside the spread. */
const LARGE: ModelFacts = {
  criterion: "pr_auc",
  models: [
    { key: "gbt", name: "Gradient-boosted trees", value: 0.312, spread: 0.011 },
    { key: "lr", name: "Logistic regression", value: 0.261, spread: 0.009 },
  ],
  baselines: [{ key: "recency", name: "recency", value: 0.12 }],
  folds: 5,
  positives: 2210,
  positiveRate: 0.22,
};

const EDA: EdaFacts = {
  users: 230,
  churners: 51,
  churnRate: 51 / 230,
  excluded: ["gender", "state"],
  gender: [{ category: "M", users: 140, churners: 35, rate: 0.25 }, { category: "F", users: 90, churners: 16, rate: 16 / 90 }],
};

const TABLE: TableFacts = {
  mode: "forward",
  rows: 927,
  users: 203,
  positives: 46,
  positiveRate: 46 / 927,
  cutoffs: ["2018-10-22T00:00:00.000Z", "2018-10-29T00:00:00.000Z", "2018-11-05T00:00:00.000Z", "2018-11-12T00:00:00.000Z", "2018-11-19T00:00:00.000Z"],
  horizon: 14,
  folds: 5,
};

describe("report/narrative", () => {
  it("small sample: names the winner and the gap, and warns that the CV spread is wider than the gap", () => {
    const s = text(modelNarrative(SMALL));
    assert.match(s, /chosen by average precision \(PR-AUC\) of the pooled out-of-fold predictions, which at a low churn rate \(5\.0% of rows\)/);
    assert.match(s, /Logistic regression wins with 0\.121, 0\.031 ahead of Gradient-boosted trees \(0\.090\)/);
    assert.match(s, /Caution: across 5 folds the winner's average precision \(PR-AUC\) varies by ±0\.135/);
    assert.match(s, /more than the 0\.031 gap/);
    assert.match(s, /With 46 positive rows the ranking of the models is not reliable/);
    assert.match(s, /baselines score 0\.050 \(base rate\) and 0\.063 \(recency\): the winner adds 0\.058 over the best of them/);
    assert.match(text(summaryNarrative({ models: SMALL })), /within the fold-to-fold spread/);
  });

  it("large sample: no caveat, says the gap is larger than the spread", () => {
    const s = text(modelNarrative(LARGE));
    assert.doesNotMatch(s, /Caution/);
    assert.doesNotMatch(s, /low churn rate/, "22% positive is not a low rate");
    assert.match(s, /Gradient-boosted trees wins with 0\.312, 0\.051 ahead of Logistic regression/);
    assert.match(s, /gap is larger than the winner's fold-to-fold spread \(±0\.011 over 5 folds\)/);
    assert.doesNotMatch(text(summaryNarrative({ models: LARGE })), /spread/);
  });

  it("says when no model beats a baseline, and words log loss as lower-is-better", () => {
    const weak: ModelFacts = { ...LARGE, baselines: [{ key: "recency", name: "recency", value: 0.4 }] };
    assert.match(text(modelNarrative(weak)), /no model beats recency/);
    const ll: ModelFacts = { criterion: "log_loss", models: [{ key: "lr", name: "LR", value: 0.19, spread: 0.001 }, { key: "rf", name: "RF", value: 0.2 }], baselines: [], folds: 5, positives: 900, positiveRate: 0.05 };
    assert.match(text(modelNarrative(ll)), /LR wins with 0\.190, 0\.010 below RF/);
  });

  it("explains why the user churn rate and the row positive rate differ, with both numbers", () => {
    const s = text(tableNarrative(TABLE, EDA));
    assert.match(s, /one row per user and cutoff, 5 weekly cutoffs \(2018-10-22 … 2018-11-19\)/);
    assert.match(s, /927 rows from 203 users, of which 46 \(5\.0%\) are positive/);
    assert.match(s, /lower than the 22\.2% of users who ever cancelled because a churner is positive only at the last cutoff/);
    assert.match(s, /203 of the 230 users appear in at least one row/);
    assert.doesNotMatch(s, /T00:00/);
    assert.match(text(tableNarrative({ ...TABLE, mode: "full-history", cutoffs: [] })), /one row per user .*full-history/);
  });

  it("describes the EDA unit, the gender rates with overlapping intervals, and why gender and state are not inputs", () => {
    const s = text(edaNarrative(EDA));
    assert.match(s, /Of the 230 users in the logs, 51 \(22\.2%\) cancelled/);
    assert.match(s, /M 25\.0% of 140, F 17\.8% of 90; the 95% intervals overlap/);
    assert.match(s, /Gender and state are shown here for description only and are not model inputs: .*behaviour-only/);
    const apart = text(edaNarrative({ ...EDA, gender: [{ category: "M", users: 5000, churners: 1500, rate: 0.3 }, { category: "F", users: 5000, churners: 500, rate: 0.1 }] }));
    assert.match(apart, /do not overlap/);
  });

  it("reads lift and calibration from the numbers, and warns when calibrated probabilities miss the observed rate", () => {
    const g = text(gainsNarrative({ model: "LR", topDecileLift: 1.956, captured10: 0.1956, captured20: 0.3348, baseline: { name: "recency", topDecileLift: 0.87 } }));
    assert.match(g, /top 10% of users hold 20% of the churners and the top 20% hold 33%/);
    assert.match(g, /top-decile lift of 2\.0×/);
    assert.match(g, /recency alone gives a top-decile lift of 0\.9×/);
    assert.doesNotMatch(g, /does better in the top decile/);
    assert.match(text(gainsNarrative({ model: "LR", topDecileLift: 1.9, captured10: 0.19, captured20: 0.3, higher: { name: "Random forest", topDecileLift: 2.4 } })), /Random forest does better in the top decile \(2\.4×\)/);
    const cal: CalibrationFacts = {
      model: "LR",
      method: "sigmoid",
      raw: { brier: 0.177, log_loss: 0.547, ece: 0.259, mean_predicted: 0.309, observed_rate: 0.0496 },
      calibrated: { brier: 0.047, log_loss: 0.199, ece: 0.005, mean_predicted: 0.0495, observed_rate: 0.0496 },
    };
    const c = text(calibrationNarrative(cal));
    assert.match(c, /LR's raw scores sit far above the churn rate \(mean 0\.309 against an observed 0\.050\)/);
    assert.match(c, /A sigmoid \(Platt\) calibrator.*error falls from 0\.259 to 0\.005/);
    const mild = text(calibrationNarrative({ ...cal, raw: { ...cal.raw, mean_predicted: 0.29, observed_rate: 0.222, ece: 0.082 }, calibrated: { ...cal.calibrated, mean_predicted: 0.221, observed_rate: 0.222, ece: 0.088 } }));
    assert.match(mild, /sit above the churn rate/);
    assert.match(mild, /error rises from 0\.082 to 0\.088/);
    assert.match(c, /calibrated probabilities match the observed rate/);
    const off = text(calibrationNarrative({ ...cal, calibrated: { ...cal.calibrated, mean_predicted: 0.2 } }));
    assert.match(off, /Warning: the calibrated probabilities do not match the observed rate/);
  });

  it("describes the data, the risk list and the budget with dates as dates and rounded figures", () => {
    const d = text(dataNarrative({ lines: 293494, kept: 284808, dropped: 8686, topRule: { rule: "no_user", lines: 8686 }, quarantined: 0, sources: 1, bytes: 132789854, users: 230, firstDay: "2018-10-01", lastDay: "2018-12-03" }));
    assert.match(d, /293,494 lines of Sparkify event logs \(one file, 132\.8 MB\)/);
    assert.match(d, /8,686 lines were dropped by named cleaning rules, all of them events without a user id/);
    assert.match(d, /230 users from 2018-10-01 to 2018-12-03/);
    const risk = { scored: 179, atRisk: 60, threshold: 0.054, scoredAt: "2018-12-03T01:11:25.001Z", horizon: 14, expectedChurners: 8.86, model: "LR", budget: { contacts: 18, share: 0.1006, expected: 1.4755, random: 0.89 } };
    const r = text(riskNarrative(risk));
    assert.match(r, /179 active users were scored as of 2018-12-03 01:11 UTC with LR; their calibrated probabilities add up to 8\.9 expected cancellations in the next 14 days/);
    assert.match(r, /60 are flagged at risk, at or above the threshold 5\.4%/);
    assert.match(text(budgetNarrative(risk)), /budget of 18 contacts \(10% of the 179 users scored\).*1\.5 churners, against 0\.9/);
    assert.match(text(riskNarrative({ ...risk, horizon: null })), /add up to 8\.9 expected cancellations\. /, "full-history probabilities have no horizon");
  });

  it("gathers the facts from a run's inputs (metrics.json, EDA, data report, risk list)", () => {
    const metrics = fixtureMetrics(11);
    const eda = { churnBy: { gender: [{ category: "M", users: 60, churners: 15, churnRate: 0.25 }, { category: "F", users: 40, churners: 8, churnRate: 0.2 }], level: [], device: [], state: [] }, eventsPerDay: [{ day: "2018-10-03", group: "others", events: 5, users: 1 }, { day: "2018-10-01", group: "churners", events: 5, users: 1 }] };
    const f = reportFacts({ metrics, eda, dataReport: FIXTURE_DATA_REPORT, risk: fixtureRisk(40) });
    assert.equal(f.models?.criterion, "pr_auc");
    assert.equal(f.models?.models[0].key, "gbt", "the run's selection comes first");
    assert.equal(f.models?.models[0].spread, metrics.models.gbt.cv!.pr_auc_std);
    assert.equal(f.table?.cutoffs.length, 4);
    assert.equal(f.eda?.users, 100);
    assert.deepEqual([f.data?.firstDay, f.data?.lastDay, f.data?.users], ["2018-10-01", "2018-10-03", 100]);
    assert.equal(f.data?.topRule?.rule, "empty_user_id");
    assert.equal(f.gains?.baseline?.name, "recency", "the constant baseline is no comparison for lift");
    const lifts = Object.entries(metrics.models).filter(([k]) => k !== "gbt").map(([, x]) => x.gains!.top_decile_lift!);
    assert.equal(f.gains?.higher !== undefined, Math.max(...lifts) > metrics.models.gbt.gains!.top_decile_lift!, "a model with a higher top-decile lift is named");
    assert.equal(f.calibration?.method, "sigmoid");
    assert.equal(f.risk?.scored, 40);
    assert.equal(f.risk?.budget?.contacts, 4, "the budget row nearest 10%");
    assert.deepEqual(reportFacts({}), { data: undefined, eda: undefined, table: undefined, models: undefined, gains: undefined, calibration: undefined, risk: undefined });
  });
});
