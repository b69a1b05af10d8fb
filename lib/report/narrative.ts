import { formatCount, formatCutoffs, formatDate, formatExpected, formatMb, formatPct, formatScore, formatTimes } from "./format";
import type { CalibrationFacts, Criterion, DataFacts, EdaFacts, GainsFacts, ModelFacts, ReportFacts, RiskFacts, TableFacts } from "./reportFacts";
import { wilsonInterval } from "../plots/wilsonInterval";

/**
 * The sentences that open each section of the report, generated from its numbers: pure functions
 * of {@link ReportFacts}, so every claim ("the gap is smaller than the fold-to-fold spread") is
 * computed, never hand-written. Plain text; the report escapes it.
 */

/** Names of the selection criteria in prose. */
export const CRITERION_NAMES: Record<Criterion, string> = {
  pr_auc: "average precision (PR-AUC)",
  auc: "ROC-AUC",
  log_loss: "log loss of the calibrated probabilities",
};

/** Short names of the selection criteria, as table headers say them. */
const CRITERION_SHORT: Record<Criterion, string> = { pr_auc: "PR-AUC", auc: "ROC-AUC", log_loss: "log loss" };

const RULE_WORDS: Record<string, string> = {
  no_user: "events without a user id (logged-out visitors)",
  duplicate: "exact duplicates",
  blank_line: "blank lines",
};

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** What the data is: lines, cleaning, users and the period covered. */
export function dataNarrative(d: DataFacts): string[] {
  const out = [
    `The input is ${plural(d.lines, "line")} of Sparkify event logs (${d.sources === 1 ? "one file" : plural(d.sources, "file")}, ${formatMb(d.bytes)}), one JSON event per line.`,
  ];
  const rule = d.topRule ? `, ${d.topRule.lines === d.dropped ? "all" : `${formatCount(d.topRule.lines)}`} of them ${RULE_WORDS[d.topRule.rule] ?? d.topRule.rule.replace(/_/g, " ")}` : "";
  out.push(
    `${formatCount(d.kept)} events were kept; ${plural(d.dropped, "line was", "lines were")} dropped by named cleaning rules${rule}; ${formatCount(d.quarantined)} ${d.quarantined === 1 ? "was" : "were"} quarantined as unreadable.`,
  );
  if (d.users !== undefined && d.firstDay && d.lastDay) {
    out.push(`The kept events describe ${plural(d.users, "user")} from ${formatDate(d.firstDay)} to ${formatDate(d.lastDay)}.`);
  }
  return out;
}

/** The EDA's unit (a user over the whole period), its churn rate, and why gender and state are not inputs. */
export function edaNarrative(e: EdaFacts): string[] {
  const out = [
    `Of the ${plural(e.users, "user")} in the logs, ${formatCount(e.churners)} (${formatPct(e.churnRate)}) cancelled at some point in the period. ` +
      "The charts below compare those churners with everyone else over all their events: a description of the data, not a prediction.",
  ];
  const named = e.gender.filter((g) => g.category !== "unknown" && g.users > 0);
  const excluded = e.excluded.length ? e.excluded : [];
  if (named.length >= 2) {
    const ci = named.map((g) => wilsonInterval(g.churners, g.users));
    const overlap = Math.max(...ci.map((c) => c.low)) <= Math.min(...ci.map((c) => c.high));
    const rates = named.map((g) => `${g.category} ${formatPct(g.rate)} of ${formatCount(g.users)}`).join(", ");
    out.push(
      `Churn by gender: ${rates}; the 95% intervals ${overlap ? "overlap, so the data cannot tell the groups apart" : "do not overlap"}.`,
    );
  }
  if (excluded.length) {
    out.push(
      `${capitalise(listWords(excluded))} ${excluded.length === 1 ? "is" : "are"} shown here for description only and ${excluded.length === 1 ? "is" : "are"} not model inputs: ` +
        "the model scores users by what they do (behaviour-only inputs), so a retention list never singles anyone out for who they are or where they live, and a rate of a few users per state would be noise.",
    );
  }
  return out;
}

/** The model's unit (user × cutoff rows) and why its positive rate differs from the EDA's churn rate. */
export function tableNarrative(t: TableFacts, e?: EdaFacts): string[] {
  const out: string[] = [];
  if (t.mode === "forward") {
    const cut = t.cutoffs.length > 1 ? `${t.cutoffs.length} weekly cutoffs (${formatCutoffs(t.cutoffs).replace(/ \(\d+ cutoffs\)$/, "")})` : `the cutoff ${formatCutoffs(t.cutoffs)}`;
    const h = t.horizon ?? 14;
    out.push(
      `The models learn from a different unit: one row per user and cutoff, ${cut}, with features from events before the cutoff only and the label 1 when the user cancels within the next ${h} days. ` +
        `That gives ${plural(t.rows, "row")} from ${plural(t.users, "user")}, of which ${formatCount(t.positives)} (${formatPct(t.positiveRate)}) are positive.`,
    );
    const why =
      `The row rate is lower than the ${e ? `${formatPct(e.churnRate)} of users who ever cancelled` : "share of users who ever cancel"} because a churner is positive only at the last cutoff before cancelling and negative at every earlier one, ` +
      `users are out of the table once they have left, and a cancellation before the first cutoff or after the last label window falls in no row`;
    out.push(e && e.users > t.users ? `${why} (${formatCount(t.users)} of the ${formatCount(e.users)} users appear in at least one row).` : `${why}.`);
  } else {
    out.push(
      `The models learn from one row per user (${plural(t.rows, "row")}), labelled 1 when the user cancelled at any time: ${formatCount(t.positives)} positives (${formatPct(t.positiveRate)}). ` +
        "This is the classic full-history set-up, where a churner's features end at the cancellation; it scores higher than forward mode but does not predict anything ahead of time.",
    );
  }
  return out;
}

