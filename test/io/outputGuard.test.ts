import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SparkifyError } from "../../lib/errors";
import { guardOutputs } from "../../lib/io";
import { unwritableFolder } from "./tmpfs";

function refused(fn: () => void, message: RegExp, code = "E_OUTPUT_REFUSED"): void {
  assert.throws(fn, (err: unknown) => err instanceof SparkifyError && err.code === code && message.test(err.message));
}

describe("io: output guard", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-guard-"));
  const input = path.join(dir, "v.jsonl");
  const parts = path.join(dir, "parts");
  fs.writeFileSync(input, "{}\n");
  fs.mkdirSync(parts);
  fs.writeFileSync(path.join(parts, "part-00000.json"), "{}\n");
  const inputs = { files: [input, path.join(parts, "part-00000.json")], folders: [parts] };

  it("refuses an output that is an input file, also through a relative path, a symlink or a hard link, naming both", () => {
    refused(() => guardOutputs(inputs, [{ path: input, what: "features table" }]), /refusing to write the features table .*v\.jsonl: it is the input file .*v\.jsonl/);
    refused(() => guardOutputs(inputs, [{ path: path.relative(process.cwd(), input), what: "scores file" }]), /it is the input file/);
    const link = path.join(dir, "link.csv");
    fs.symlinkSync(input, link);
    refused(() => guardOutputs(inputs, [{ path: link, what: "features table" }]), /features table .*link\.csv: it is the input file .*v\.jsonl/);
    const hard = path.join(dir, "hard.csv");
    fs.linkSync(input, hard);
    refused(() => guardOutputs(inputs, [{ path: hard, what: "features table" }]), /it is the input file/);
    assert.equal(fs.readFileSync(input, "utf8"), "{}\n");
  });

  it("refuses an output inside an input folder, and two outputs on one path", () => {
    refused(() => guardOutputs(inputs, [{ path: path.join(parts, "features.csv"), what: "features table" }]), /inside the input folder .*parts/);
    refused(() => guardOutputs(inputs, [{ path: parts, what: "run folder", kind: "folder" }]), /inside the input folder/);
    refused(
      () => guardOutputs(inputs, [{ path: path.join(dir, "f.csv"), what: "features table" }, { path: path.join(dir, ".", "f.csv"), what: "data report" }]),
      /the data report and the features table would both be written to/,
    );
  });

  it("refuses a folder where a file goes, a file where a folder goes, and a path under a file", () => {
    const folder = path.join(dir, "a-folder");
    fs.mkdirSync(folder);
    refused(() => guardOutputs(inputs, [{ path: folder, what: "scores file" }]), /scores file .*a-folder: it is a folder/);
    refused(() => guardOutputs(inputs, [{ path: input, what: "run folder", kind: "folder" }]), /it is a file, not a folder|input file/);
    const plain = path.join(dir, "plain.txt");
    fs.writeFileSync(plain, "x");
    refused(() => guardOutputs(inputs, [{ path: plain, what: "run folder", kind: "folder" }]), /cannot use .*plain\.txt as the run folder: it is a file/);
    refused(() => guardOutputs(inputs, [{ path: path.join(plain, "x.csv"), what: "features table" }]), /plain\.txt is a file, not a folder/);
  });

  it("accepts new outputs in new folders, creating nothing", () => {
    const out = path.join(dir, "new", "deeper", "features.csv");
    guardOutputs(inputs, [{ path: out, what: "features table" }, { path: path.join(dir, "run"), what: "run folder", kind: "folder" }]);
    assert.equal(fs.existsSync(path.join(dir, "new")), false);
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith(".sparkify-probe")), []);
  });

  it("refuses a read-only location before any work (a read-only mount stops root too)", function () {
    const disk = unwritableFolder();
    if (!disk) return this.skip();
    try {
      refused(() => guardOutputs(inputs, [{ path: path.join(disk.dir, "out", "features.csv"), what: "features table" }]), /cannot write the features table .*: (read-only file system|permission denied)/, "E_WRITE_FAILED");
    } finally {
      disk.unmount();
    }
  });
});
