// `npm run bench -- NAME [args]`: runs bench/NAME.ts, which prints its figures beside a reference
// run made in the same process (bare DuckDB, pandas, scikit-learn), as ratios.
import * as fs from "node:fs";
import * as path from "node:path";

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const available = fs.readdirSync(__dirname).filter((f) => f.endsWith(".ts") && f !== "main.ts").map((f) => f.slice(0, -3));
  if (!name || name === "--help") {
    console.log(`usage: npm run bench -- <${available.join("|")}> [options]`);
    return;
  }
  if (!available.includes(name)) {
    console.error(`bench: unknown benchmark "${name}"; choose one of ${available.join(", ")}`);
    process.exitCode = 2;
    return;
  }
  const mod = require(path.join(__dirname, `${name}.ts`)) as { run(args: string[]): Promise<void> };
  await mod.run(args);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exitCode = 1;
});
