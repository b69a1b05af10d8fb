import { strict as assert } from "node:assert";
import { CONFIGURATIONS, effectiveTransitions, TEMPLATE_NEW_SESSION, TEMPLATE_TRANSITIONS } from "../../lib/simulate";
import { AUTH_VALUES, LEVELS, PAGES } from "../../lib/events/schema";
import { EVENTSIM_FACTS, tableDigest } from "./eventsimFacts";

// The project's encoding of eventsim's 26 configurations must say what the original files say, as
// stated in ./eventsimFacts.ts (timing parameters, transition counts and fingerprints). The
// conformance suite checks those statements, and the encoding edge by edge, against the originals.
const transitions = (rows: ReturnType<typeof effectiveTransitions>): Map<string, number> => new Map(rows.map(([a, b, p]) => [`${a}>${b}`, p]));
const CONFORMANCE_HINT = "for the edge-by-edge difference run SPARKIFY_CONFORMANCE_DIR=<folder with data/eventsim> npx mocha test/conformance/eventsim.test.ts";

describe("configurations", () => {
  it("holds the 26 configurations A–Z, named as eventsim names them", () => {
    assert.equal(CONFIGURATIONS.length, 26);
    assert.deepEqual(CONFIGURATIONS.map((c) => c.name[0]).join(""), "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    assert.deepEqual(CONFIGURATIONS.map((c) => c.name), EVENTSIM_FACTS.map((f) => f.name));
  });

  it("the template is Accordion's table: 265 transitions, no overrides", () => {
    assert.equal(TEMPLATE_TRANSITIONS.length, 265);
    assert.equal(CONFIGURATIONS[0].overrides.length, 0);
    assert.equal(tableDigest(transitions([...TEMPLATE_TRANSITIONS])), EVENTSIM_FACTS[0].transitionsDigest);
  });

  const template = transitions(effectiveTransitions(CONFIGURATIONS[0]));
  for (const c of CONFIGURATIONS) {
    it(`encodes ${c.name} as ${c.name}-config.json states it`, () => {
      const f = EVENTSIM_FACTS.find((x) => x.name === c.name)!;
      assert.deepEqual(
        [c.alpha, c.beta, c.damping, c.weekendDamping, c.weekendDampingOffset, c.weekendDampingScale, c.sessionGap],
        [f.alpha, f.beta, f.damping, f.weekendDamping, f.weekendDampingOffset, f.weekendDampingScale, f.sessionGap],
        "alpha, beta, damping, weekend damping (share, offset, scale), session gap",
      );
      const ours = transitions(effectiveTransitions(c));
      const changed = [...ours].filter(([k, p]) => template.has(k) && template.get(k) !== p).length;
      const added = [...ours.keys()].filter((k) => !template.has(k)).length;
      const removed = [...template.keys()].filter((k) => !ours.has(k)).length;
      assert.deepEqual({ transitions: ours.size, changed, added, removed }, { transitions: f.transitions, changed: f.changed, added: f.added, removed: f.removed }, "transitions with p > 0, and how they differ from the template");
      assert.equal(tableDigest(ours), f.transitionsDigest, `${c.name}: the transition probabilities differ from the original's; ${CONFORMANCE_HINT}`);
      // Every configuration starts sessions with the template's entry weights.
      assert.equal(tableDigest(TEMPLATE_NEW_SESSION.map(([k, w]) => [k, w] as const)), f.newSessionDigest, `${c.name}: new-session weights; ${CONFORMANCE_HINT}`);
    });
  }

  it("every state's outgoing probabilities sum to at most 1 (the rest ends the session), between known states", () => {
    const known = new Set(PAGES.flatMap((p) => AUTH_VALUES.flatMap((a) => LEVELS.map((l) => `${p}|${a}|${l}`))));
    for (const c of CONFIGURATIONS) {
      const out = new Map<string, number>();
      for (const [a, b, p] of effectiveTransitions(c)) {
        assert.ok(known.has(a) && known.has(b), `${c.name}: ${a} > ${b}`);
        assert.ok(p > 0 && p <= 1, `${c.name}: ${a} > ${b} p=${p}`);
        out.set(a, (out.get(a) ?? 0) + p);
      }
      for (const [s, sum] of out) assert.ok(sum <= 1 + 1e-9, `${c.name}: ${s} sums to ${sum}`);
    }
  });
});
