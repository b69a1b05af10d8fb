import { NotFittedError, SparkifyError } from "../../errors";
import { checkParams, resolveParams, type ParamConstraints } from "../params";
import type { Matrix } from "../types";

/** A raw feature value as the feature table holds it. */
export type FeatureValue = number | string | boolean | null | undefined;

/** One entry of the feature dictionary (the structural shape of lib/features' dictionary). */
export interface FeatureSpec {
  name: string;
  type: "numeric" | "categorical" | "binary";
  description?: string;
  group?: string;
}

/** Options of FeatureEncoder. */
export interface FeatureEncoderOptions {
  /** Most frequent categories kept per categorical column; the rest share an "(other)" column. Default 20. */
  maxCategories?: number;
  /** Columns never used as features (identifiers and the label). Default userId, cutoff, churn. */
  exclude?: string[];
}

/** How one output column of the Matrix came from a source feature. */
export interface EncodedColumn {
  /** Output column name: the feature name, or "feature=category" for one-hot columns. */
  name: string;
  /** The source feature in the table. */
  feature: string;
  /** The category for one-hot columns (OTHER for the bucket), undefined for numeric/binary. */
  category?: string;
}

/** The bucket name of categories not among a column's top-K at fit time (and unseen ones later). */
export const OTHER = "(other)";
/** The category name given to null values of a categorical column. */
export const MISSING = "(missing)";

/** Saved form of a fitted FeatureEncoder. */
export interface SavedEncoder {
  kind: "feature-encoder";
  formatVersion: number;
  options: FeatureEncoderOptions;
  features: FeatureSpec[];
  categories: Record<string, string[]>;
}

/**
 * Turns feature-table rows into a numeric Matrix: numeric and binary columns as numbers (null → NaN),
 * categorical columns one-hot over the top-K categories seen at fit plus an "(other)" bucket that
 * also takes categories never seen at fit.
 * @example
 * import { FeatureEncoder } from "./lib/models";
 * const rows = [
 *   { userId: "1", songs: 120, level: "paid", churn: 0 },
 *   { userId: "2", songs: null, level: "free", churn: 1 },
 * ];
 * const dictionary = [
 *   { name: "songs", type: "numeric" as const },
 *   { name: "level", type: "categorical" as const },
 * ];
 * const enc = await new FeatureEncoder().fit(rows, dictionary);
 * const X = enc.transform(rows); // songs NaN where missing, level one-hot
 * if (X.columns.join() !== "songs,level=free,level=paid,level=(other)") throw new Error(X.columns.join());
 */
export class FeatureEncoder {
  static readonly formatVersion = 1;
  /** Parameter rules, checked on the first line of fit. */
  static readonly paramConstraints: ParamConstraints = {
    maxCategories: [{ type: "int", min: 1 }],
    exclude: [{ type: "strings" }],
  };
  /** The options as given to the constructor (see getParams for the ones in effect). */
  readonly options: FeatureEncoderOptions;
  /** The features used, in dictionary order. */
  features_?: FeatureSpec[];
  /** Kept categories per categorical feature, by decreasing frequency (ties by name). */
  categories_?: Record<string, string[]>;
  /** One entry per output column. */
  columns_?: EncodedColumn[];

  constructor(options: FeatureEncoderOptions = {}) {
    this.options = options;
  }

  /** The options in effect: 20 categories per column and userId, cutoff and churn excluded unless given. */
  getParams(): Required<FeatureEncoderOptions> {
    return resolveParams<Required<FeatureEncoderOptions>>({ maxCategories: 20, exclude: ["userId", "cutoff", "churn"] }, this.options);
  }

  /** Learns the feature list and each categorical column's categories; resolves to this. */
  async fit(rows: ReadonlyArray<Record<string, FeatureValue>>, dictionary: ReadonlyArray<FeatureSpec>): Promise<this> {
    checkParams("FeatureEncoder", this.options, FeatureEncoder.paramConstraints);
    const o = this.getParams();
    const exclude = new Set(o.exclude);
    const features: FeatureSpec[] = [];
    for (const spec of dictionary) {
      if (exclude.has(spec.name)) continue;
      if (!["numeric", "categorical", "binary"].includes(spec.type)) {
        throw new SparkifyError("E_BAD_INPUT", `FeatureEncoder: feature "${spec.name}" has type "${spec.type}"; expected numeric, categorical or binary`);
      }
      features.push({ name: spec.name, type: spec.type });
    }
    if (features.length === 0) throw new SparkifyError("E_EMPTY_INPUT", "FeatureEncoder: the dictionary lists no feature columns");
    const categories: Record<string, string[]> = {};
    for (const f of features) {
      if (f.type !== "categorical") continue;
      const counts = new Map<string, number>();
      for (const row of rows) {
        const c = categoryOf(row[f.name]);
        counts.set(c, (counts.get(c) ?? 0) + 1);
      }
      categories[f.name] = [...counts.entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .slice(0, o.maxCategories)
        .map(([c]) => c);
    }
    this.setState(features, categories);
    return this;
  }

  /** Output column names, in Matrix order. */
  get columnNames(): string[] {
    return this.fitted().columns.map((c) => c.name);
  }

  /** Encodes rows into a Matrix (nRows × columns_.length); throws on a non-numeric value in a numeric column. */
  transform(rows: ReadonlyArray<Record<string, FeatureValue>>): Matrix {
    const { features, categories, columns } = this.fitted();
    const nCols = columns.length;
    const data = new Float64Array(rows.length * nCols);
    // per feature: its first output column and, for categoricals, category → offset
    const plan = features.map((f) => ({ f, index: new Map((categories[f.name] ?? []).map((c, k) => [c, k])) }));
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      let col = 0;
      const off = i * nCols;
      for (const { f, index } of plan) {
        const v = row[f.name];
        if (f.type === "categorical") {
          const k = index.get(categoryOf(v));
          data[off + col + (k === undefined ? index.size : k)] = 1;
          col += index.size + 1;
        } else {
          data[off + col] = numericValue(v, i, f.name);
          col += 1;
        }
      }
    }
    return { data, nRows: rows.length, nCols, columns: columns.map((c) => c.name) };
  }

