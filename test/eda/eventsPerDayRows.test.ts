import { strict as assert } from "node:assert";
import { eventsPerDayRows } from "../../lib/eda";
import { fixtureDb, fourUsers } from "./fixtureDb";

describe("eda/eventsPerDayRows", () => {
  it("counts events and active users per UTC day and group", async () => {
    const db = await fixtureDb(fourUsers());
    try {
      const rows = await eventsPerDayRows(db);
      assert.deepEqual(rows, [
        { day: "2018-10-01", group: "churners", events: 6, users: 2 },
        { day: "2018-10-01", group: "others", events: 2, users: 1 },
        { day: "2018-10-02", group: "others", events: 3, users: 2 },
        { day: "2018-10-03", group: "churners", events: 3, users: 1 },
      ]);
    } finally {
      db.close();
    }
  });
});
