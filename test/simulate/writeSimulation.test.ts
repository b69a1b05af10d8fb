import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { simulate, writeSimulation, outputKind, type SimulateOptions } from "../../lib/simulate";

// Determinism and output forms on a small population and a short window (a second or two each).
const SMALL: SimulateOptions = { preset: "mini", users: 24, seed: 3, end: "2018-10-20T00:00:00Z" };

describe("writeSimulation", function () {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-sim-")); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("chooses the output form from the path", () => {
    assert.equal(outputKind("a/b.jsonl"), "jsonl");
    assert.equal(outputKind("a/b.JSON"), "jsonl");
    assert.equal(outputKind("a/b.jsonl.gz"), "gzip");
    assert.equal(outputKind("a/parts"), "folder");
  });

  it("gives the same bytes for the same seed, and different bytes for another seed", async () => {
    const a = path.join(dir, "a.jsonl");
    const b = path.join(dir, "b.jsonl");
    const c = path.join(dir, "c.jsonl");
    const sa = await writeSimulation({ ...SMALL, out: a, quiet: true });
    await writeSimulation({ ...SMALL, out: b, quiet: true });
    await writeSimulation({ ...SMALL, seed: 4, out: c, quiet: true });
    assert.ok(sa.events > 1000, `${sa.events} events`);
    assert.equal(sa.bytes, fs.statSync(a).size);
    assert.ok(fs.readFileSync(a).equals(fs.readFileSync(b)), "same seed, different bytes");
    assert.ok(!fs.readFileSync(a).equals(fs.readFileSync(c)), "another seed, same bytes");
  });

  it("gives the same bytes with 1, 2 and 3 worker threads", async () => {
    const one = path.join(dir, "w1.jsonl");
    const two = path.join(dir, "w2.jsonl");
    const three = path.join(dir, "w3.jsonl");
    const s1 = await writeSimulation({ ...SMALL, out: one, workers: 1, quiet: true });
    const s2 = await writeSimulation({ ...SMALL, out: two, workers: 2, quiet: true });
    await writeSimulation({ ...SMALL, out: three, workers: 3, quiet: true });
    assert.ok(fs.readFileSync(one).equals(fs.readFileSync(two)), "1 vs 2 workers differ");
    assert.ok(fs.readFileSync(one).equals(fs.readFileSync(three)), "1 vs 3 workers differ");
    assert.deepEqual({ ...s2, seconds: 0 }, { ...s1, seconds: 0 });
  });

  it("writes a folder of part files holding exactly the single file's events, and a reproducible gzip", async () => {
    const file = path.join(dir, "one.jsonl");
    const folder = path.join(dir, "parts");
    const gz = path.join(dir, "one.jsonl.gz");
    const gz2 = path.join(dir, "two.jsonl.gz");
    await writeSimulation({ ...SMALL, out: file, quiet: true });
    await writeSimulation({ ...SMALL, out: folder, workers: 2, quiet: true, partBytes: 1 });
    await writeSimulation({ ...SMALL, out: gz, quiet: true });
    await writeSimulation({ ...SMALL, out: gz2, workers: 2, quiet: true });
    const parts = fs.readdirSync(folder).filter((f) => f.startsWith("part-")).sort();
    assert.ok(parts.length >= 2, `only ${parts.length} part files`);
    assert.equal(parts[0], "part-00000.json");
    assert.ok(fs.existsSync(path.join(folder, "_SUCCESS")));
    const joined = Buffer.concat(parts.map((p) => fs.readFileSync(path.join(folder, p))));
    assert.ok(joined.equals(fs.readFileSync(file)), "parts differ from the single file");
    for (const p of parts) assert.ok(fs.readFileSync(path.join(folder, p)).toString("utf8").endsWith("}\n"), `${p} cuts a line`);
    assert.ok(zlib.gunzipSync(fs.readFileSync(gz)).equals(fs.readFileSync(file)), "gzip content differs");
    assert.ok(fs.readFileSync(gz).equals(fs.readFileSync(gz2)), "gzip bytes differ between runs");
    // Writing again into the same folder replaces the old parts.
    await writeSimulation({ ...SMALL, out: folder, quiet: true });
    assert.deepEqual(fs.readdirSync(folder).sort(), ["_SUCCESS", "part-00000.json"]);
  });

  it("yields through simulate() the same lines it writes", async () => {
    const file = path.join(dir, "lines.jsonl");
    await writeSimulation({ ...SMALL, out: file, quiet: true });
    const lines: string[] = [];
    for await (const l of simulate(SMALL)) lines.push(l);
    assert.equal(lines.join("\n") + "\n", fs.readFileSync(file, "utf8"));
  });

  it("refuses a folder that holds other files, and bad options, with clear errors", async () => {
    const foreign = path.join(dir, "foreign");
    fs.mkdirSync(foreign);
    fs.writeFileSync(path.join(foreign, "notes.txt"), "keep me");
    await assert.rejects(writeSimulation({ ...SMALL, out: foreign, quiet: true }), /holds other files \(notes\.txt\)/);
    assert.ok(fs.existsSync(path.join(foreign, "notes.txt")));
    await assert.rejects(writeSimulation({ ...SMALL, out: "", quiet: true }), /--out/);
    await assert.rejects(writeSimulation({ ...SMALL, preset: "huge" as never, out: path.join(dir, "x.jsonl") }), /unknown preset "huge"; choose one of mini, medium, full/);
    await assert.rejects(writeSimulation({ ...SMALL, start: "2018-11-01", end: "2018-10-01", out: path.join(dir, "x.jsonl") }), /end .* must be after start/);
    await assert.rejects(writeSimulation({ ...SMALL, start: "not a date", out: path.join(dir, "x.jsonl") }), /start must be an ISO date/);
    await assert.rejects(writeSimulation({ ...SMALL, users: 0, out: path.join(dir, "x.jsonl") }), /users must be a whole number/);
    assert.ok(!fs.existsSync(path.join(dir, "x.jsonl")));
  });
});
