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
  // The batch's arrays are allocated on plain ArrayBuffers (never shared), so each can be transferred.
  port.postMessage(b, [b.ts, b.user, b.session, b.show, b.page, b.ends, b.bytes].map((a) => a.buffer as ArrayBuffer));
});
