import { SparkifyError } from "../errors";
/**
 * Wilson score interval of a proportion `k / n` (default 95 %, z = 1.96): unlike the normal
 * approximation it stays inside [0, 1] and is honest for small groups and rates near 0 or 1
 * (2 churners of 3 users reads 0.21–0.94, not 0.13–1.2). n = 0 gives [0, 1].
 */
export function wilsonInterval(k: number, n: number, z = 1.96): { low: number; high: number } {
  if (!(n > 0)) return { low: 0, high: 1 };
  if (k < 0 || k > n) throw new SparkifyError("E_BAD_INPUT", `wilsonInterval: ${k} successes out of ${n} trials.`);
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
