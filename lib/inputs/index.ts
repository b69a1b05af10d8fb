// Finding inputs: local files, folders and globs, gzip, s3:// URLs (the S3 layer and its private
// cache), Parquet files, and the pins that prove an input did not change while it was read.
export type { SourceFile } from "./sourceFile";
export { resolveSources, resolveLocal, localInputs, globToRegExp, SUCCESS_MARKER } from "./resolveSources";
export { countLines, countNewlines, forEachLine, isGzipFile, streamBytes } from "./streamBytes";
export { checkPins, pinInputs, type InputPin } from "./inputPins";
export { CONVERTED, convertedEventsFolder, isParquetFile } from "./parquetFiles";
export {
  createS3Client, parseS3Url, isS3Url, formatS3Url, downloadToCache, cachePath, listS3Objects, fetchS3Source,
  resolveS3Objects, defaultS3CacheDir, s3Error, userCacheDir, ensurePrivateDir, CACHE_ENV,
  requireS3Url, joinS3, putText, getText, listObjects, downloadToFile,
} from "./s3";
export type { S3ClientOptions, S3Location, DownloadOptions, DownloadResult, S3ObjectInfo, S3Listed } from "./s3";
