import { sqlFor, type SqlDialect } from "../sql/dialect";
import { buildFeatureQuery } from "./featureQuery";
import type { ResolvedFeatureOptions } from "./types";

/**
 * The feature query for one dialect: one SQL statement over the cleaned events table (default
 * `events`) returning userId, cutoff (forward mode), the features and churn.
 * @example
 * import { renderFeatureQuery } from "./lib/features/renderFeatureQuery";
 * const sql = renderFeatureQuery("spark", { mode: "forward", cutoffs: [Date.UTC(2018, 10, 15)], horizonDays: 14, label: "cancel" });
 * if (!/\bFROM events\b/i.test(sql)) throw new Error(sql);
 */
export function renderFeatureQuery(dialect: SqlDialect, options: ResolvedFeatureOptions & { table?: string }): string {
  return buildFeatureQuery(sqlFor(dialect), options);
}
