import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SparkifyError } from "../../lib/errors";
import { AtomicFile, TEMP_FILE, removeDeadTemps, writeFileAtomic, writeJsonAtomic } from "../../lib/io";
import { mountSmallDisk, runWithFileSizeLimit } from "./tmpfs";

/** Runs a .ts file in one node process (the tsx CLI would add a parent that relays signals). */
const TSX_CJS = require.resolve("tsx/cjs");
const ROOT = path.resolve(__dirname, "../..");

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-io-"));
}

function rejectsWith(fn: () => unknown, code: string, message: RegExp): void {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof SparkifyError, `a SparkifyError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.match(err.message, message);
    return;
  }
  assert.fail("no error");
}

describe("io: atomic writes", function () {
  this.timeout(60_000);

  it("writes the whole file under its name, replaces an old one, and leaves no temporary file", () => {
    const dir = tempDir();
    const file = path.join(dir, "sub", "features.csv");
    writeFileAtomic(file, "a,b\n1,2\n");
    assert.equal(fs.readFileSync(file, "utf8"), "a,b\n1,2\n");
    writeJsonAtomic(file, { x: 1 });
    assert.deepEqual(JSON.parse(fs.readFileSync(file, "utf8")), { x: 1 });
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ["features.csv"]);
  });

  it("on a full disk: no partial file, the old file intact, and a message saying what failed", function () {
    const disk = mountSmallDisk("64k");
    if (!disk) {
      // Not root: the same ENOSPC-class failure from a file-size limit (RLIMIT_FSIZE) in a child.
      const dir = tempDir();
      const script = path.join(dir, "write.ts");
      fs.writeFileSync(script, `import { writeFileAtomic } from ${JSON.stringify(path.join(ROOT, "lib/io"))};\ntry { writeFileAtomic(${JSON.stringify(path.join(dir, "big.csv"))}, "x".repeat(400_000)); } catch (e) { console.log((e as Error).message); }\n`);
      assert.match(runWithFileSizeLimit(script, 100), /file too large for the file system while writing big\.csv/);
      assert.deepEqual(fs.readdirSync(dir).sort(), ["write.ts"]);
      return;
    }
    try {
      const file = path.join(disk.dir, "features.csv");
      writeFileAtomic(file, "old contents\n");
      rejectsWith(() => writeFileAtomic(file, "x".repeat(200_000)), "E_WRITE_FAILED", /^disk full while writing features\.csv \(/);
      assert.equal(fs.readFileSync(file, "utf8"), "old contents\n", "the earlier file is untouched");
      assert.deepEqual(fs.readdirSync(disk.dir), ["features.csv"], "no temporary file is left");
      rejectsWith(() => writeJsonAtomic(path.join(disk.dir, "data-report.json"), { lines: "y".repeat(200_000) }), "E_WRITE_FAILED", /disk full while writing data-report\.json/);
      assert.deepEqual(fs.readdirSync(disk.dir), ["features.csv"]);
    } finally {
      disk.unmount();
    }
  });

  it("AtomicFile: a streamed file on a full disk is removed, a committed one appears whole", async function () {
    const disk = mountSmallDisk("64k");
    if (!disk) {
      const dir = tempDir();
      const script = path.join(dir, "stream.ts");
      fs.writeFileSync(script, `import { AtomicFile } from ${JSON.stringify(path.join(ROOT, "lib/io"))};
(async () => {
  const ok = await AtomicFile.open(${JSON.stringify(path.join(dir, "part-00000.json"))});
  await ok.write("{}\\n");
  await ok.commit();
  const big = await AtomicFile.open(${JSON.stringify(path.join(dir, "part-00001.json"))});
  try { for (let i = 0; i < 100; i++) await big.write(Buffer.alloc(4096, 65)); await big.commit(); } catch (e) { console.log((e as Error).message); }
})();
`);
      assert.match(runWithFileSizeLimit(script, 64), /file too large for the file system while writing part-00001\.json/);
      assert.deepEqual(fs.readdirSync(dir).sort(), ["part-00000.json", "stream.ts"]);
      return;
    }
    try {
      const ok = await AtomicFile.open(path.join(disk.dir, "part-00000.json"));
      await ok.write("{}\n");
      assert.equal(fs.existsSync(ok.path), false, "not visible before commit");
      await ok.commit();
      assert.equal(fs.readFileSync(ok.path, "utf8"), "{}\n");
      const big = await AtomicFile.open(path.join(disk.dir, "part-00001.json"));
      let failed: unknown = null;
      try {
        for (let i = 0; i < 100; i++) await big.write(Buffer.alloc(4096, 65));
        await big.commit();
      } catch (err) {
        failed = err;
      }
      assert.ok(failed instanceof SparkifyError && /disk full while writing part-00001\.json/.test(failed.message), String(failed));
      assert.deepEqual(fs.readdirSync(disk.dir), ["part-00000.json"]);
    } finally {
      disk.unmount();
    }
  });

  it("an interrupt (SIGINT) removes the temporary file of a write in progress; a dead writer's leftovers are cleared later", async () => {
    const dir = tempDir();
    const script = path.join(dir, "slow.ts");
    fs.writeFileSync(script, `import { AtomicFile } from ${JSON.stringify(path.join(ROOT, "lib/io"))};
(async () => {
  const f = await AtomicFile.open(${JSON.stringify(path.join(dir, "out.csv"))});
  await f.write("partial\\n");
  console.log("writing");
  setInterval(() => undefined, 1000);
})();
`);
    for (const signal of ["SIGINT", "SIGKILL"] as const) {
      const child = spawn(process.execPath, ["-r", TSX_CJS, script], { stdio: ["ignore", "pipe", "inherit"] });
      await new Promise<void>((resolve) => child.stdout!.on("data", (d) => String(d).includes("writing") && resolve()));
      assert.equal(fs.readdirSync(dir).filter((f) => TEMP_FILE.test(f)).length, 1, "a hidden temporary file while writing");
      child.kill(signal);
      const [code, sig] = (await new Promise((resolve) => child.on("exit", (c, s) => resolve([c, s])))) as [number | null, string | null];
      assert.equal(sig, signal, `died of ${signal} (code ${code})`);
      const temps = fs.readdirSync(dir).filter((f) => TEMP_FILE.test(f));
      if (signal === "SIGINT") assert.deepEqual(temps, [], "SIGINT: removed on the way out");
      else {
        assert.equal(temps.length, 1, "SIGKILL cannot clean up");
        assert.deepEqual(removeDeadTemps(dir), temps, "the next writer clears a dead writer's temporary file");
      }
      assert.equal(fs.existsSync(path.join(dir, "out.csv")), false, "never a partial out.csv");
    }
  });
});
