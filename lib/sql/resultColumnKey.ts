/**
 * The key of a result row that holds `column`: engines may change its case (Trino/Athena return
 * `userid` for `userId`), so the last key matching case-insensitively, else `column` itself.
 */
export function resultColumnKey(row: Record<string, unknown>, column: string): string {
  const lower = column.toLowerCase();
  let found = column;
  for (const k of Object.keys(row)) if (k.toLowerCase() === lower) found = k;
  return found;
}
