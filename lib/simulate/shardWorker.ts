// Entry point of a simulator worker thread: answers each "more" with the shard's next batch
// (its arrays transferred, not copied), and null once the shard is done.
import { parentPort, workerData } from "node:worker_threads";
import { ShardSimulator } from "./ShardSimulator";
import type { ShardWorkerData } from "./shardSources";

const data = workerData as ShardWorkerData;
const sim = new ShardSimulator(data.plan, data.shard, data.shards, data.catalogue);
const port = parentPort!;
port.on("message", (msg: string) => {
  if (msg !== "more") return;
  const b = sim.nextBatch(data.batchEvents);
  if (b === null) {
    port.postMessage(null);
    port.close();
    return;
  }
  port.postMessage(b, [b.ts.buffer, b.user.buffer, b.session.buffer, b.show.buffer, b.page.buffer, b.ends.buffer, b.bytes.buffer as ArrayBuffer]);
});