/** Which model won, by how much against the fold-to-fold spread, against the baselines; the small-sample caveat. */
export function modelNarrative(m: ModelFacts): string[] {
  const crit = CRITERION_NAMES[m.criterion];
  const lowerBetter = m.criterion === "log_loss";
  const [best, second] = m.models;
  const out = [
    `The best model is chosen by ${crit} of the pooled out-of-fold predictions${
      m.criterion === "pr_auc" && m.positiveRate !== null && m.positiveRate < 0.15
        ? `, which at a low churn rate (${formatPct(m.positiveRate)} of rows) rewards putting the few churners first (ROC-AUC is dominated by the many non-churners)`
        : ""
    }.`,
  ];
  if (!second) {
    out.push(`${best.name} is the only model: ${crit} ${formatScore(best.value)}.`);
  } else {
    const gap = Math.abs(best.value - second.value);
    out.push(`${best.name} wins with ${formatScore(best.value)}, ${formatScore(gap)} ${lowerBetter ? "below" : "ahead of"} ${second.name} (${formatScore(second.value)}).`);
    const spread = best.spread;
    if (spread !== undefined) {
      const folds = m.folds ? `${m.folds} folds` : "the folds";
      if (spread > gap) {
        out.push(
          `Caution: across ${folds} the winner's ${crit} varies by ±${formatScore(spread)} (standard deviation), more than the ${formatScore(gap)} gap between the models. ` +
            `${m.positives !== null ? `With ${plural(m.positives, "positive row")} the` : "The"} ranking of the models is not reliable: another seed or split could pick a different one. Treat the choice as provisional and use a larger data set (for example \`simulate --preset medium\`) for figures you can trust.`,
        );
      } else {
        out.push(`The gap is larger than the winner's fold-to-fold spread (±${formatScore(spread)} over ${folds}), so the ranking is not an accident of one split.`);
      }
    }
  }
  if (m.baselines.length && !lowerBetter) {
    const top = [...m.baselines].sort((a, b) => b.value - a.value)[0];
    const list = listWords(m.baselines.map((b) => `${formatScore(b.value)} (${b.name})`));
    out.push(
      best.value > top.value
        ? `The baselines score ${list}: the winner adds ${formatScore(best.value - top.value)} over the best of them.`
        : `The baselines score ${list}: no model beats ${top.name}, so the features carry no usable signal on this data.`,
    );
  }
  return out;
}

/** How to read lift and gains, with the best model's numbers. */
export function gainsNarrative(g: GainsFacts): string[] {
  const out = [
    `Ranked by ${g.model}'s predicted risk, the top 10% of users hold ${formatPct(g.captured10, 0)} of the churners and the top 20% hold ${formatPct(g.captured20, 0)}, where a random list would hold 10% and 20%.`,
    `That is a top-decile lift of ${formatTimes(g.topDecileLift)}: the churn rate among the first 10% contacted is ${formatTimes(g.topDecileLift)} the overall rate${g.topDecileLift <= 1.05 ? ", no better than random" : ""}.`,
  ];
  if (g.higher) out.push(`${g.higher.name} does better in the top decile (${formatTimes(g.higher.topDecileLift)}) though not over the whole ranking by the selection criterion; with a budget of about 10% it is worth a look.`);
  if (g.baseline) out.push(`For comparison, ranking by ${g.baseline.name} alone gives a top-decile lift of ${formatTimes(g.baseline.topDecileLift)}.`);
  out.push("The gains chart shows the share of churners reached (y) for each share of users contacted (x); the lift chart divides the two, so 1 means no better than random. Both come from out-of-fold predictions, on rows the model did not train on.");
  return out;
}

