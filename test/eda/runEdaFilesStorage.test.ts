// runEda in files storage works on a copy of only the columns it reads (EDA_SOURCE_COLUMNS): the
// same tables as in memory storage, where every column is there.
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { runEda } from "../../lib/eda";
import { EventStore } from "../../lib/store";

describe("eda/runEda in files storage (a copy of the columns it reads)", function () {
  this.timeout(120_000);
  it("gives the tables memory storage gives", async () => {
    const input = path.resolve(__dirname, "../../data/sample/sparkify-sample.jsonl.gz");
    const results = [];
    for (const storage of ["memory", "files"] as const) {
      const store = await EventStore.open(input, { storage, quiet: true, threads: 2 });
      try {
        results.push(await runEda(store));
      } finally {
        await store.close();
      }
    }
    assert.ok(results[0].sessionLengths.length > 0 && results[0].churnBy.state.length > 1, "tables with rows");
    assert.deepEqual(results[1], results[0]);
  });
});
