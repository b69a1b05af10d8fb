import { barChart } from "./barChart";
import { Figure } from "./types";

/** Churn rate of the users of one category (a gender, level, device or state). */
export interface ChurnRateRow {
  category: string;
  users: number;
  churners: number;
  churnRate: number;
}

/**
 * Bars of the churn rate per category, with the overall rate in the title. `top` keeps the
 * categories with the most users (states are many).
 */
export function churnRateBar(rows: ChurnRateRow[], by: string, top = 20): Figure {
  const kept = [...rows].sort((a, b) => b.users - a.users || a.category.localeCompare(b.category)).slice(0, top);
  const users = rows.reduce((s, r) => s + r.users, 0);
  const churners = rows.reduce((s, r) => s + r.churners, 0);
  const overall = users > 0 ? churners / users : 0;
  const fig = barChart({
    title: `Churn rate by ${by} (overall ${(overall * 100).toFixed(1)}%)`,
    labels: kept.map((r) => r.category),
    series: [{ name: "churn rate", values: kept.map((r) => r.churnRate), color: "#d62728" }],
    valueTitle: "Churn rate",
    labelTitle: by,
    valueFormat: ".1%",
  });
  const trace = fig.data[0];
  trace.text = kept.map((r) => `${r.churners}/${r.users}`);
  trace.textposition = "outside";
  trace.customdata = kept.map((r) => r.users);
  return fig;
}
