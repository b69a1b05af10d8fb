import * as assert from "node:assert/strict";
import * as path from "node:path";
import { featureTableFromRows, resolveCutoffs, type ResolvedFeatureOptions } from "../../lib/features";
import { renderFeatureQuery } from "../../lib/features";
import { SQL_DIALECTS, type SqlDialect } from "../../lib/sql";
import { assertRowsClose } from "../features/assertRowsClose";
import * as fs from "node:fs";
import * as os from "node:os";
import { writeSimulation } from "../../lib/simulate";
import { EventStore } from "../../lib/store";
import type { SqlRunner } from "../../lib/store/types";
import { duckRunner } from "../features/duckRunner";
import { DUCKDB_MACROS } from "./duckdbMacros";
import { openEvents } from "../features/openEvents";
import { AFTER_T, BEFORE_T } from "../features/fixtures";
import { randomEvents } from "../features/randomEvents";
import { formatSamples } from "../helpers/formatSamples";

const MACROS: Record<Exclude<SqlDialect, "duckdb">, readonly string[]> = DUCKDB_MACROS;

/**
 * Functions each engine documents under these names and argument orders (Spark SQL built-in
 * functions reference, Trino functions reference): a rendering may only call these.
 */
const DOCUMENTED: Record<SqlDialect, string[]> = {
  duckdb: ["arg_max", "avg", "cast", "coalesce", "count", "floor", "hash", "lag", "max", "min", "nullif", "regexp_extract", "sum"],
  spark: ["avg", "cast", "coalesce", "count", "floor", "lag", "max", "max_by", "min", "nullif", "regexp_extract", "sum", "xxhash64"],
  trino: ["avg", "cast", "coalesce", "count", "floor", "lag", "max", "max_by", "min", "nullif", "regexp_extract", "sum", "to_utf8", "xxhash64"],
};

const KEYWORDS = new Set(["as", "materialized", "in", "over", "and", "or", "not", "on", "when", "then", "else", "end", "by", "from", "join", "where", "select", "with"]);

/** Names called as functions in a SQL text (identifiers followed by "("), lower case. */
function calledFunctions(sql: string): string[] {
  const names = new Set<string>();
  for (const m of sql.replace(/'(?:[^']|'')*'/g, "''").matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\s*\(/g)) {
    const n = m[1].toLowerCase();
    if (!KEYWORDS.has(n)) names.add(n);
  }
  return [...names].sort();
}

const OPTION_SETS: Array<{ name: string; options: (r: SqlRunner) => Promise<ResolvedFeatureOptions> }> = [
  { name: "forward, 3 stacked cutoffs", options: (r) => resolveCutoffs(r, { cutoffs: [Date.UTC(2018, 9, 15), Date.UTC(2018, 9, 25), Date.UTC(2018, 10, 5)] }) },
  { name: "forward, default cutoff, cancel-or-downgrade, 10-day horizon", options: (r) => resolveCutoffs(r, { label: "cancel-or-downgrade", horizonDays: 10 }) },
  { name: "full-history", options: (r) => resolveCutoffs(r, { mode: "full-history" }) },
  { name: "full-history, cancel-or-downgrade", options: (r) => resolveCutoffs(r, { mode: "full-history", label: "cancel-or-downgrade" }) },
];

async function runDialect(runner: SqlRunner, dialect: SqlDialect, resolved: ResolvedFeatureOptions) {
  const rows = await runner.rows(renderFeatureQuery(dialect, resolved));
  return featureTableFromRows(rows, resolved).rows;
}

