import { GainsCurve, curveTrace, fromOrigin, shareGuides } from "./gainsChart";
import { Figure, Trace, axis, baseLayout } from "./types";

/**
 * Lift: how many times more churners the top x % holds than a random x % (1 = no better than
 * random). Noisy at small x, where few users are contacted.
 */
export function liftChart(curves: GainsCurve[], title = "Lift: churn rate among the contacted ÷ overall churn rate"): Figure {
  let top = 1;
  const data: Trace[] = curves.map((c, i) => {
    const pts = fromOrigin(c.points).slice(1).filter((p) => Number.isFinite(p.lift));
    for (const p of pts) top = Math.max(top, p.lift);
    return curveTrace(c, i, pts, (p) => p.lift, "top %{x:.0%}: lift %{y:.2f}<extra>%{fullData.name}</extra>");
  });
  data.push({ type: "scatter", mode: "lines", name: "random contact (lift 1)", x: [0, 1], y: [1, 1], line: { color: "#999999", dash: "dash", width: 1 }, hoverinfo: "skip" });
  return {
    data,
    layout: baseLayout(title, {
      xaxis: axis("Share of users contacted (highest risk first)", { range: [0, 1], tickformat: ".0%", dtick: 0.1 }),
      yaxis: axis("Lift (× random)", { range: [0, Math.ceil(top * 1.1 * 2) / 2], rangemode: "tozero" }),
      legend: { x: 0.55, y: 0.95 },
      shapes: shareGuides([0.1, 0.2]),
    }),
  };
}
