import { Figure, Trace, axis, baseLayout, groupColor, assertSameLength } from "./types";

/** One model's ROC curve: false and true positive rates at decreasing thresholds. */
export interface RocCurve {
  name: string;
  fpr: ArrayLike<number>;
  tpr: ArrayLike<number>;
  /** Shown in the legend when given. */
  auc?: number;
}

/** ROC curves of several models on one chart, with the chance diagonal. */
export function rocCurves(curves: RocCurve[], title = "ROC curves"): Figure {
  const data: Trace[] = curves.map((c, i) => {
    assertSameLength(`ROC curve of ${c.name}`, c.fpr, c.tpr);
    return {
      type: "scatter",
      mode: "lines",
      name: c.auc === undefined ? c.name : `${c.name} (AUC ${c.auc.toFixed(3)})`,
      x: Array.from(c.fpr),
      y: Array.from(c.tpr),
      line: { color: groupColor(c.name, i), width: 2 },
    };
  });
  data.push({ type: "scatter", mode: "lines", name: "chance", x: [0, 1], y: [0, 1], line: { color: "#999999", dash: "dash", width: 1 }, hoverinfo: "skip" });
  return {
    data,
    layout: baseLayout(title, {
      xaxis: axis("False positive rate", { range: [0, 1] }),
      yaxis: axis("True positive rate", { range: [0, 1.02] }),
      legend: { x: 0.55, y: 0.05 },
    }),
  };
}
