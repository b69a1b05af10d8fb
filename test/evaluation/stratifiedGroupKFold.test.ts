import * as assert from "node:assert/strict";
import { SparkifyError } from "../../lib/errors";
import { createRng } from "../../lib/random";
import { stratifiedGroupKFold } from "../../lib/evaluation/stratifiedGroupKFold";

/** 200 users with 1–4 rows each; a user's later rows may be positive (like rolling cutoffs). */
function groupedData(seed: number): { y: number[]; g: string[] } {
  const rng = createRng(seed);
  const y: number[] = [];
  const g: string[] = [];
  for (let u = 0; u < 200; u++) {
    const rows = 1 + Math.floor(rng.next() * 4);
    const churner = rng.next() < 0.22;
    for (let r = 0; r < rows; r++) {
      y.push(churner && r === rows - 1 ? 1 : 0);
      g.push(`u${u}`);
    }
  }
  return { y, g };
}

describe("evaluation/stratifiedGroupKFold", () => {
  it("never puts a user in both train and test, and covers every row exactly once", () => {
    const { y, g } = groupedData(1);
    const plan = stratifiedGroupKFold(y, g, 5, 42);
    assert.equal(plan.k, 5);
    const seen = new Int32Array(y.length);
    for (const f of plan.folds) {
      const testUsers = new Set(Array.from(f.test, (i) => g[i]));
      for (const i of f.train) assert.ok(!testUsers.has(g[i]), `user ${g[i]} is in train and test`);
      for (const i of f.test) seen[i]++;
      assert.equal(f.train.length + f.test.length, y.length);
    }
    assert.ok(seen.every((c) => c === 1));
  });

  it("spreads churners evenly: each fold's churner share is near the overall share", () => {
    const { y, g } = groupedData(2);
    const plan = stratifiedGroupKFold(y, g, 5, 7);
    const churnUsers = new Set(g.filter((_, i) => y[i] === 1));
    const counts = plan.folds.map((f) => new Set(Array.from(f.test, (i) => g[i]).filter((u) => churnUsers.has(u))).size);
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `churners per fold ${counts}`);
  });

  it("is reproducible with a seed and changes with another seed", () => {
    const { y, g } = groupedData(3);
    const a = stratifiedGroupKFold(y, g, 5, 42);
    const b = stratifiedGroupKFold(y, g, 5, 42);
    const c = stratifiedGroupKFold(y, g, 5, 43);
    assert.deepEqual(a.folds.map((f) => Array.from(f.test)), b.folds.map((f) => Array.from(f.test)));
    assert.notDeepEqual(a.folds.map((f) => Array.from(f.test)), c.folds.map((f) => Array.from(f.test)));
  });

  it("shrinks k to the minority count on tiny data (30 users, 3 churners) and says why", () => {
    const y = Array.from({ length: 30 }, (_, i) => (i < 3 ? 1 : 0));
    const plan = stratifiedGroupKFold(y, y.map((_, i) => `u${i}`), 5, 1);
    assert.equal(plan.k, 3);
    assert.match(plan.note ?? "", /made 3/);
    for (const f of plan.folds) assert.equal(Array.from(f.test).filter((i) => y[i] === 1).length, 1);
  });

  it("refuses fewer than 2 users of a class, and k < 2", () => {
    const y = Array.from({ length: 30 }, (_, i) => (i < 1 ? 1 : 0));
    assert.throws(() => stratifiedGroupKFold(y, undefined, 5, 1), (e: unknown) => e instanceof SparkifyError && /at least 2/.test(e.message));
    assert.throws(() => stratifiedGroupKFold([0, 1, 0, 1], undefined, 1, 1), SparkifyError);
  });
});
