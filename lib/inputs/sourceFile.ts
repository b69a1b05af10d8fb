/** A local file to load (an S3 object once it sits in the cache). */
export interface SourceFile {
  /** What the user named: a path or an s3:// URL. */
  source: string;
  /** Local path DuckDB reads. */
  path: string;
  /** Size on disk (compressed size for gzip). */
  bytes: number;
  gzip: boolean;
  /** The S3 object's ETag, for objects downloaded into the cache. */
  etag?: string;
  /** "parquet" for a Parquet file (found by its magic bytes), else JSON lines. */
  format?: "parquet";
}
