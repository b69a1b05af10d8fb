/**
 * DuckDB macros standing in for functions that Spark SQL or Trino name differently from DuckDB.
 * The renderings keep to functions the three engines share by name, except the 64-bit string hash
 * used to count distinct artists: DuckDB hash(x), Spark xxhash64(x), Trino xxhash64(to_utf8(x)).
 * The hash values differ between engines; the feature only counts distinct ones.
 */
export const DUCKDB_MACROS = {
  spark: ["CREATE OR REPLACE MACRO xxhash64(x) AS hash(x)"],
  trino: ["CREATE OR REPLACE MACRO xxhash64(x) AS hash(x)", "CREATE OR REPLACE MACRO to_utf8(s) AS encode(s)"],
} as const;
