import { internalError } from "../errors";
import { EVENT_FIELDS, EVENT_COLUMN_TYPES, REQUIRED_FIELDS, USER_FIELD } from "../events/schema";

/** Spark type of each portable column type of the events table. */
const SPARK_TYPES: Readonly<Record<string, string>> = {
  VARCHAR: "StringType()",
  INTEGER: "IntegerType()",
  BIGINT: "LongType()",
  DOUBLE: "DoubleType()",
};

/** The explicit Spark schema of the 18 event fields, as Python source. */
export function sparkSchemaSource(): string {
  const fields = EVENT_FIELDS.map((f) => {
    const t = SPARK_TYPES[EVENT_COLUMN_TYPES[f]];
    if (!t) throw internalError(`No Spark type for ${EVENT_COLUMN_TYPES[f]} (field ${f}).`);
    return `    StructField(${JSON.stringify(f)}, ${t}, True),`;
  });
  // The corrupt-record column collects lines that are not JSON or have a field of the wrong type.
  fields.push(`    StructField("_corrupt_record", StringType(), True),`);
  return `SCHEMA = StructType([\n${fields.join("\n")}\n])`;
}

/** Options of the PySpark entry point. */
export interface PysparkEntryOptions {
  /** The rendered Spark SQL feature query; it reads the temp view `events`. */
  sql: string;
  /** Shown in the script's docstring, to match a staged script with its run. */
  runId: string;
  /** What the query computes, in the docstring and the Spark application name (default "feature table"). */
  what?: string;
}

/**
 * Renders the PySpark entry point staged on S3 for EMR Serverless: it reads the JSON lines with an
 * explicit schema, applies the store's cleaning rules (drop malformed lines, lines missing a required
 * field, events without a user, exact duplicates) and counts them, registers `events`, runs the
 * query and writes one CSV with header to `--output`, and the counts as JSON to `--report`.
 */
export function renderPysparkEntry(opts: PysparkEntryOptions): string {
  const what = opts.what ?? "feature table";
  const app = `sparkify-churn-${what === "feature table" ? "features" : what.replace(/\s+/g, "-")}`;
  const required = REQUIRED_FIELDS.map((f) => `F.col(${JSON.stringify(f)}).isNull()`).join(" | ");
  const user = `F.col(${JSON.stringify(USER_FIELD)})`;
  return `"""sparkify-churn ${what} on Spark (generated for run ${opts.runId}; do not edit).

Arguments: --input s3://events/prefix/ --output s3://staging/.../features/ --report s3://.../report/
"""
import argparse
import json
import sys

from pyspark import StorageLevel
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import DoubleType, IntegerType, LongType, StringType, StructField, StructType

${sparkSchemaSource()}

# The query (${what}), rendered for Spark SQL by sparkify-churn. It reads the view "events".
QUERY = ${JSON.stringify(opts.sql)}


def main(argv):
    parser = argparse.ArgumentParser(description="sparkify-churn ${what}")
    parser.add_argument("--input", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--report", required=True)
    args = parser.parse_args(argv)

    spark = (
        SparkSession.builder.appName("${app}")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    raw = (
        spark.read.schema(SCHEMA)
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", "_corrupt_record")
        .option("recursiveFileLookup", "true")
        .json(args.input)
    )
    rule = (
        F.when(F.col("_corrupt_record").isNotNull(), F.lit("malformed"))
        .when(${required}, F.lit("missing_field"))
        .when(${user}.isNull() | (${user} == ""), F.lit("no_user"))
    )
    flagged = raw.withColumn("_rule", rule)
    counts = {row["_rule"]: row["count"] for row in flagged.groupBy("_rule").count().collect()}

    events = flagged.where(F.col("_rule").isNull()).drop("_rule", "_corrupt_record").dropDuplicates()
    # Kept on disk/memory: counted once here, then scanned by the feature query.
    events.persist(StorageLevel.MEMORY_AND_DISK)
    kept = events.count()
    lines = sum(counts.values())
    report = {
        "lines": lines,
        "kept": kept,
        "dropped": {
            "missing_field": counts.get("missing_field", 0),
            "no_user": counts.get("no_user", 0),
            "duplicate": counts.get(None, 0) - kept,
        },
        "malformed": counts.get("malformed", 0),
    }
    events.createOrReplaceTempView("events")

    features = spark.sql(QUERY)
    (
        features.coalesce(1)
        .write.mode("overwrite")
        .option("header", "true")
        # RFC 4180 quoting (a quote inside a value is doubled, not backslash-escaped).
        .option("escape", '"')
        .csv(args.output)
    )
    spark.createDataFrame([(json.dumps(report),)], ["value"]).coalesce(1).write.mode("overwrite").text(args.report)
    print("sparkify-churn: " + json.dumps(report))
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
`;
}
