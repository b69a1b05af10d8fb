import { Figure, Trace, axis, baseLayout, groupColor } from "./types";
import { wilsonInterval } from "./wilsonInterval";

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
  /** Drawn dashed and thinner (e.g. the raw scores before calibration). */
  dashed?: boolean;
}

/** Options of {@link calibrationPlot}. */
export interface CalibrationPlotOptions {
  /** What a bin counts, in the hover text (default "users"). */
  countLabel?: string;
  /**
   * Upper end of both axes: a number, or "auto" for the smallest of 0.05, 0.1, 0.2, 0.3, 0.5, 1 that
   * holds every bin (calibrated probabilities at a 5 % base rate crowd into a corner of [0, 1]).
   * Default 1.
   */
  range?: number | "auto";
  /** Error bars: the 95 % Wilson interval of each bin's observed rate (default true). */
  intervals?: boolean;
}

const STEPS = [0.05, 0.1, 0.2, 0.3, 0.5, 1];

/**
 * Reliability diagram: observed churn rate per bin of predicted probability, one line per model,
 * with the 95 % interval of each observed rate (a bin of 17 rows says little).
 */
export function calibrationPlot(series: CalibrationSeries[], title = "Calibration", opts: CalibrationPlotOptions = {}): Figure {
  const unit = opts.countLabel ?? "users";
  let reach = 0;
  const data: Trace[] = series.map((s, i) => {
    const bins = s.bins.filter((b) => b.count > 0);
    for (const b of bins) reach = Math.max(reach, b.meanPredicted, b.fractionPositive);
    const color = groupColor(s.name, i);
    const trace: Trace = {
      type: "scatter",
      mode: "lines+markers",
      name: s.name,
      x: bins.map((b) => b.meanPredicted),
      y: bins.map((b) => b.fractionPositive),
      text: bins.map((b) => `${b.count} ${unit}`),
      marker: { color, size: bins.map((b) => 5 + Math.min(10, Math.sqrt(b.count))) },
      line: { color, dash: s.dashed ? "dash" : "solid", width: s.dashed ? 1.5 : 2 },
    };
    if (opts.intervals !== false) {
      const ci = bins.map((b) => wilsonInterval(Math.round(b.fractionPositive * b.count), b.count));
      trace.error_y = {
        type: "data",
        symmetric: false,
        array: ci.map((c, j) => Math.max(0, c.high - bins[j].fractionPositive)),
        arrayminus: ci.map((c, j) => Math.max(0, bins[j].fractionPositive - c.low)),
        visible: true,
        color,
        thickness: 1,
        width: 3,
      };
    }
    return trace;
  });
  const top = opts.range === "auto" ? (STEPS.find((s) => s >= reach * 1.05) ?? 1) : (opts.range ?? 1);
  data.push({ type: "scatter", mode: "lines", name: "perfect", x: [0, top], y: [0, top], line: { color: "#999999", dash: "dash", width: 1 }, hoverinfo: "skip" });
  return {
    data,
    layout: baseLayout(title, {
      xaxis: axis("Mean predicted probability", { range: [0, top] }),
      yaxis: axis("Observed churn rate", { range: [0, top * 1.02] }),
    }),
  };
}
