import { strict as assert } from "node:assert";
import { eventsPerDay } from "../../lib/plots";
import { writeSnapshot } from "./snapshot";

describe("plots/eventsPerDay", () => {
  const rows = [
    { day: "2018-10-02", group: "churners", events: 30, users: 3 },
    { day: "2018-10-01", group: "churners", events: 10, users: 2 },
    { day: "2018-10-01", group: "others", events: 40, users: 8 },
  ];
  it("draws one line per group, in day order, per active user by default", () => {
    const fig = eventsPerDay(rows);
    writeSnapshot("plots-events-per-day", fig);
    assert.deepEqual(fig.data.map((t) => t.name), ["churners", "others"]);
    assert.deepEqual(fig.data[0].x, ["2018-10-01", "2018-10-02"]);
    assert.deepEqual(fig.data[0].y, [5, 10]);
  });
  it("can plot raw event counts", () => {
    assert.deepEqual(eventsPerDay(rows, "events").data[0].y, [10, 30]);
  });
});
