import { Figure, baseLayout } from "./types";

/** Counts of a binary confusion matrix (positive = churner). */
export interface ConfusionCounts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** Heatmap of a confusion matrix: rows are the actual class, columns the predicted one. */
export function confusionMatrix(c: ConfusionCounts, title = "Confusion matrix"): Figure {
  const z = [
    [c.tn, c.fp],
    [c.fn, c.tp],
  ];
  const labels = [
    ["TN", "FP"],
    ["FN", "TP"],
  ];
  const max = Math.max(c.tp, c.fp, c.tn, c.fn);
  const annotations = z.flatMap((row, i) =>
    row.map((v, j) => ({
      x: j === 0 ? "predicted stays" : "predicted churns",
      y: i === 0 ? "actual stays" : "actual churns",
      text: `${labels[i][j]}<br>${v}`,
      showarrow: false,
      font: { color: v > max / 2 ? "white" : "black", size: 14 },
    })),
  );
  return {
    data: [
      {
        type: "heatmap",
        x: ["predicted stays", "predicted churns"],
        y: ["actual stays", "actual churns"],
        z,
        colorscale: [[0, "#f7fbff"], [1, "#08519c"]],
        showscale: false,
        hovertemplate: "%{y}, %{x}: %{z}<extra></extra>",
      },
    ],
    layout: baseLayout(title, { annotations, xaxis: { side: "bottom" }, yaxis: { autorange: "reversed", automargin: true }, margin: { l: 110, r: 20, t: 50, b: 50 }, width: 460, height: 380 }),
  };
}
