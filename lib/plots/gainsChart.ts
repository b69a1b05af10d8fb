import { Figure, Trace, axis, baseLayout, groupColor } from "./types";

/** One point of a cumulative gains curve (metrics.json's `gains.curve`). */
export interface GainsPoint {
  /** Share of users contacted, most at risk first. */
  share: number;
  /** Share of all churners among them. */
  captured: number;
  /** captured / share. */
  lift: number;
}

/** One model's (or baseline's) gains curve. */
export interface GainsCurve {
  name: string;
  points: GainsPoint[];
  /** Drawn dashed (baselines). */
  dashed?: boolean;
}

/** The curve from (0, 0), sorted by share, without points outside (0, 1]. */
export function fromOrigin(points: GainsPoint[]): GainsPoint[] {
  const kept = points.filter((p) => p.share > 0 && p.share <= 1 && Number.isFinite(p.captured)).sort((a, b) => a.share - b.share);
  return [{ share: 0, captured: 0, lift: Number.NaN }, ...kept];
}

/** Dotted vertical guides at the contact shares a retention team usually discusses. */
export function shareGuides(at: number[]): Array<Record<string, unknown>> {
  return at.map((x) => ({ type: "line", xref: "x", yref: "paper", x0: x, x1: x, y0: 0, y1: 1, line: { color: "#bbbbbb", dash: "dot", width: 1 } }));
}

/** One model's curve over the share of users contacted (gains and lift draw their models alike). */
export function curveTrace(c: GainsCurve, i: number, pts: GainsPoint[], y: (p: GainsPoint) => number, hovertemplate: string): Trace {
  return {
    type: "scatter",
    mode: "lines+markers",
    name: c.name,
    x: pts.map((p) => p.share),
    y: pts.map(y),
    marker: { size: 4, color: groupColor(c.name, i) },
    line: { color: groupColor(c.name, i), width: c.dashed ? 1.5 : 2, dash: c.dashed ? "dash" : "solid" },
    hovertemplate,
  };
}

/**
 * Cumulative gains: contact the top x % of users by predicted risk, reach y % of the churners.
 * The diagonal is random contact; with `baseRate`, the "perfect" line is a ranking with every
 * churner first (it reaches 100 % at x = base rate).
 */
export function gainsChart(curves: GainsCurve[], baseRate?: number, title = "Cumulative gains: churners reached by contacting the riskiest users"): Figure {
  const data: Trace[] = curves.map((c, i) => {
    const pts = fromOrigin(c.points);
    return curveTrace(c, i, pts, (p) => p.captured, "top %{x:.0%} of users → %{y:.0%} of churners<extra>%{fullData.name}</extra>");
  });
  data.push({ type: "scatter", mode: "lines", name: "random contact", x: [0, 1], y: [0, 1], line: { color: "#999999", dash: "dash", width: 1 }, hoverinfo: "skip" });
  if (baseRate !== undefined && baseRate > 0 && baseRate < 1) {
    data.push({ type: "scatter", mode: "lines", name: "perfect ranking", x: [0, baseRate, 1], y: [0, 1, 1], line: { color: "#cccccc", dash: "dot", width: 1 }, hoverinfo: "skip" });
  }
  return {
    data,
    layout: baseLayout(title, {
      xaxis: axis("Share of users contacted (highest risk first)", { range: [0, 1], tickformat: ".0%", dtick: 0.1 }),
      yaxis: axis("Share of churners reached", { range: [0, 1.02], tickformat: ".0%" }),
      legend: { x: 0.55, y: 0.05 },
      shapes: shareGuides([0.1, 0.2]),
    }),
  };
}
