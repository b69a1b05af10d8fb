import { SparkifyError } from "../errors";
import type { Figure } from "./types";

/**
 * The plotly.js build every chart is drawn with (report.html inlines it, the PNG renderer loads it):
 * the minified "cartesian" partial bundle, 1.4 MB instead of 3.7 MB (full, minified) or 11 MB (full).
 */
export const PLOTLY_BUNDLE = { package: "plotly.js-cartesian-dist-min", file: "plotly-cartesian.min.js" } as const;

/** Trace types the bundle holds (its README); a figure using any other type would draw nothing. */
export const PLOTLY_TRACE_TYPES: readonly string[] = [
  "bar", "box", "contour", "heatmap", "histogram", "histogram2d", "histogram2dcontour", "image", "pie", "scatter", "scatterternary", "violin",
];

/** Path of the plotly.js bundle file in node_modules. */
export function plotlyBundlePath(): string {
  return require.resolve(`${PLOTLY_BUNDLE.package}/${PLOTLY_BUNDLE.file}`);
}

/** Throws a clear error when a figure uses a trace type the bundle does not hold (a bug in a figure builder, not in the data). */
export function assertTracesInBundle(figures: Record<string, Figure>): void {
  for (const [id, f] of Object.entries(figures)) {
    for (const t of f.data) {
      if (!PLOTLY_TRACE_TYPES.includes(t.type)) {
        throw new SparkifyError("E_BAD_INPUT", `Figure ${id} uses the trace type "${t.type}", which the ${PLOTLY_BUNDLE.package} bundle does not hold (it has ${PLOTLY_TRACE_TYPES.join(", ")}).`);
      }
    }
  }
}