describe("features/renderFeatureQuery: Spark SQL and Trino renderings give the DuckDB table", () => {
  const datasets: Array<{ name: string; open: () => Promise<EventStore> }> = [
    { name: "hand-made fixture", open: () => openEvents([...BEFORE_T, ...AFTER_T]) },
    { name: "60 random users", open: () => openEvents(randomEvents(11, 60)) },
    // The Spark re-export samples: the one made from simulated events, the real one with SPARKIFY_CONFORMANCE_DIR.
    ...formatSamples().map((sample) => ({ name: `Spark re-export (${sample.name})`, open: async () => EventStore.open(await sample.dir(), { quiet: true, threads: 2 }) })),
    {
      // The simulator's mini preset, cut to 25 listeners to keep the suite fast.
      name: "simulated mini set (25 users, seed 3)",
      open: async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-dialect-"));
        try {
          const file = path.join(dir, "mini.jsonl");
          await writeSimulation({ preset: "mini", users: 25, seed: 3, out: file, quiet: true, workers: 1 });
          return await EventStore.open(file, { quiet: true, threads: 2 });
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    },
  ];

  it("every function a rendering calls is documented for its engine, and known to DuckDB or a macro", async () => {
    const runner = await duckRunner();
    try {
      const known = new Set((await runner.rows("SELECT DISTINCT lower(function_name) AS f FROM duckdb_functions()")).map((r) => String(r.f)));
      const resolved: ResolvedFeatureOptions = { mode: "forward", cutoffs: [1], horizonDays: 14, label: "cancel" };
      for (const dialect of SQL_DIALECTS) {
        for (const mode of ["forward", "full-history"] as const) {
          const used = calledFunctions(renderFeatureQuery(dialect, { ...resolved, mode, cutoffs: mode === "forward" ? [1] : [] }));
          for (const f of used) {
            assert.ok(DOCUMENTED[dialect].includes(f), `${dialect} rendering calls ${f}(), not in its documented list`);
            const macro = dialect !== "duckdb" && MACROS[dialect].some((m) => new RegExp(`MACRO\\s+${f}\\b`, "i").test(m));
            assert.ok(f === "cast" || f === "coalesce" || known.has(f) || macro, `${dialect} rendering calls ${f}(), unknown to DuckDB and without a macro`);
          }
        }
      }
    } finally {
      runner.close();
    }
  });

  it("the renderings differ only where the dialects do", () => {
    const resolved: ResolvedFeatureOptions = { mode: "forward", cutoffs: [1539993600000], horizonDays: 14, label: "cancel" };
    const [duck, spark, trino] = SQL_DIALECTS.map((d) => renderFeatureQuery(d, resolved));
    assert.match(duck, /arg_max\(/);
    assert.match(spark, /max_by\(/);
    assert.match(spark, /AS STRING\)/);
    assert.match(trino, /AS VARCHAR\)/);
    for (const text of [spark, trino]) {
      assert.doesNotMatch(text, /arg_max|::|FILTER\s*\(|\/\/|epoch_ms|MATERIALIZED|\bhash\(|"/, "no DuckDB-only syntax");
    }
    // Event-level CTEs are inlined in DuckDB (Spark and Trino inline on their own).
    assert.match(duck, /src AS NOT MATERIALIZED \(/);
    assert.match(duck, /obs AS NOT MATERIALIZED \(/);
    const plainDuck = duck.replace(/NOT MATERIALIZED /g, "");
    assert.equal(spark.replace(/max_by/g, "arg_max").replace(/AS STRING\)/g, "AS VARCHAR)").replace(/xxhash64\(/g, "hash("), plainDuck);
    assert.equal(trino.replace(/max_by/g, "arg_max").replace(/xxhash64\(to_utf8\(artist\)\)/g, "hash(artist)"), plainDuck);
  });

  for (const ds of datasets) {
    describe(ds.name, () => {
      let runner: EventStore;
      before(async () => {
        runner = await ds.open();
        for (const m of [...MACROS.spark, ...MACROS.trino]) await runner.rows(m);
      });
      after(() => runner.close());
      for (const set of OPTION_SETS) {
        it(set.name, async () => {
          const resolved = await set.options(runner);
          const reference = await runDialect(runner, "duckdb", resolved);
          assert.ok(reference.length > 0, "the DuckDB rendering returns rows");
          if (resolved.mode === "full-history") assert.ok(reference.some((r) => r.churn === 1), "some churn");
          for (const dialect of ["spark", "trino"] as const) {
            assertRowsClose(await runDialect(runner, dialect, resolved), reference, dialect);
          }
        });
      }
    });
  }
});
