import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { CONFIGURATIONS, effectiveTransitions, TEMPLATE_NEW_SESSION } from "../../lib/simulate";

// The project's encoding of eventsim's 26 configurations must say exactly what the original JSON
// files say (tests may read ../shared; the product never does).
const SHARED = path.resolve(__dirname, "../../../shared/data/eventsim");
const key = (s: { page: string; auth: string; level: string }) => `${s.page}|${s.auth}|${s.level}`;

describe("configurations", () => {
  it("holds the 26 configurations A–Z", () => {
    assert.equal(CONFIGURATIONS.length, 26);
    assert.deepEqual(CONFIGURATIONS.map((c) => c.name[0]).join(""), "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
  });

  for (const c of CONFIGURATIONS) {
    it(`encodes ${c.name} exactly as ${c.name}-config.json`, function () {
      const file = path.join(SHARED, `${c.name}-config.json`);
      if (!fs.existsSync(file)) this.skip();
      const json = JSON.parse(fs.readFileSync(file, "utf8"));
      assert.equal(c.alpha, json.alpha);
      assert.equal(c.beta, json.beta);
      assert.equal(c.damping, json.damping);
      assert.equal(c.weekendDamping, json["weekend-damping"]);
      assert.equal(c.weekendDampingOffset, json["weekend-damping-offset"]);
      assert.equal(c.weekendDampingScale, json["weekend-damping-scale"]);
      assert.equal(c.sessionGap, json["session-gap"]);
      const ours = new Map(effectiveTransitions(c).map(([a, b, p]) => [`${a}>${b}`, p]));
      const theirs = new Map<string, number>(json.transitions.filter((t: any) => t.p > 0).map((t: any) => [`${key(t.source)}>${key(t.dest)}`, t.p]));
      assert.deepEqual([...ours.entries()].sort(), [...theirs.entries()].sort());
      const entries = new Map<string, number>(json["new-session"].map((n: any) => [key(n), n.weight]));
      assert.deepEqual(new Map(TEMPLATE_NEW_SESSION.map(([k, w]) => [k, w])), entries);
      // Method and status of every page agree with the schema the simulator writes.
      for (const t of json.transitions) for (const s of [t.source, t.dest]) assert.ok(s.method && s.status);
    });
  }
});
