import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  KNOWN_DEBTS,
  LAYERS,
  OWNED_PACKAGES,
  folderOf,
  importsIn,
  layerOf,
  layerViolations,
  libImports,
} from "./layers";

const ROOT = path.resolve(__dirname, "..", "..");

describe("architecture: lib/ layer order (docs/architecture.md)", () => {
  const edges = libImports(ROOT);

  it("finds the imports it is meant to check", () => {
    // Guards against a parser that silently finds nothing and so passes.
    assert.ok(edges.length > 500, `only ${edges.length} imports found`);
    assert.ok(edges.some((e) => e.file === "lib/pipeline/runPipeline.ts" && e.toFolder === "report"));
    assert.ok(edges.some((e) => e.file === "lib/store/EventStore.ts" && e.toFolder === "errors"));
  });

  it("names every lib folder exactly once in the table", () => {
    const folders = fs
      .readdirSync(path.join(ROOT, "lib"), { withFileTypes: true })
      .filter((d) => d.isDirectory() || (d.name.endsWith(".ts") && !d.name.endsWith(".d.ts")))
      .map((d) => folderOf(`lib/${d.name}`));
    const named = LAYERS.flat();
    assert.equal(new Set(named).size, named.length, "a folder is in two layers");
    assert.deepEqual(folders.filter((f) => layerOf(f) === undefined), [], "folders missing from LAYERS");
  });

  it("has no import against the order except the listed debts", () => {
    const found = layerViolations(edges);
    const fresh = [...found.entries()].filter(([key]) => !KNOWN_DEBTS.includes(key)).flatMap(([, at]) => at);
    assert.deepEqual(fresh, [], "new imports against the layer order (see docs/architecture.md)");
  });

  it("lists only debts that still exist (the list only shrinks)", () => {
    const found = layerViolations(edges);
    const gone = KNOWN_DEBTS.filter((key) => !found.has(key));
    assert.deepEqual(gone, [], "debts repaid: remove them from KNOWN_DEBTS and docs/architecture.md");
  });

  it("keeps packages owned by one folder inside it, apart from the listed debts", () => {
    for (const [pkg, { owner, debts }] of Object.entries(OWNED_PACKAGES)) {
      const users = new Set(
        edges.filter((e) => e.toFolder === null && e.specifier === pkg && e.fromFolder !== owner).map((e) => e.file),
      );
      assert.deepEqual([...users].filter((f) => !debts.includes(f)), [], `${pkg} imported outside lib/${owner}`);
      assert.deepEqual(debts.filter((f) => !users.has(f)), [], `${pkg} debts repaid: remove them from the list`);
    }
  });

  it("lists the same debts in docs/architecture.md", () => {
    const doc = fs.readFileSync(path.join(ROOT, "docs", "architecture.md"), "utf8");
    for (const key of KNOWN_DEBTS) {
      const [file] = key.split(" -> ");
      assert.ok(doc.includes(file), `docs/architecture.md does not mention ${file}`);
    }
    for (const layer of LAYERS) for (const folder of layer) assert.ok(doc.includes(`\`${folder}\``), `doc misses ${folder}`);
  });

  it("reads every kind of import, and ignores ones in comments", () => {
    const src = [
      'import { a } from "../x";',
      'import type { B } from "../y";',
      'export * from "./z";',
      'import "../side";',
      'const m = await import("../dyn");',
      'const r = require("../req");',
      '// import { no } from "../comment";',
      '/** @example import { no } from "../doc"; */',
      "import {\n  c,\n  d,\n} from \"../multi\";",
    ].join("\n");
    assert.deepEqual(
      importsIn(src).map((i) => `${i.line}:${i.specifier}`),
      ["1:../x", "2:../y", "3:./z", "4:../side", "5:../dyn", "6:../req", "9:../multi"],
    );
  });

  it("flags an upward import that is not a listed debt", () => {
    const found = layerViolations([
      { file: "lib/store/EventStore.ts", line: 3, specifier: "../pipeline", fromFolder: "store", toFolder: "pipeline" },
      { file: "lib/pipeline/openEvents.ts", line: 2, specifier: "../store", fromFolder: "pipeline", toFolder: "store" },
      { file: "lib/sql/dialect.ts", line: 1, specifier: "../eda", fromFolder: "sql", toFolder: "eda" },
    ]);
    assert.deepEqual([...found.keys()], ["lib/store/EventStore.ts -> pipeline", "lib/sql/dialect.ts -> eda"]);
  });
});
