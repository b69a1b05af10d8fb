import * as fs from "node:fs";
import { featureColumns, featureDictionary, writeFeaturesCsv } from "./lib/features";
import { remoteFeatureTable } from "./lib/remote/remoteFeatureTable";
const cols = featureColumns("forward");
const kinds = new Map(featureDictionary("forward").map((f) => [f.name, f.type]));
let seed = 7;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
for (const n of [22_000, 300_000]) {
  const lines = [cols.map((c) => `"${c.toLowerCase()}"`).join(",")];
  for (let i = 0; i < n; i++) {
    lines.push(cols.map((c) => c === "userId" ? `"${i}"` : c === "cutoff" ? `"1542240000000"` : c === "churn" ? `"${i % 5 === 0 ? 1 : 0}"` : kinds.get(c) === "categorical" ? `"free"` : rnd() < 0.05 ? "" : `"${(rnd() * 100).toString()}"`).join(","));
  }
  const text = lines.join("\n") + "\n";
  const t0 = process.hrtime.bigint();
  const table = remoteFeatureTable(text, { mode: "forward", cutoffs: [1542240000000], horizonDays: 14, label: "cancel" }, "bench.csv");
  const t1 = process.hrtime.bigint();
  // same-process reference: JSON.parse of the same amount of data as JSON rows
  const json = JSON.stringify(table.rows);
  const t2 = process.hrtime.bigint();
  JSON.parse(json);
  const t3 = process.hrtime.bigint();
  writeFeaturesCsv(table, "/tmp/measure-features.csv").then(() => {
    const t4 = process.hrtime.bigint();
    console.log(`${n} rows, ${(text.length / 1e6).toFixed(1)} MB: parse+check ${(Number(t1 - t0) / 1e6).toFixed(0)} ms, write ${(Number(t4 - t3) / 1e6).toFixed(0)} ms, JSON.parse same rows ${(Number(t3 - t2) / 1e6).toFixed(0)} ms, ratio ${(Number(t1 - t0) / Number(t3 - t2)).toFixed(2)}, rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
  });
}
