import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { compileLineScan, MODULE_FILE, moduleText } from "../../lib/ingest/scan/wasm/compile";

describe("the line check's WebAssembly module", function () {
  this.timeout(120_000);

  it("is what its AssemblyScript source compiles to (run `npm run build:wasm` after editing the source)", () => {
    const committed = fs.readFileSync(MODULE_FILE, "utf8");
    assert.ok(committed === moduleText(compileLineScan()), `${MODULE_FILE} is stale: run \`npm run build:wasm\``);
  });
});
