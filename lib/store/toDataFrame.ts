import type { DataFrame } from "danfojs";

let danfo: typeof import("danfojs") | null = null;

/** danfo is loaded on first use: it pulls in TensorFlow.js, which most store users never need. */
function loadDanfo(): typeof import("danfojs") {
  if (!danfo) danfo = require("danfojs") as typeof import("danfojs");
  return danfo;
}

/** A danfo DataFrame of plain rows; `columns` keeps the column order (and names an empty result). */
export function toDataFrame(rows: Record<string, unknown>[], columns: string[]): DataFrame {
  const { DataFrame: DF } = loadDanfo();
  if (rows.length === 0) return new DF([], { columns });
  const cols: Record<string, unknown[]> = {};
  for (const c of columns) cols[c] = rows.map((r) => r[c]);
  return new DF(cols as never, { columns });
}
