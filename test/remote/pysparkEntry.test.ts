import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EVENT_FIELDS } from "../../lib/events/schema";
import { renderPysparkEntry, sparkSchemaSource } from "../../lib/remote/pysparkEntry";
import { requireSystem } from "../helpers/systemSuites";
import { queryFromScript } from "./duckStandIns";

/** Python's view of the script: syntax check plus the names it defines and calls. */
function pythonFacts(script: string): { functions: string[]; fields: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-py-"));
  try {
    const file = path.join(dir, "features.py");
    fs.writeFileSync(file, script);
    const py = [
      "import ast, json, sys",
      "t = ast.parse(open(sys.argv[1]).read())",
      "fns = [n.name for n in t.body if isinstance(n, ast.FunctionDef)]",
      "fields = [c.args[0].value for c in ast.walk(t) if isinstance(c, ast.Call) and getattr(c.func, 'id', '') == 'StructField']",
      "print(json.dumps({'functions': fns, 'fields': fields}))",
    ].join("\n");
    return JSON.parse(execFileSync("/usr/bin/python3", ["-c", py, file], { encoding: "utf8" }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("remote/pysparkEntry", () => {
  // Python's own parser checks the script.
  before(function () {
    requireSystem(this, "python3");
  });

  it("is valid Python with an explicit schema of the 18 fields (plus the corrupt-record column)", () => {
    const facts = pythonFacts(renderPysparkEntry({ sql: "SELECT 1", runId: "r1" }));
    assert.deepEqual(facts.functions, ["main"]);
    assert.deepEqual(facts.fields, [...EVENT_FIELDS, "_corrupt_record"]);
  });

  it("carries the query unchanged, whatever characters it holds", () => {
    const sql = "SELECT 'it''s' AS a, regexp_extract(x, '\\\\d+', 0) AS \"b\" -- ünïcödé \u2028\nFROM events\n\tWHERE y = \"\"\"\"";
    assert.equal(queryFromScript(renderPysparkEntry({ sql, runId: "r2" })), sql);
  });

  it("types the fields as the events table does", () => {
    const src = sparkSchemaSource();
    assert.match(src, /StructField\("ts", LongType\(\), True\)/);
    assert.match(src, /StructField\("userId", StringType\(\), True\)/);
    assert.match(src, /StructField\("length", DoubleType\(\), True\)/);
    assert.match(src, /StructField\("status", IntegerType\(\), True\)/);
  });

  it("writes one CSV with header and the cleaning counts", () => {
    const script = renderPysparkEntry({ sql: "SELECT 1", runId: "r3" });
    assert.match(script, /features\.coalesce\(1\)\s*\.write\.mode\("overwrite"\)\s*\.option\("header", "true"\)/);
    assert.match(script, /createOrReplaceTempView\("events"\)/);
    assert.match(script, /dropDuplicates\(\)/);
  });
});
