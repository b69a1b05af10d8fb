import { strict as assert } from "node:assert";
import { pageMixRows } from "../../lib/eda";
import { fixtureDb, fourUsers } from "./fixtureDb";

describe("eda/pageMixRows", () => {
  it("gives each page's count and share within the group", async () => {
    const db = await fixtureDb(fourUsers());
    try {
      const rows = await pageMixRows(db);
      const got = rows.map((r) => `${r.group} ${r.page} ${r.events} ${r.share.toFixed(4)}`);
      assert.deepEqual(got, [
        "churners NextSong 5 0.5556",
        "churners Cancel 2 0.2222",
        "churners Cancellation Confirmation 2 0.2222",
        "others NextSong 3 0.6000",
        "others Home 1 0.2000",
        "others Thumbs Down 1 0.2000",
      ]);
    } finally {
      db.close();
    }
  });
});
