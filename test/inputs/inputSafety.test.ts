import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { EventStore } from "../../lib/store";
import { writeSimulation } from "../../lib/simulate";
import { goodEvent, rejects, tempDir } from "../store/fixtures";

function lines(n: number, user = 1, from = 0): string {
  return Array.from({ length: n }, (_, i) => JSON.stringify(goodEvent(user + (i % 5), from + i))).join("\n") + "\n";
}

describe("store: inputs pinned while read", function () {
  this.timeout(60_000);

  it("files storage: lines appended after the load stop the next read with 'input changed while being read'", async () => {
    const dir = tempDir();
    const file = path.join(dir, "events.jsonl");
    fs.writeFileSync(file, lines(300));
    const store = await EventStore.open(file, { quiet: true, storage: "files" });
    try {
      assert.equal(store.report.kept, 300);
      assert.equal(store.inputs[0].bytes, fs.statSync(file).size);
      const [{ n }] = await store.rows("SELECT count(*) AS n FROM events");
      assert.equal(Number(n), 300);
      // A line the normal load would quarantine ("ts" as a string), appended behind the store's back.
      fs.appendFileSync(file, JSON.stringify({ ...goodEvent(99, 1), ts: "soon" }) + "\n");
      await rejects(store.rows("SELECT count(*) AS n FROM events"), "E_INPUT_CHANGED", /^input changed while being read: .*events\.jsonl: \d+ bytes at the start, \d+ now/);
      await rejects(store.withEventsCopy(async () => 1), "E_INPUT_CHANGED", /input changed while being read/);
      assert.throws(() => store.checkInputs(), /input changed while being read/);
    } finally {
      await store.close();
    }
  });

  it("a file replaced by another of the same size, or touched, is caught too; memory storage checks at the end of its load", async () => {
    const dir = tempDir();
    const file = path.join(dir, "events.jsonl");
    fs.writeFileSync(file, lines(100));
    const store = await EventStore.open(file, { quiet: true, storage: "files" });
    try {
      const other = path.join(dir, "other.jsonl");
      fs.writeFileSync(other, fs.readFileSync(file));
      fs.renameSync(other, file);
      await rejects(store.rows("SELECT 1"), "E_INPUT_CHANGED", /replaced by another file/);
    } finally {
      await store.close();
    }
    const mem = await EventStore.open(file, { quiet: true, storage: "memory" });
    try {
      const later = new Date(Date.now() + 5000);
      fs.utimesSync(file, later, later);
      // The events are in memory: later queries do not read the file, but the caller can still ask.
      assert.equal((await mem.rows("SELECT count(*) AS n FROM events"))[0].n, 100);
      assert.throws(() => mem.checkInputs(), /input changed while being read: .*modified at/);
    } finally {
      await mem.close();
    }
  });
});

describe("store: paths as users write them", function () {
  this.timeout(60_000);

  it("a file whose name holds [ ] * ? is that file; a pattern that names no file is still a glob", async () => {
    const dir = tempDir();
    const odd = path.join(dir, "events [1] *?.jsonl");
    fs.writeFileSync(odd, lines(40));
    fs.writeFileSync(path.join(dir, "events-2.jsonl"), lines(10, 20, 1000));
    for (const storage of ["memory", "files"] as const) {
      const s = await EventStore.open(odd, { quiet: true, storage });
      try {
        assert.equal(s.report.kept, 40);
        assert.equal(s.report.sources[0].source, odd);
        assert.equal(Number((await s.rows("SELECT count(*) AS n FROM events"))[0].n), 40, `${storage}: DuckDB reads the file itself`);
      } finally {
        await s.close();
      }
    }
    const g = await EventStore.open(path.join(dir, "events-[0-9].jsonl"), { quiet: true });
    try {
      assert.equal(g.report.kept, 10, "the glob class [0-9] matches events-2.jsonl only");
    } finally {
      await g.close();
    }
    for (const storage of ["memory", "files"] as const) {
      const b = await EventStore.open(path.join(dir, "ev[e]nts [1] *?.jsonl"), { quiet: true, storage }).catch((e) => e);
      assert.match(String(b.message ?? b), /no files match/, "the literal name is not a glob of itself");
    }
  });
});

describe("store: part folders need their _SUCCESS marker", function () {
  this.timeout(120_000);

  it("refuses a folder of part files without _SUCCESS (also through a glob) unless allowIncomplete", async () => {
    const dir = tempDir();
    const folder = path.join(dir, "parts");
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, "part-00000.json"), lines(50));
    fs.writeFileSync(path.join(folder, "part-00001.json"), lines(50, 10, 500));
    await rejects(EventStore.open(folder, { quiet: true }), "E_INPUT_INCOMPLETE", /parts holds part files but no _SUCCESS marker.*--allow-incomplete/);
    await rejects(EventStore.open(path.join(folder, "part-*.json"), { quiet: true }), "E_INPUT_INCOMPLETE", /no _SUCCESS/);
    const s = await EventStore.open(folder, { quiet: true, allowIncomplete: true });
    assert.equal(s.report.kept, 100);
    await s.close();
    fs.writeFileSync(path.join(folder, "_SUCCESS"), "");
    const t = await EventStore.open(folder, { quiet: true });
    assert.equal(t.report.kept, 100);
    await t.close();
    // A folder of files that are not Spark parts needs no marker.
    const plain = path.join(dir, "plain");
    fs.mkdirSync(plain);
    fs.writeFileSync(path.join(plain, "a.jsonl"), lines(5));
    const p = await EventStore.open(plain, { quiet: true });
    assert.equal(p.report.kept, 5);
    await p.close();
  });

  it("the simulator writes parts under hidden temporary names and _SUCCESS last; a rewrite removes _SUCCESS first", async () => {
    const dir = tempDir();
    const out = path.join(dir, "sim");
    const seen: string[][] = [];
    const watch = setInterval(() => {
      if (fs.existsSync(out)) seen.push(fs.readdirSync(out));
    }, 5);
    try {
      await writeSimulation({ preset: "mini", users: 12, seed: 4, out, quiet: true, partBytes: 256 * 1024 });
    } finally {
      clearInterval(watch);
    }
    const names = fs.readdirSync(out).sort();
    assert.ok(names.length >= 3 && names[0] === "_SUCCESS", names.join(","));
    for (const listing of seen) {
      // While writing: only whole parts under their names, the part being written hidden, no _SUCCESS.
      if (listing.includes("_SUCCESS")) assert.deepEqual([...listing].sort(), names);
      for (const f of listing) assert.ok(f === "_SUCCESS" || /^part-\d{5}\.json$/.test(f) || f.startsWith("."), f);
    }
    const store = await EventStore.open(out, { quiet: true });
    assert.ok(store.report.kept > 0);
    await store.close();
  });
});
