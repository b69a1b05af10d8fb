/**
 * Gradient histograms. Layout: one Float64Array per node; for feature f and bin b the three slots at
 * `(f * stride + b) * 3` hold the sum of gradients, the sum of hessians and the number of rows.
 */

/** Slots per bin: gradient sum, hessian sum, row count. */
export const HIST_SLOTS = 3;

/** Where a node's rows are: `rows[start .. end)` are row numbers into the column-major bin codes. */
export interface RowRange {
  readonly rows: Uint32Array;
  readonly start: number;
  readonly end: number;
}

/** The binned training data the histogram kernels read. */
export interface BinnedData {
  /** Row-major codes: `codes[i * nFeatures + f]`. */
  readonly codes: Uint8Array;
  readonly nRows: number;
  readonly nFeatures: number;
  /** Bins per feature in a histogram (maxBins + 1, the last one for missing values). */
  readonly stride: number;
  /** Non-missing bins per feature; codes are < nBins[f] or equal to stride - 1 (missing). */
  readonly nBins: Int32Array;
}

/** A zeroed histogram for every feature of `data`. */
export function allocHistogram(data: BinnedData): Float64Array {
  return new Float64Array(data.nFeatures * data.stride * HIST_SLOTS);
}

/**
 * Fills `hist` for the listed features with the rows of one node (other features' slots are left as they are).
 * Rows are walked once, each adding its gradient to every listed feature's bin: with row-major codes this
 * measured about twice as fast in V8 as a loop per feature over column-major codes (2.0 vs 3.7 ns per update).
 */
export function buildHistogram(
  hist: Float64Array,
  data: BinnedData,
  features: Int32Array,
  nFeaturesUsed: number,
  range: RowRange,
  g: Float64Array,
  h: Float64Array,
): void {
  const { codes, nFeatures, stride, nBins } = data;
  const { rows, start, end } = range;
  const width = stride * 3;
  for (let fi = 0; fi < nFeaturesUsed; fi++) {
    const f = features[fi];
    const base = f * width;
    // Only bins that can occur are touched: 0 .. nBins[f]-1 and the missing bin.
    hist.fill(0, base, base + nBins[f] * 3);
    hist.fill(0, base + width - 3, base + width);
  }
  if (nFeaturesUsed === nFeatures) {
    for (let k = start; k < end; k++) {
      const r = rows[k];
      const gg = g[r];
      const hh = h[r];
      const ro = r * nFeatures;
      for (let f = 0, base = 0; f < nFeatures; f++, base += width) {
        const b = base + codes[ro + f] * 3;
        hist[b] += gg;
        hist[b + 1] += hh;
        hist[b + 2] += 1;
      }
    }
    return;
  }
  for (let k = start; k < end; k++) {
    const r = rows[k];
    const gg = g[r];
    const hh = h[r];
    const ro = r * nFeatures;
    for (let fi = 0; fi < nFeaturesUsed; fi++) {
      const f = features[fi];
      const b = f * width + codes[ro + f] * 3;
      hist[b] += gg;
      hist[b + 1] += hh;
      hist[b + 2] += 1;
    }
  }
}

/** Reference implementation of buildHistogram, one row at a time with no gathering; tests compare against it. */
export function buildHistogramNaive(
  data: BinnedData,
  features: ArrayLike<number>,
  range: RowRange,
  g: Float64Array,
  h: Float64Array,
): Float64Array {
  const hist = allocHistogram(data);
  for (let k = range.start; k < range.end; k++) {
    const r = range.rows[k];
    for (let fi = 0; fi < features.length; fi++) {
      const f = features[fi];
      const bin = data.codes[r * data.nFeatures + f];
      const at = (f * data.stride + bin) * HIST_SLOTS;
      hist[at] += g[r];
      hist[at + 1] += h[r];
      hist[at + 2] += 1;
    }
  }
  return hist;
}

/** `out = parent - child` for the listed features: the sibling's histogram without reading its rows. */
export function subtractHistogram(
  out: Float64Array,
  parent: Float64Array,
  child: Float64Array,
  data: BinnedData,
  features: Int32Array,
  nFeaturesUsed: number,
): void {
  const width = data.stride * HIST_SLOTS;
  for (let fi = 0; fi < nFeaturesUsed; fi++) {
    const f = features[fi];
    const base = f * width;
    for (let i = base, e = base + data.nBins[f] * HIST_SLOTS; i < e; i++) out[i] = parent[i] - child[i];
    for (let i = base + width - HIST_SLOTS, e = base + width; i < e; i++) out[i] = parent[i] - child[i];
  }
}
