import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { matchSnapshot, snapshotForm } from "./snapshot";

describe("plots/snapshot: figures compared with committed snapshots", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-snapshot-test-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const quiet = <T>(fn: () => T): T => {
    const write = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      return fn();
    } finally {
      process.stderr.write = write;
    }
  };
  const fig = { data: [{ type: "bar", x: ["a", "b"], y: [1, 2.00041], marker: { color: "#123" } }], layout: { title: { text: "t" } } };
  const local = { update: false, strict: false };

  it("holds JSON with floats to 3 decimals, typed arrays as arrays", () => {
    assert.deepEqual(snapshotForm({ y: new Float64Array([0.12345, 2]), n: NaN, u: undefined }), { y: [0.123, 2], n: null });
  });

  it("writes a missing snapshot on first run, then passes on the same figure and on float noise below the rounding", () => {
    const file = path.join(dir, "f.json");
    quiet(() => matchSnapshot(file, fig, local));
    assert.deepEqual(JSON.parse(fs.readFileSync(file, "utf8")), snapshotForm(fig));
    matchSnapshot(file, fig, local);
    matchSnapshot(file, { ...fig, data: [{ ...fig.data[0], y: [1, 2.0005] }] }, local);
  });

  it("fails on a changed figure, naming each path that differs", () => {
    const file = path.join(dir, "f.json");
    quiet(() => matchSnapshot(file, fig, local));
    const changed = { data: [{ type: "bar", x: ["a", "b", "c"], y: [1, 3, 4], marker: {} }], layout: { title: { text: "t" }, barmode: "group" } };
    assert.throws(() => matchSnapshot(file, changed, local), (e: Error) => {
      assert.match(e.message, /snapshot f differs from .*f\.json \(7 difference\(s\); - snapshot, \+ now\)/);
      assert.match(e.message, /data\[0\]\.x: length - 2 {2}\+ 3/);
      assert.match(e.message, /data\[0\]\.x\[2\]: \+ "c"/);
      assert.match(e.message, /data\[0\]\.y\[1\]: - 2 {2}\+ 3/);
      assert.match(e.message, /data\[0\]\.marker\.color: - "#123" {2}\(missing now\)/);
      assert.match(e.message, /layout\.barmode: \+ "group" {2}\(new\)/);
      assert.match(e.message, /npm run test:update-snapshots/);
      return true;
    });
    // A change of one rounding step is still a change once it passes the tolerance.
    assert.throws(() => matchSnapshot(file, { ...fig, data: [{ ...fig.data[0], y: [1, 2.003] }] }, local), /data\[0\]\.y\[1\]: - 2 {2}\+ 2\.003/);
  });

  it("rewrites on update; in strict mode a missing snapshot fails instead of being written", () => {
    const file = path.join(dir, "f.json");
    quiet(() => matchSnapshot(file, fig, local));
    const changed = { ...fig, layout: { title: { text: "new" } } };
    quiet(() => matchSnapshot(file, changed, { update: true, strict: true }));
    matchSnapshot(file, changed, { update: false, strict: true });
    const missing = path.join(dir, "missing.json");
    assert.throws(() => matchSnapshot(missing, fig, { update: false, strict: true }), /missing\.json does not exist; run `npm run test:update-snapshots` and commit it/);
    assert.equal(fs.existsSync(missing), false);
  });
});