/** Whether the calibrated probabilities can be read as probabilities; how to read the calibration chart. */
export function calibrationNarrative(c: CalibrationFacts): string[] {
  const method = c.method === "sigmoid" ? "a sigmoid (Platt) calibrator" : c.method === "isotonic" ? "an isotonic calibrator" : `a ${c.method} calibrator`;
  const ratio = c.raw.observed_rate > 0 ? c.raw.mean_predicted / c.raw.observed_rate : 1;
  const where = ratio >= 2 ? "far above" : ratio >= 1.15 ? "above" : ratio <= 0.5 ? "far below" : ratio <= 0.87 ? "below" : "close to";
  const gapCal = Math.abs(c.calibrated.mean_predicted - c.calibrated.observed_rate);
  const change = (a: number, b: number) => (b < a ? `falls from ${formatScore(a)} to ${formatScore(b)}` : b > a ? `rises from ${formatScore(a)} to ${formatScore(b)}` : `stays at ${formatScore(a)}`);
  const out = [
    `The models are fitted with class weights, so ${c.model}'s raw scores sit ${where} the churn rate (mean ${formatScore(c.raw.mean_predicted)} against an observed ${formatScore(c.raw.observed_rate)}). ` +
      `${method.charAt(0).toUpperCase()}${method.slice(1)}, fitted on out-of-fold scores, maps them to probabilities: the expected calibration error ${change(c.raw.ece, c.calibrated.ece)} and the Brier score ${change(c.raw.brier, c.calibrated.brier)}.`,
  ];
  // Matching means within a fifth of the observed rate (or one point at very low rates).
  const matches = gapCal <= Math.max(0.01, 0.2 * c.calibrated.observed_rate);
  out.push(
    matches
      ? `The calibrated probabilities match the observed rate (mean ${formatScore(c.calibrated.mean_predicted)} against ${formatScore(c.calibrated.observed_rate)}), so a user shown 10% churns about one time in ten, and sums of probabilities estimate numbers of churners.`
      : `Warning: the calibrated probabilities do not match the observed rate (mean ${formatScore(c.calibrated.mean_predicted)} against ${formatScore(c.calibrated.observed_rate)}); read them as scores for ranking, not as probabilities.`,
  );
  out.push("In the chart, each point is a bin of rows with similar predicted probability: on the diagonal, predictions match what happened; bars are 95% intervals of the observed rate, wide where a bin holds few rows.");
  return out;
}

/** Who was scored, how many are flagged, what the probabilities add up to, and what a contact budget buys. */
export function riskNarrative(r: RiskFacts): string[] {
  const when = r.scoredAt !== undefined ? ` as of ${formatDate(r.scoredAt)}` : "";
  const h = r.horizon ? ` in the next ${r.horizon} days` : "";
  const out = [
    `${plural(r.scored, "active user")} ${r.scored === 1 ? "was" : "were"} scored${when}${r.model ? ` with ${r.model}` : ""}; their calibrated probabilities add up to ${formatExpected(r.expectedChurners)} expected cancellations${h}.`,
  ];
  if (r.atRisk !== null) {
    out.push(`${formatCount(r.atRisk)} ${r.atRisk === 1 ? "is" : "are"} flagged at risk${r.threshold !== null ? `, at or above the threshold ${formatPct(r.threshold)} (the best F1 on out-of-fold predictions)` : ""}.`);
  }
  out.push("Each user's reasons are the features that raise that user's risk the most, in words with the user's value and a typical one, and their effect in probability points.");
  return out;
}

/** What a contact budget buys: expected churners among the riskiest users against random contact. */
export function budgetNarrative(r: RiskFacts): string[] {
  if (!r.budget) return [];
  return [
    `With a budget of ${formatCount(r.budget.contacts)} contacts (${formatPct(r.budget.share, 0)} of the ${formatCount(r.scored)} users scored), the riskiest users are expected to include ${formatExpected(r.budget.expected)} churners, against ${formatExpected(r.budget.random)} for as many users picked at random.`,
    "Expected numbers are sums of calibrated probabilities, so they hold only as far as the calibration does (see below).",
  ];
}

/** The two or three sentences at the top of the report. */
export function summaryNarrative(f: ReportFacts): string[] {
  const out: string[] = [];
  if (f.table) {
    out.push(
      f.table.mode === "forward"
        ? `${formatCount(f.table.rows)} training rows (${formatCount(f.table.users)} users at weekly cutoffs); ${formatPct(f.table.positiveRate)} of the rows end in a cancellation within ${f.table.horizon ?? 14} days.`
        : `${formatCount(f.table.rows)} users in full-history mode; ${formatPct(f.table.positiveRate)} of them cancelled.`,
    );
  }
  if (f.models?.models.length) {
    const [best] = f.models.models;
    const shaky = f.models.models.length > 1 && best.spread !== undefined && best.spread > Math.abs(best.value - f.models.models[1].value);
    out.push(`Best model: ${best.name} (${CRITERION_SHORT[f.models.criterion]} ${formatScore(best.value)}, the selection criterion)${shaky ? ", though on this sample the models are within the fold-to-fold spread of each other" : ""}.`);
  }
  if (f.gains) out.push(`Contacting its top 10% reaches ${formatPct(f.gains.captured10, 0)} of the churners (lift ${formatTimes(f.gains.topDecileLift)}).`);
  return out;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function listWords(xs: string[]): string {
  return xs.length <= 1 ? xs.join("") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`;
}
