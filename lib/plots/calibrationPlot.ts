import { Figure, Trace, axis, baseLayout, groupColor } from "./types";

/** One bin of a calibration table: mean predicted probability against the observed positive rate. */
export interface CalibrationBin {
  meanPredicted: number;
  fractionPositive: number;
  count: number;
}

/** A model's calibration table. */
export interface CalibrationSeries {
  name: string;
  bins: CalibrationBin[];
}

/** Reliability diagram: observed churn rate per bin of predicted probability, one line per model. */
export function calibrationPlot(series: CalibrationSeries[], title = "Calibration"): Figure {
  const data: Trace[] = series.map((s, i) => {
    const bins = s.bins.filter((b) => b.count > 0);
    return {
      type: "scatter",
      mode: "lines+markers",
      name: s.name,
      x: bins.map((b) => b.meanPredicted),
      y: bins.map((b) => b.fractionPositive),
      text: bins.map((b) => `${b.count} users`),
      marker: { color: groupColor(s.name, i), size: bins.map((b) => 5 + Math.min(10, Math.sqrt(b.count))) },
      line: { color: groupColor(s.name, i) },
    };
  });
  data.push({ type: "scatter", mode: "lines", name: "perfect", x: [0, 1], y: [0, 1], line: { color: "#999999", dash: "dash", width: 1 }, hoverinfo: "skip" });
  return {
    data,
    layout: baseLayout(title, {
      xaxis: axis("Mean predicted probability", { range: [0, 1] }),
      yaxis: axis("Observed churn rate", { range: [0, 1.02] }),
    }),
  };
}
