import * as path from "node:path";
import { SparkifyError } from "../errors";

/** What a system error code means, in words a user can act on. */
const REASONS: Record<string, string> = {
  ENOSPC: "disk full",
  EDQUOT: "disk quota exceeded",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOENT: "folder does not exist",
  ENOTDIR: "a path component is a file, not a folder",
  EISDIR: "the path is a folder",
  EEXIST: "the path already exists",
  EMFILE: "too many open files",
  ENFILE: "too many open files in the system",
  EIO: "input/output error on the device",
  EFBIG: "file too large for the file system",
  ENAMETOOLONG: "file name too long",
  EXDEV: "temporary file and target on different file systems",
};

/**
 * A SparkifyError (code E_WRITE_FAILED) that says in words what failed, e.g. "disk full while writing
 * features.csv (/tmp/x/features.csv)"; non-system errors are wrapped with the same context.
 */
export function ioError(err: unknown, doing: string, file: string): SparkifyError {
  if (err instanceof SparkifyError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const reason = (code && REASONS[code]) ?? (err instanceof Error ? err.message : String(err));
  const abs = path.resolve(file);
  return new SparkifyError("E_WRITE_FAILED", `${reason} while ${doing} ${path.basename(abs)} (${abs})`, { cause: err });
}
