/** Which label counts as churn: only `Cancellation Confirmation`, or also `Submit Downgrade`. */
export type LabelKind = "cancel" | "cancel-or-downgrade";

/**
 * `forward`: features from events before a cutoff T, label = churn in [T, T+H).
 * `full-history`: the classic set-up, all of a user's events up to (not including) churn.
 */
export type FeatureMode = "forward" | "full-history";

/** Options of a feature computation, as callers give them (every field optional). */
export interface FeatureOptions {
  /** Default "forward". */
  mode?: FeatureMode;
  /** One cutoff T (epoch ms); forward mode only. */
  cutoff?: number;
  /** Several cutoffs (epoch ms) stacked into one table; forward mode only. */
  cutoffs?: number[];
  /** Label horizon H in days (forward mode); default 14. */
  horizonDays?: number;
  /** Default "cancel". */
  label?: LabelKind;
}

/** Options with every default applied and every cutoff known (sorted, distinct). */
export interface ResolvedFeatureOptions {
  mode: FeatureMode;
  /** Cutoffs in epoch ms; empty in full-history mode. */
  cutoffs: number[];
  horizonDays: number;
  label: LabelKind;
}

/** Time range of the events table, as resolveCutoffs needs it. */
export interface TimeRange {
  /** Epoch ms of the first and last event; null when the table is empty. */
  minTs: number | null;
  maxTs: number | null;
}

/** One feature's name, meaning and kind, shown by notebooks and the report. */
export interface FeatureInfo {
  name: string;
  description: string;
  type: "numeric" | "categorical" | "binary";
  group: string;
}

/** A cell of the feature table: numbers, category strings, or null for an explicit missing value. */
export type FeatureValue = number | string | null;

/** The per-user (and per-cutoff) feature table with its label column `churn`. */
export interface FeatureTable {
  /** userId, cutoff (forward mode), the features in dictionary order, churn. */
  columns: string[];
  rows: Array<Record<string, FeatureValue>>;
  /** The features present in `columns`, in order. */
  dictionary: FeatureInfo[];
  mode: FeatureMode;
  cutoffs: number[];
  horizonDays: number;
  label: LabelKind;
}
