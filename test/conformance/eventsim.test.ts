// Conformance (SPARKIFY_CONFORMANCE_DIR): the project's encoding of eventsim's 26 configurations,
// and the facts test/simulate/eventsimFacts.ts states about them, against the original JSON files.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { PAGE_METHOD_STATUS, type Page } from "../../lib/events/schema";
import { CONFIGURATIONS, effectiveTransitions, TEMPLATE_NEW_SESSION } from "../../lib/simulate";
import { CONFORMANCE_PARTS, describeConformance } from "../helpers/conformance";
import { EVENTSIM_FACTS, tableDigest } from "../simulate/eventsimFacts";

interface OriginalState { page: string; auth: string; level: string; method: string; status: number }
interface OriginalConfig {
  alpha: number; beta: number; damping: number; "weekend-damping": number; "weekend-damping-offset": number;
  "weekend-damping-scale": number; "session-gap": number;
  transitions: Array<{ source: OriginalState; dest: OriginalState; p: number }>;
  "new-session": Array<OriginalState & { weight: number }>;
}
const key = (s: { page: string; auth: string; level: string }): string => `${s.page}|${s.auth}|${s.level}`;

describeConformance("eventsim's original configurations", (root) => {
  const dir = path.join(root, CONFORMANCE_PARTS.eventsim);
  const original = (name: string): OriginalConfig => JSON.parse(fs.readFileSync(path.join(dir, `${name}-config.json`), "utf8")) as OriginalConfig;

  it("has the 26 configuration files the project encodes", () => {
    const names = fs.readdirSync(dir).filter((f) => f.endsWith("-config.json")).map((f) => f.replace(/-config\.json$/, "")).sort();
    assert.deepEqual(names, CONFIGURATIONS.map((c) => c.name));
  });

  for (const c of CONFIGURATIONS) {
    it(`${c.name}: the encoding is exactly ${c.name}-config.json, and so are the stated facts`, () => {
      const json = original(c.name);
      assert.equal(c.alpha, json.alpha);
      assert.equal(c.beta, json.beta);
      assert.equal(c.damping, json.damping);
      assert.equal(c.weekendDamping, json["weekend-damping"]);
      assert.equal(c.weekendDampingOffset, json["weekend-damping-offset"]);
      assert.equal(c.weekendDampingScale, json["weekend-damping-scale"]);
      assert.equal(c.sessionGap, json["session-gap"]);
      const ours = new Map(effectiveTransitions(c).map(([a, b, p]) => [`${a}>${b}`, p]));
      const theirs = new Map<string, number>(json.transitions.filter((t) => t.p > 0).map((t) => [`${key(t.source)}>${key(t.dest)}`, t.p]));
      assert.deepEqual([...ours.entries()].sort(), [...theirs.entries()].sort());
      const entries = new Map<string, number>(json["new-session"].map((n) => [key(n), n.weight]));
      assert.deepEqual(new Map(TEMPLATE_NEW_SESSION.map(([k, w]) => [k, w])), entries);
      // Method and status of every page agree with the schema the simulator writes.
      for (const t of json.transitions) {
        for (const s of [t.source, t.dest]) assert.deepEqual({ method: s.method, status: s.status }, PAGE_METHOD_STATUS[s.page as Page], s.page);
      }
      // The facts the self-contained test compares with are the originals' own.
      const f = EVENTSIM_FACTS.find((x) => x.name === c.name)!;
      assert.deepEqual(
        [f.alpha, f.beta, f.damping, f.weekendDamping, f.weekendDampingOffset, f.weekendDampingScale, f.sessionGap, f.transitions],
        [json.alpha, json.beta, json.damping, json["weekend-damping"], json["weekend-damping-offset"], json["weekend-damping-scale"], json["session-gap"], theirs.size],
      );
      assert.equal(f.transitionsDigest, tableDigest(theirs));
      assert.equal(f.newSessionDigest, tableDigest(entries));
    });
  }
});
