// SQL quoting, written once: every identifier and string literal the project puts into SQL text goes
// through these two, so a name or value holding a quote can never end the quoted text early.

/** SQL quoting of an identifier (a column, table or schema name): `a"b` becomes `"a""b"` (DuckDB, Trino, standard SQL). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * SQL quoting of a string literal: `it's` becomes `'it''s'`. With `backslashEscapes` (Spark SQL, where
 * a backslash starts an escape inside a literal) backslashes are doubled too.
 */
export function literal(text: string, options: { backslashEscapes?: boolean } = {}): string {
  const body = text.replace(/'/g, "''");
  return `'${options.backslashEscapes ? body.replace(/\\/g, "\\\\") : body}'`;
}
