import { strict as assert } from "node:assert";
import { edaFigures } from "../../lib/eda";
import { wilsonInterval } from "../../lib/plots";

const row = (category: string, users: number, churners: number) => ({ category, users, churners, churnRate: churners / users });

describe("eda/edaFigures for readers", () => {
  it("merges states with too few users into 'other', says so in the title, and draws 95% intervals", () => {
    const state = [row("CA", 40, 10), row("TX", 20, 4), row("NE", 3, 3), row("RI", 4, 0), row("WI", 2, 1)];
    const fig = edaFigures({ churnBy: { gender: [row("M", 40, 10), row("F", 29, 8)], level: [], device: [], state } }).churnByState!;
    const t = fig.data[0];
    assert.deepEqual(t.x, ["CA", "TX", "other (3 states)"]);
    assert.deepEqual(t.text, ["10/40", "4/20", "4/9"]);
    assert.match((fig.layout.title as { text: string }).text, /3 states with fewer than 10 users merged into "other"/);
    const err = t.error_y as { array: number[]; arrayminus: number[]; symmetric: boolean };
    const ci = wilsonInterval(4, 9);
    assert.equal(err.symmetric, false);
    assert.ok(Math.abs(err.array[2] - (ci.high - 4 / 9)) < 1e-12 && Math.abs(err.arrayminus[2] - (4 / 9 - ci.low)) < 1e-12);
    // A smaller minimum keeps the states apart.
    assert.equal((edaFigures({ churnBy: { gender: [], level: [], device: [], state } }, { minGroupUsers: 2 }).churnByState!.data[0].x as string[]).length, 5);
  });

  it("renormalises the page mix without NextSong: each group's shares sum to 1", () => {
    const pageMix = [
      { page: "NextSong", group: "churners", events: 800, share: 0.8 },
      { page: "Thumbs Down", group: "churners", events: 120, share: 0.12 },
      { page: "Home", group: "churners", events: 80, share: 0.08 },
      { page: "NextSong", group: "others", events: 900, share: 0.9 },
      { page: "Thumbs Down", group: "others", events: 20, share: 0.02 },
      { page: "Home", group: "others", events: 80, share: 0.08 },
    ];
    const fig = edaFigures({ pageMix }).pageMix!;
    for (const t of fig.data) assert.ok(Math.abs((t.x as number[]).reduce((s, v) => s + v, 0) - 1) < 1e-12, `${t.name} sums to 1`);
    assert.deepEqual(fig.data[0].x, [0.4, 0.6]);
    assert.deepEqual(fig.data[1].x, [0.8, 0.2]);
  });
});
