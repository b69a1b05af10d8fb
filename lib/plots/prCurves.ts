import { Figure, Trace, axis, baseLayout, groupColor, assertSameLength } from "./types";

/** One model's precision-recall curve. */
export interface PrCurve {
  name: string;
  recall: ArrayLike<number>;
  precision: ArrayLike<number>;
  /** Average precision (PR-AUC), shown in the legend when given. */
  prAuc?: number;
}

/**
 * Precision-recall curves of several models; `baseRate` (share of positives) draws the line a
 * random ranking would give.
 */
export function prCurves(curves: PrCurve[], baseRate?: number, title = "Precision-recall curves"): Figure {
  const data: Trace[] = curves.map((c, i) => {
    assertSameLength(`PR curve of ${c.name}`, c.recall, c.precision);
    return {
      type: "scatter",
      mode: "lines",
      name: c.prAuc === undefined ? c.name : `${c.name} (PR-AUC ${c.prAuc.toFixed(3)})`,
      x: Array.from(c.recall),
      y: Array.from(c.precision),
      line: { color: groupColor(c.name, i), width: 2, shape: "hv" },
    };
  });
  if (baseRate !== undefined) {
    data.push({ type: "scatter", mode: "lines", name: `base rate ${baseRate.toFixed(3)}`, x: [0, 1], y: [baseRate, baseRate], line: { color: "#999999", dash: "dash", width: 1 }, hoverinfo: "skip" });
  }
  return {
    data,
    layout: baseLayout(title, {
      xaxis: axis("Recall", { range: [0, 1] }),
      yaxis: axis("Precision", { range: [0, 1.02] }),
      legend: { x: 0.55, y: 0.95 },
    }),
  };
}
