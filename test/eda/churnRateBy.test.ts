import { strict as assert } from "node:assert";
import { churnRateBy } from "../../lib/eda";
import { FixtureDb, fixtureDb, fourUsers } from "./fixtureDb";

describe("eda/churnRateBy", () => {
  let db: FixtureDb;
  before(async () => {
    db = await fixtureDb(fourUsers());
  });
  after(() => db.close());

  const simple = async (by: Parameters<typeof churnRateBy>[1]) =>
    Object.fromEntries((await churnRateBy(db, by)).map((r) => [r.category, `${r.churners}/${r.users}=${r.churnRate}`]));

  it("by gender, ignoring a null gender on a user's later row", async () => {
    assert.deepEqual(await simple("gender"), { F: "2/2=1", M: "0/2=0" });
  });
  it("by level at the user's last event", async () => {
    assert.deepEqual(await simple("level"), { paid: "1/2=0.5", free: "1/2=0.5" });
  });
  it("by device family from the user agent (iPhone before Mac, Android before Linux)", async () => {
    assert.deepEqual(await simple("device"), { Windows: "1/1=1", iPhone: "0/1=0", Android: "0/1=0", Mac: "1/1=1" });
  });
  it("by the first state of the location, unknown without one", async () => {
    assert.deepEqual(await simple("state"), { TX: "1/1=1", NY: "0/1=0", CA: "0/1=0", unknown: "1/1=1" });
  });
  it("orders by users, then category, and rejects an unknown breakdown", async () => {
    assert.deepEqual((await churnRateBy(db, "gender")).map((r) => r.category), ["F", "M"]);
    await assert.rejects(churnRateBy(db, "age" as never), /"age" is not one of gender, level, device, state/);
  });
});
