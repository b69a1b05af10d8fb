import { strict as assert } from "node:assert";
import { pageMix } from "../../lib/plots";
import { writeSnapshot } from "./snapshot";

describe("plots/pageMix", () => {
  it("compares page shares between groups without NextSong, renormalised over the other pages, pages ordered by share", () => {
    const fig = pageMix([
      { page: "NextSong", group: "others", events: 80, share: 0.8 },
      { page: "Thumbs Up", group: "others", events: 15, share: 0.15 },
      { page: "Thumbs Down", group: "others", events: 5, share: 0.05 },
      { page: "Thumbs Down", group: "churners", events: 3, share: 0.3 },
    ]);
    writeSnapshot("plots-page-mix", fig);
    assert.deepEqual(fig.data.map((t) => t.name), ["churners", "others"]);
    assert.deepEqual(fig.data[0].y, ["Thumbs Down", "Thumbs Up"]);
    // Each group's bars sum to 1 over the pages other than NextSong.
    assert.deepEqual(fig.data[0].x, [1, 0]);
    assert.deepEqual(fig.data[1].x, [0.25, 0.75]);
    assert.match((fig.layout.title as { text: string }).text, /without NextSong/);
    assert.match(((fig.layout.xaxis as { title: { text: string } }).title.text), /other than NextSong/);
  });
});
