import { SparkifyError } from "../errors";
/** One Plotly trace, as plain JSON (the fields Plotly documents for its trace type). */
export type Trace = Record<string, unknown> & { type: string };

/** A Plotly figure as plain JSON: what `Plotly.newPlot(div, fig.data, fig.layout)` takes. */
export interface Figure {
  data: Trace[];
  layout: Record<string, unknown>;
}

/** Colours shared by every chart, so churners look the same everywhere. */
export const COLORS = {
  churners: "#d62728",
  others: "#1f77b4",
  neutral: "#7f7f7f",
  models: ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b"],
} as const;

/** The base layout of every chart: a title, compact margins, white background. */
export function baseLayout(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: { text: title },
    margin: { l: 60, r: 20, t: 50, b: 50 },
    paper_bgcolor: "white",
    plot_bgcolor: "white",
    font: { family: "Helvetica, Arial, sans-serif", size: 12 },
    ...extra,
  };
}

/** Colour of a group named "churners" / "others", or a model colour by position. */
export function groupColor(name: string, index: number): string {
  const n = name.toLowerCase();
  if (n.startsWith("churn")) return COLORS.churners;
  if (n.startsWith("other") || n.startsWith("stay") || n.startsWith("active")) return COLORS.others;
  return COLORS.models[index % COLORS.models.length];
}

/** Axis settings with a grid, used by most charts. */
export function axis(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { title: { text: title }, gridcolor: "#e5e5e5", zerolinecolor: "#bbbbbb", ...extra };
}

/** Throws a clear error when two arrays that describe the same points differ in length. */
export function assertSameLength(what: string, a: ArrayLike<unknown>, b: ArrayLike<unknown>): void {
  if (a.length !== b.length) throw new SparkifyError("E_BAD_INPUT", `${what}: arrays differ in length (${a.length} vs ${b.length}).`);
}
