/** Number formats of the report: every figure rounded, dates as dates, one place to change them. */
import { DAY_MS } from "../events/time";

/** A time as a date: "2018-10-22" at midnight UTC, else "2018-12-03 01:11 UTC"; "–" when not a time. */
export function formatDate(v: unknown): string {
  if (v === null || v === undefined || v === "") return "–";
  const t = typeof v === "number" ? v : v instanceof Date ? v.getTime() : Date.parse(String(v));
  if (!Number.isFinite(t)) return String(v);
  const iso = new Date(t).toISOString();
  return t % DAY_MS === 0 ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** A list of cutoffs as dates: all of them when few, else "first … last (n cutoffs, weekly)". */
export function formatCutoffs(v: unknown): string {
  const list = Array.isArray(v) ? v : v === null || v === undefined ? [] : [v];
  if (list.length === 0) return "–";
  if (list.length <= 3) return list.map(formatDate).join(", ");
  return `${formatDate(list[0])} … ${formatDate(list[list.length - 1])} (${list.length} cutoffs)`;
}

/** A whole count with thousands separators ("–" when absent). */
export function formatCount(n: number | undefined | null): string {
  return typeof n === "number" && Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "–";
}

/** A fraction as a percentage, e.g. 0.2217 → "22.2%" ("–" when absent). */
export function formatPct(x: number | undefined | null, digits = 1): string {
  return typeof x === "number" && Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : "–";
}

/** A score such as ROC-AUC to `digits` decimals ("–" when absent). */
export function formatScore(x: number | undefined | null, digits = 3): string {
  return typeof x === "number" && Number.isFinite(x) ? x.toFixed(digits) : "–";
}

/** A score with its spread, "0.121 ± 0.135" ("–" without a mean). */
export function formatSpread(mean: number | undefined | null, sd: number | undefined | null, digits = 3): string {
  return typeof mean === "number" && Number.isFinite(mean) ? `${mean.toFixed(digits)} ± ${formatScore(sd, digits)}` : "–";
}

/** A probability as a percentage with one decimal, e.g. 0.0937 → "9.4%". */
export function formatProbability(p: number | undefined | null): string {
  return formatPct(p, 1);
}

/** An effect in probability points, signed: 0.0643 → "+6.4 pts" (one point = 1 % of probability). */
export function formatPoints(x: number | undefined | null): string {
  if (typeof x !== "number" || !Number.isFinite(x)) return "–";
  const s = (Math.abs(x) * 100).toFixed(1);
  return `${x < 0 ? "−" : "+"}${s} pts`;
}

/** A multiplier, e.g. 1.956 → "2.0×". */
export function formatTimes(x: number | undefined | null, digits = 1): string {
  return typeof x === "number" && Number.isFinite(x) ? `${x.toFixed(digits)}×` : "–";
}

/** An expected number of people, to one decimal: 1.4755 → "1.5". */
export function formatExpected(x: number | undefined | null): string {
  return typeof x === "number" && Number.isFinite(x) ? x.toFixed(1) : "–";
}

/** Megabytes with one decimal. */
export function formatMb(bytes: number | undefined | null): string {
  return typeof bytes === "number" && Number.isFinite(bytes) ? `${(bytes / 1e6).toFixed(1)} MB` : "–";
}
