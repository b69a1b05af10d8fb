import { strict as assert } from "node:assert";
import { pageMix } from "../../lib/plots";
import { writeSnapshot } from "./snapshot";

describe("plots/pageMix", () => {
  it("compares page shares between groups without NextSong, pages ordered by share", () => {
    const fig = pageMix([
      { page: "NextSong", group: "others", events: 80, share: 0.8 },
      { page: "Thumbs Up", group: "others", events: 15, share: 0.15 },
      { page: "Thumbs Down", group: "others", events: 5, share: 0.05 },
      { page: "Thumbs Down", group: "churners", events: 3, share: 0.3 },
    ]);
    writeSnapshot("plots-page-mix", fig);
    assert.deepEqual(fig.data.map((t) => t.name), ["churners", "others"]);
    assert.deepEqual(fig.data[0].y, ["Thumbs Down", "Thumbs Up"]);
    assert.deepEqual(fig.data[0].x, [0.3, 0]);
    assert.deepEqual(fig.data[1].x, [0.05, 0.15]);
  });
});