  /** fit then transform. */
  async fitTransform(rows: ReadonlyArray<Record<string, FeatureValue>>, dictionary: ReadonlyArray<FeatureSpec>): Promise<Matrix> {
    return (await this.fit(rows, dictionary)).transform(rows);
  }

  /** The source feature of each output column (for mapping importances and contributions back). */
  sourceFeatures(): string[] {
    return this.fitted().columns.map((c) => c.feature);
  }

  /** The feature names, in order. */
  featureNames(): string[] {
    return this.fitted().features.map((f) => f.name);
  }

  /** Saved form (JSON-serialisable). */
  toJSON(): SavedEncoder {
    const { features, categories } = this.fitted();
    return { kind: "feature-encoder", formatVersion: FeatureEncoder.formatVersion, options: this.options, features, categories };
  }

  /** Rebuilds a fitted encoder from toJSON's output. */
  static fromJSON(saved: SavedEncoder): FeatureEncoder {
    if (!saved || saved.kind !== "feature-encoder") throw new SparkifyError("E_MODEL_KIND", `FeatureEncoder.fromJSON: kind "${saved?.kind}" is not "feature-encoder"`);
    if (saved.formatVersion !== FeatureEncoder.formatVersion) {
      throw new SparkifyError("E_MODEL_VERSION", `FeatureEncoder.fromJSON: format version ${saved.formatVersion} is not supported (expected ${FeatureEncoder.formatVersion})`);
    }
    if (!Array.isArray(saved.features) || typeof saved.categories !== "object" || saved.categories === null) {
      throw new SparkifyError("E_MODEL_DAMAGED", "FeatureEncoder.fromJSON: features must be an array and categories an object");
    }
    for (const f of saved.features) {
      if (f.type === "categorical" && !Array.isArray(saved.categories[f.name])) {
        throw new SparkifyError("E_MODEL_DAMAGED", `FeatureEncoder.fromJSON: no categories saved for categorical feature "${f.name}"`);
      }
    }
    const options = saved.options ?? {};
    try {
      checkParams("FeatureEncoder", options, FeatureEncoder.paramConstraints);
    } catch (e) {
      throw new SparkifyError("E_MODEL_DAMAGED", `FeatureEncoder.fromJSON: damaged encoder: ${(e as Error).message}`);
    }
    const enc = new FeatureEncoder(options);
    enc.setState(saved.features, saved.categories);
    return enc;
  }

  private setState(features: FeatureSpec[], categories: Record<string, string[]>): void {
    const columns: EncodedColumn[] = [];
    for (const f of features) {
      if (f.type === "categorical") {
        for (const c of categories[f.name]) columns.push({ name: `${f.name}=${c}`, feature: f.name, category: c });
        columns.push({ name: `${f.name}=${OTHER}`, feature: f.name, category: OTHER });
      } else {
        columns.push({ name: f.name, feature: f.name });
      }
    }
    this.features_ = features;
    this.categories_ = categories;
    this.columns_ = columns;
  }

  private fitted(): { features: FeatureSpec[]; categories: Record<string, string[]>; columns: EncodedColumn[] } {
    if (!this.features_ || !this.categories_ || !this.columns_) throw new NotFittedError("FeatureEncoder", "fit(rows, dictionary)");
    return { features: this.features_, categories: this.categories_, columns: this.columns_ };
  }
}

function categoryOf(v: FeatureValue): string {
  return v === null || v === undefined || v === "" ? MISSING : String(v);
}

function numericValue(v: FeatureValue, row: number, name: string): number {
  if (v === null || v === undefined || v === "") return NaN;
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  const x = Number(v);
  if (Number.isNaN(x)) throw new SparkifyError("E_BAD_INPUT", `FeatureEncoder: row ${row}, column "${name}": "${v}" is not a number`);
  return x;
}
