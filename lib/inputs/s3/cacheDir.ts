import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SparkifyError } from "../../errors";

/** Environment variable that moves the whole cache folder of sparkify-churn. */
export const CACHE_ENV = "SPARKIFY_CHURN_CACHE";

/**
 * The user's cache folder of sparkify-churn: $SPARKIFY_CHURN_CACHE, else $XDG_CACHE_HOME/sparkify-churn
 * (when absolute, as the XDG spec asks), else ~/.cache/sparkify-churn. Never the shared temp folder.
 */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env[CACHE_ENV]) return path.resolve(env[CACHE_ENV]!);
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, "sparkify-churn");
  return path.join(os.homedir(), ".cache", "sparkify-churn");
}

/** Default cache of downloaded S3 objects: the "s3" folder of userCacheDir(). */
export function defaultS3CacheDir(): string {
  return path.join(userCacheDir(), "s3");
}

/**
 * Creates `dir` (mode 0700) if missing and makes sure only this user can use it: a folder owned by
 * another user is refused (its contents could be planted), one readable or writable by others is
 * narrowed to 0700.
 */
export function ensurePrivateDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new SparkifyError("E_CACHE", `cannot create the cache folder ${dir}: ${(err as Error).message} (set ${CACHE_ENV} to move it)`, { cause: err });
  }
  const st = fs.lstatSync(dir);
  if (st.isSymbolicLink() || !st.isDirectory()) throw new SparkifyError("E_CACHE", `cache folder ${dir} is not a plain folder (a symlink or a file); set ${CACHE_ENV} to another folder`);
  const uid = typeof process.getuid === "function" ? process.getuid() : null;
  if (uid !== null && st.uid !== uid) {
    throw new SparkifyError("E_CACHE", `cache folder ${dir} belongs to another user (uid ${st.uid}); its files cannot be trusted. Set ${CACHE_ENV} to a folder of your own`);
  }
  if ((st.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
}
