import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { EventStore } from "../../lib/store";
import { goodEvent, rng, tempDir } from "../store/fixtures";

type Kind = "good" | "blank" | "bad";

const WRONG: Array<[string, unknown, RegExp]> = [
  ["ts", "yesterday", /"ts": varchar/],
  ["ts", 1.5, /"ts": double/],
  ["page", 5, /"page": ubigint/],
  ["sessionId", -2.5e40, /"sessionId": double/],
  ["itemInSession", 2 ** 40, /"itemInSession".*32-bit/],
  ["artist", { a: 1 }, /"artist": object/],
  ["userId", true, /"userId": boolean/],
  ["length", "long", /"length": varchar/],
  ["status", [200], /"status": array/],
  ["auth", null, /missing field "auth"/],
];

/** Seeded lines of every kind, with what the store must do with each. */
function fuzzLines(seed: number, n: number): Array<{ text: Buffer; kind: Kind; reason?: RegExp }> {
  const r = rng(seed);
  const out: Array<{ text: Buffer; kind: Kind; reason?: RegExp }> = [];
  for (let i = 0; i < n; i++) {
    const p = r();
    const ev = goodEvent(1 + Math.floor(r() * 20), i);
    if (p < 0.6) out.push({ text: Buffer.from(JSON.stringify(ev)), kind: "good" });
    else if (p < 0.65) out.push({ text: Buffer.from(r() < 0.5 ? "" : " \t "), kind: "blank" });
    else if (p < 0.75) {
      // Random bytes (never a newline) behind a byte no JSON text can start with.
      const bytes = Buffer.alloc(1 + Math.floor(r() * 300));
      for (let k = 0; k < bytes.length; k++) {
        let b = Math.floor(r() * 256);
        if (b === 10) b = 11;
        bytes[k] = b;
      }
      bytes[0] = [0x23, 0xff, 0x00, 0x80][Math.floor(r() * 4)];
      out.push({ text: bytes, kind: "bad", reason: /invalid (JSON|UTF-8)/ });
    } else if (p < 0.85) {
      const s = JSON.stringify(ev);
      out.push({ text: Buffer.from(s.slice(0, 1 + Math.floor(r() * (s.length - 1)))), kind: "bad", reason: /^invalid JSON$/ });
    } else {
      const [field, value, reason] = WRONG[Math.floor(r() * WRONG.length)];
      out.push({ text: Buffer.from(JSON.stringify({ ...ev, [field]: value })), kind: "bad", reason });
    }
  }
  // Huge lines: a valid 17 MB event (past DuckDB's 16 MB object limit) and 17 MB of garbage.
  out.splice(Math.floor(n / 3), 0, { text: Buffer.from(JSON.stringify({ ...goodEvent(3, n + 1), song: "la".repeat(8_500_000) })), kind: "good" });
  out.splice(Math.floor(n / 2), 0, { text: Buffer.alloc(17_000_000, "x"), kind: "bad", reason: /^invalid JSON$/ });
  return out;
}

describe("EventStore: fuzzed lines", function () {
  let dir: string;
  before(() => (dir = tempDir()));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const seed of [1, 2]) {
    it(`never crashes and accounts for every line (seed ${seed}, plain and gzip)`, async () => {
      const lines = fuzzLines(seed, 1500);
      const body = Buffer.concat(lines.flatMap((l) => [l.text, Buffer.from("\n")]));
      const plain = path.join(dir, `fuzz-${seed}.jsonl`);
      fs.writeFileSync(plain, body);
      fs.writeFileSync(`${plain}.gz`, zlib.gzipSync(body));
      const reports = [];
      for (const file of [plain, `${plain}.gz`]) {
        const s = await EventStore.open(file, { quiet: true, maxBadFraction: 1, quarantineDir: path.join(dir, `q-${path.basename(file)}`) });
        try {
          const r = s.report;
          const count = (k: Kind): number => lines.filter((l) => l.kind === k).length;
          assert.equal(r.lines, lines.length);
          assert.equal(r.dropped.blank_line, count("blank"));
          assert.equal(r.quarantined, count("bad"));
          assert.equal(r.kept, count("good"));
          assert.equal(r.lines, r.kept + Object.values(r.dropped).reduce((a, b) => a + b, 0) + r.quarantined);
          const q = fs.readFileSync(r.quarantineFile!, "utf8").trim().split("\n").map((l) => JSON.parse(l));
          const badLines = lines.map((l, i) => [l, i + 1] as const).filter(([l]) => l.kind === "bad");
          assert.deepEqual(q.map((e) => e.line), badLines.map(([, n]) => n));
          q.forEach((e, k) => assert.match(e.reason, badLines[k][0].reason!, `line ${e.line}`));
          assert.ok(q.every((e) => e.text.length <= 2000));
          const [big] = await s.rows(`SELECT length(song) AS n FROM events WHERE "userId" = '3' AND length(song) > 1000`);
          assert.equal(big.n, 17_000_000);
          reports.push({ ...r, quarantineFile: null, sources: [] });
        } finally {
          await s.close();
        }
      }
      assert.deepEqual(reports[0], reports[1]);
    });
  }
});
