// `npm run bench -- eda [--input PATH] [--repeats N]`: seconds of runEda (two scans of the events,
// lib/eda/edaSummaries.ts) against the per-chart queries it replaced (perChartEda, ten scans and
// more), back to back on one copy of the events made as a run makes it, and whether their tables
// are the same. The store is opened as a run opens it (files storage past 512 MiB).
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { EDA_SOURCE_COLUMNS, runEda } from "../lib/eda/runEda";
import { perChartEda } from "../lib/eda/perChartEda";
import { FEATURE_SOURCE_COLUMNS } from "../lib/features/computeFeatures";
import { EventStore } from "../lib/store";

function flag(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}

async function seconds<T>(work: () => Promise<T>): Promise<{ value: T; s: number }> {
  const t0 = process.hrtime.bigint();
  const value = await work();
  return { value, s: Number(process.hrtime.bigint() - t0) / 1e9 };
}

/** Runs the benchmark (see the header). */
export async function run(args: string[]): Promise<void> {
  const input = path.resolve(flag(args, "--input", path.join(__dirname, "../data/sample/sparkify-sample.jsonl.gz")));
  const repeats = Number(flag(args, "--repeats", "2"));
  const opened = await seconds(() => EventStore.open(input, { quiet: true }));
  const store = opened.value;
  console.log(`${input}: ${store.storage} storage, opened in ${opened.s.toFixed(1)} s`);
  try {
    // The run's one copy (localEventSource.reading): both versions read the same table.
    await store.withEventsCopy(async () => {
      for (let i = 1; i <= repeats; i++) {
        const before = await seconds(() => perChartEda(store));
        const after = await seconds(() => runEda(store));
        assert.deepEqual(after.value, before.value, "runEda's tables differ from the per-chart queries'");
        console.log(`repeat ${i}: per-chart queries ${before.s.toFixed(2)} s, runEda ${after.s.toFixed(2)} s (× ${(before.s / after.s).toFixed(2)}), same tables`);
      }
    }, [...new Set([...FEATURE_SOURCE_COLUMNS, ...EDA_SOURCE_COLUMNS])]);
  } finally {
    await store.close();
  }
}
