import { SparkifyError } from "../errors";
import { Figure, Trace, axis, baseLayout, groupColor } from "./types";

/** A bar chart's input: one value per label, optionally several series and error bars. */
export interface BarChartInput {
  title: string;
  labels: string[];
  series: Array<{ name: string; values: ArrayLike<number>; errors?: ArrayLike<number>; color?: string | string[] }>;
  valueTitle?: string;
  labelTitle?: string;
  /** Horizontal bars (labels on the y axis), best for long feature names. */
  horizontal?: boolean;
  /** Format of the value on hover, e.g. ".1%" for rates. */
  valueFormat?: string;
}

/** Grouped bar chart of one or more series over the same labels. */
export function barChart(input: BarChartInput): Figure {
  const h = input.horizontal === true;
  const data: Trace[] = input.series.map((s, i) => {
    if (s.values.length !== input.labels.length) throw new SparkifyError("E_BAD_INPUT", `${input.title}: series ${s.name} has ${s.values.length} values for ${input.labels.length} labels.`);
    const values = Array.from(s.values);
    const trace: Trace = {
      type: "bar",
      name: s.name,
      orientation: h ? "h" : "v",
      x: h ? values : input.labels,
      y: h ? input.labels : values,
      marker: { color: s.color ?? groupColor(s.name, i) },
      hovertemplate: `%{${h ? "y" : "x"}}: %{${h ? "x" : "y"}${input.valueFormat ? `:${input.valueFormat}` : ""}}<extra>${s.name}</extra>`,
    };
    if (s.errors) trace[h ? "error_x" : "error_y"] = { type: "data", array: Array.from(s.errors), visible: true };
    return trace;
  });
  const valueAxis = axis(input.valueTitle ?? "", input.valueFormat ? { tickformat: input.valueFormat } : {});
  const labelAxis = axis(input.labelTitle ?? "", h ? { autorange: "reversed", automargin: true } : { automargin: true });
  return {
    data,
    layout: baseLayout(input.title, {
      barmode: "group",
      showlegend: input.series.length > 1,
      xaxis: h ? valueAxis : labelAxis,
      yaxis: h ? labelAxis : valueAxis,
      ...(h ? { height: Math.max(300, 40 + 22 * input.labels.length), margin: { l: 180, r: 20, t: 50, b: 50 } } : {}),
    }),
  };
}
