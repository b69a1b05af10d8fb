import { barChart } from "./barChart";
import { Figure } from "./types";
import { wilsonInterval } from "./wilsonInterval";

/** Churn rate of the users of one category (a gender, level, device or state). */
export interface ChurnRateRow {
  category: string;
  users: number;
  churners: number;
  churnRate: number;
}

/** Options of {@link churnRateBar}. */
export interface ChurnRateBarOptions {
  /** Error bars with each rate's 95 % Wilson interval (default true): small groups show how little they say. */
  intervals?: boolean;
  /** A line under the title, e.g. how small groups were merged. */
  subtitle?: string;
  /** Keep the rows in the given order (e.g. a merged "other" row last) instead of largest first. */
  keepOrder?: boolean;
}

/**
 * Bars of the churn rate per category, with the overall rate in the title, "churners/users" on
 * each bar and the 95 % Wilson interval as error bars. `top` keeps the categories with the most
 * users (states are many).
 */
export function churnRateBar(rows: ChurnRateRow[], by: string, top = 20, opts: ChurnRateBarOptions = {}): Figure {
  const ordered = opts.keepOrder ? [...rows] : [...rows].sort((a, b) => b.users - a.users || a.category.localeCompare(b.category));
  const kept = ordered.slice(0, top);
  const users = rows.reduce((s, r) => s + r.users, 0);
  const churners = rows.reduce((s, r) => s + r.churners, 0);
  const overall = users > 0 ? churners / users : 0;
  const intervals = opts.intervals !== false;
  const fig = barChart({
    title: `Churn rate by ${by} (overall ${(overall * 100).toFixed(1)}%)${opts.subtitle ? `<br><sup>${opts.subtitle}</sup>` : ""}`,
    labels: kept.map((r) => r.category),
    series: [{ name: "churn rate", values: kept.map((r) => r.churnRate), color: "#d62728" }],
    valueTitle: intervals ? "Churn rate (bars: 95% interval)" : "Churn rate",
    labelTitle: by,
    valueFormat: ".1%",
  });
  const trace = fig.data[0];
  trace.text = kept.map((r) => `${r.churners}/${r.users}`);
  trace.textposition = intervals ? "inside" : "outside";
  trace.insidetextanchor = "start";
  trace.customdata = kept.map((r) => r.users);
  if (intervals) {
    const ci = kept.map((r) => wilsonInterval(r.churners, r.users));
    trace.error_y = {
      type: "data",
      symmetric: false,
      array: ci.map((c, i) => Math.max(0, c.high - kept[i].churnRate)),
      arrayminus: ci.map((c, i) => Math.max(0, kept[i].churnRate - c.low)),
      visible: true,
      color: "#444444",
      thickness: 1,
      width: 4,
    };
    trace.hovertemplate = "%{x}: %{y:.1%} (%{text} users)<extra></extra>";
  }
  return fig;
}
