import { strict as assert } from "node:assert";
import { describeReason } from "../../lib/features/dictionary";

describe("features/dictionary describeReason", () => {
  it("numeric reasons give the value and the typical (median) one in the feature's unit", () => {
    assert.equal(describeReason("thumbs_down_per_song", 0.031, 0.012), "3.1 thumbs down per 100 songs (typical 1.2)");
    assert.equal(describeReason("paid_share", 0.25, 0.5), "25% of events on the paid level (typical 50%)");
    assert.equal(describeReason("songs_per_session", null, 12.34), "songs per session: none (typical 12.3)");
  });

  it("a categorical value that differs from the most common one names it, without 'typical'", () => {
    assert.equal(describeReason("level", "paid", "free"), "level: paid (most common: free)");
    assert.equal(describeReason("device", "tablet", "desktop", "categorical"), "device: tablet (most common: desktop)");
    assert.equal(describeReason("level", null, "free"), "level: none (most common: free)");
  });

  it("a categorical value equal to the most common one stands alone (no '(typical paid)' beside 'paid')", () => {
    assert.equal(describeReason("level", "paid", "paid"), "level: paid");
    assert.equal(describeReason("os", "Windows", null), "operating system: Windows");
    // a feature outside the dictionary, typed by the caller (a bundle's encoder)
    assert.equal(describeReason("plan_tier", "gold", "gold", "categorical"), "plan tier: gold");
  });

  it("binary features read yes/no, with the most common value only when the user's differs", () => {
    assert.equal(describeReason("paid", 1, 0, "binary"), "paid: yes (most common: no)");
    assert.equal(describeReason("paid", 0, 0, "binary"), "paid: no");
    assert.equal(describeReason("paid", 1, 1, "binary"), "paid: yes");
    assert.equal(describeReason("paid", 1, 0.5, "binary"), "paid: yes", "a median of 0.5 means no majority");
  });

  it("every reason's text holds the user's own value", () => {
    for (const [f, v, t, type] of [["level", "free", "paid", undefined], ["level", "paid", "paid", undefined], ["female", 1, 0, "binary"], ["n_songs", 12, 300, undefined]] as const) {
      const text = describeReason(f, v, t, type);
      const shown = type === "binary" ? (v ? "yes" : "no") : String(v);
      assert.ok(text.includes(shown), `${text} shows ${shown}`);
      assert.ok(!/typical/.test(text) || type === undefined && typeof v === "number", text);
    }
  });
});
