import { strict as assert } from "node:assert";
import { edaFigures, runEda } from "../../lib/eda";
import { writeSnapshot } from "../plots/snapshot";
import { fixtureDb, fourUsers } from "./fixtureDb";

describe("eda/runEda and edaFigures", () => {
  it("gathers every EDA table and turns them into the eight EDA charts", async () => {
    const db = await fixtureDb(fourUsers());
    try {
      const eda = await runEda(db);
      assert.deepEqual(Object.keys(eda.churnBy), ["gender", "level", "device", "state"]);
      assert.equal(eda.sessionLengths.length, 6);
      const figs = edaFigures(eda);
      writeSnapshot("eda-figures", figs);
      assert.deepEqual(Object.keys(figs).sort(), ["churnByDevice", "churnByGender", "churnByLevel", "churnByState", "eventsPerDay", "pageMix", "sessionGaps", "sessionLengths"]);
      assert.match(JSON.stringify(figs.churnByGender?.layout), /overall 50\.0%/);
      // Zero-length sessions cannot sit on a log axis and are left out of the chart.
      assert.deepEqual(figs.sessionLengths?.data.map((t) => (t.y as number[]).length), [3, 2]);
      assert.deepEqual(Object.keys(edaFigures({ pageMix: eda.pageMix })), ["pageMix"]);
    } finally {
      db.close();
    }
  });
});
