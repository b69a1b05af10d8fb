import { strict as assert } from "node:assert";
import { parseTimeRangeCsv } from "../../lib/remote/fetchResult";
import { SparkifyError } from "../../lib/errors";

describe("remote/parseTimeRangeCsv: the time-range query's result", () => {
  it("reads Spark's and Athena's CSV (any case, quoted or not) into epoch milliseconds", () => {
    const range = { minTs: 1538352000000, maxTs: 1543622400000 };
    assert.deepEqual(parseTimeRangeCsv("min_ts,max_ts\n1538352000000,1543622400000\n", "spark.csv"), range);
    assert.deepEqual(parseTimeRangeCsv('"MIN_TS","MAX_TS"\n"1538352000000","1543622400000"\n', "athena.csv"), range);
  });

  it("no event kept: NULL for both is an empty range", () => {
    assert.deepEqual(parseTimeRangeCsv("min_ts,max_ts\n,\n", "t.csv"), { minTs: null, maxTs: null });
  });

  it("refuses what is not a time range, naming the file", () => {
    const bad = (csv: string, why: RegExp) => assert.throws(() => parseTimeRangeCsv(csv, "r.csv"), (e: SparkifyError) => e.code === "E_REMOTE_OUTPUT" && /^r\.csv/.test(e.message) && why.test(e.message));
    bad("min_ts,max_ts\n", /expected a header and one row/);
    bad("min_ts,max\n1,2\n", /column max_ts is missing/);
    bad("min_ts,max_ts\n1.5E12,2\n", /min_ts should be whole epoch milliseconds, got "1\.5E12"/);
    bad("min_ts,max_ts\n5,\n", /not a time range/);
    bad("min_ts,max_ts\n5,4\n", /not a time range/);
  });
});
