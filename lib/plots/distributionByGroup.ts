import { Figure, Trace, axis, baseLayout, groupColor } from "./types";

/** The values of one group, e.g. session lengths of churners. */
export interface GroupValues {
  name: string;
  values: ArrayLike<number>;
}

/** Options of {@link distributionByGroup}. */
export interface DistributionOptions {
  title: string;
  valueTitle: string;
  /** "histogram": overlaid normalised histograms; "box": one box per group. */
  kind?: "histogram" | "box";
  /** Plot on a log axis (gaps and lengths are skewed). */
  log?: boolean;
  /** Number of histogram bins (Plotly picks one when absent). */
  bins?: number;
}

/** Compares the distribution of a value between groups (session gaps and lengths of churners vs others). */
export function distributionByGroup(groups: GroupValues[], opts: DistributionOptions): Figure {
  const kind = opts.kind ?? "histogram";
  const data: Trace[] = groups.map((g, i) => {
    const values = Array.from(g.values).filter((v) => Number.isFinite(v) && (!opts.log || v > 0));
    const color = groupColor(g.name, i);
    if (kind === "box") return { type: "box", name: g.name, y: values, marker: { color }, boxmean: true, boxpoints: false };
    const trace: Trace = { type: "histogram", name: g.name, x: values, histnorm: "probability", opacity: 0.6, marker: { color } };
    if (opts.bins) trace.nbinsx = opts.bins;
    return trace;
  });
  // One tick per power of ten: Plotly's default log ticks label the 2s and 5s between them too, which reads as noise.
  const valueAxis = axis(opts.valueTitle, opts.log ? { type: "log", dtick: 1 } : {});
  return {
    data,
    layout: baseLayout(opts.title, kind === "box" ? { yaxis: valueAxis, showlegend: false } : { barmode: "overlay", xaxis: valueAxis, yaxis: axis("Share of the group") }),
  };
}
