/**
 * Renames result columns to the spelling of `expected`, matching case-insensitively: Trino/Athena
 * return `userid` for `userId`. Unknown columns keep their name.
 */
export function restoreColumnCase<V>(row: Record<string, V>, expected: readonly string[]): Record<string, V> {
  const byLower = new Map(expected.map((c) => [c.toLowerCase(), c]));
  const out: Record<string, V> = {};
  for (const [k, v] of Object.entries(row)) out[byLower.get(k.toLowerCase()) ?? k] = v;
  return out;
}
