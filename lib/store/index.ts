export { EventStore } from "./EventStore";
export type { DataReport, LoadOptions, QuarantineEntry, SourceFile, SqlRunner, StorageMode, StoreSummary } from "./types";
export { CLEANING_RULES, resolveRules } from "./rules";
export type { RuleName } from "./rules";
export { resolveSources, resolveLocal, globToRegExp } from "./resolveSources";
export { countLines, countNewlines, forEachLine, isGzipFile, streamBytes } from "./streamBytes";
export { loadFile } from "./loadFile";
export type { FileLoadResult, FileLoadOptions } from "./loadFile";
export { checkReport } from "./checkReport";
export { toPlain, plainRows } from "./toPlain";
export { toDataFrame } from "./toDataFrame";
export {
  createS3Client, parseS3Url, isS3Url, formatS3Url, downloadToCache, cachePath, listS3Objects, fetchS3Source,
  resolveS3Objects, defaultS3CacheDir, s3Error, userCacheDir, ensurePrivateDir, CACHE_ENV,
} from "./s3";
export { localInputs, SUCCESS_MARKER } from "./resolveSources";
export { checkPins, pinInputs } from "./inputPins";
export { convertEvents, type ConvertResult } from "./parquet/convertEvents";
export { CONVERTED, isParquetFile } from "./parquet/parquetFiles";
export type { InputPin } from "./inputPins";
export type { S3ClientOptions, S3Location, DownloadOptions, DownloadResult, S3ObjectInfo } from "./s3";
