// Finding inputs: local files, folders and globs, gzip, s3:// URLs (the S3 layer and its private
// cache), Parquet files, and the pins that prove an input did not change while it was read. What
// other folders use; the rest (the cache's internals, listing, URL parsing) stays in the folder.
export type { SourceFile } from "./sourceFile";
export { resolveSources, resolveLocal, localInputs, SUCCESS_MARKER } from "./resolveSources";
export { countLines, forEachLine } from "./streamBytes";
export { checkPins, pinInputs, type InputPin } from "./inputPins";
export { CONVERTED, convertedEventsFolder } from "./parquetFiles";
export { createS3Client, isS3Url, requireS3Url, joinS3, putText, getText, listObjects, downloadToFile } from "./s3";
export type { S3Listed } from "./s3";
