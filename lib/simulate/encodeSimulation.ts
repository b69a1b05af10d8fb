import { PAGES } from "../events/schema";
import type { EventBatch } from "./ShardSimulator";
import { CHURN_PAGE_INDEX } from "./stateMachine";
import type { SimulationPlan } from "./simulationPlan";
import { copyBytes, writeDigits } from "./writeDigits";

/** A stream of event batches from one shard (in this thread or a worker thread). */
export interface BatchSource {
  /** The shard's next batch, or null at its end. */
  next(): Promise<EventBatch | null>;
  /** Releases the source (stops its worker). */
  close(): Promise<void>;
}

/** Counters the merger keeps while it writes. */
export interface SimulationStats {
  events: number;
  loggedOutEvents: number;
  churners: number;
  /** Bytes of JSON lines (uncompressed). */
  bytes: number;
  /** Events per page, indexed like PAGES. */
  pageCounts: Float64Array;
  /** 1 for each user index that appears with its userId. */
  seenUsers: Uint8Array;
  /** Epoch ms of the last event merged (for progress). */
  lastTs: number;
}

/** Fresh counters for a plan. */
export function newStats(plan: SimulationPlan): SimulationStats {
  return { events: 0, loggedOutEvents: 0, churners: 0, bytes: 0, pageCounts: new Float64Array(PAGES.length), seenUsers: new Uint8Array(plan.users), lastTs: 0 };
}

/** Size of the output chunks; chunks always end at a line boundary. */
export const CHUNK_BYTES = 1 << 20;

interface Cursor {
  source: BatchSource;
  batch: EventBatch;
  tails: Buffer;
  i: number;
}

/**
 * Merges the shards' batches by (ts, user index) — one user lives in one shard, so the order is
 * total and independent of the number of shards — assigns eventsim's one global sessionId counter
 * in that order, and yields the JSON lines in chunks of about CHUNK_BYTES.
 */
export async function* encodeSimulation(plan: SimulationPlan, sources: BatchSource[], stats: SimulationStats): AsyncGenerator<Buffer> {
  const TS = Buffer.from('{"ts":', "latin1");
  const USER = Buffer.from(',"userId":"', "latin1");
  const SESSION = Buffer.from('","sessionId":', "latin1");
  const lastLocalSession = new Int32Array(plan.users).fill(-1);
  const globalSession = new Float64Array(plan.users);
  let sessionCounter = 0;
  const cursors: Cursor[] = [];
  const load = async (source: BatchSource): Promise<Cursor | null> => {
    const batch = await source.next();
    if (!batch || batch.count === 0) return null;
    return { source, batch, tails: Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength), i: 0 };
  };
  for (const s of sources) {
    const c = await load(s);
    if (c) cursors.push(c);
  }
  let out = Buffer.allocUnsafe(CHUNK_BYTES + 65536);
  let pos = 0;
  const pageCounts = stats.pageCounts;
  const seen = stats.seenUsers;
  while (cursors.length > 0) {
    let best = 0;
    for (let k = 1; k < cursors.length; k++) {
      const a = cursors[k];
      const b = cursors[best];
      const ta = a.batch.ts[a.i];
      const tb = b.batch.ts[b.i];
      if (ta < tb || (ta === tb && a.batch.user[a.i] < b.batch.user[b.i])) best = k;
    }
    const c = cursors[best];
    const b = c.batch;
    const i = c.i;
    const u = b.user[i];
    if (b.session[i] !== lastLocalSession[u]) {
      lastLocalSession[u] = b.session[i];
      globalSession[u] = ++sessionCounter;
    }
    const shows = b.show[i] === 1;
    const from = i === 0 ? 0 : b.ends[i - 1];
    const to = b.ends[i];
    if (pos + (to - from) + 96 > out.length) {
      stats.bytes += pos;
      yield out.subarray(0, pos);
      out = Buffer.allocUnsafe(Math.max(CHUNK_BYTES + 65536, (to - from) + 96));
      pos = 0;
    }
    // {"ts":…,"userId":"…","sessionId":… written byte by byte: no string per event.
    pos = copyBytes(out, pos, TS);
    pos = writeDigits(out, pos, b.ts[i]);
    pos = copyBytes(out, pos, USER);
    if (shows) pos = writeDigits(out, pos, u + 1); // userIdOf(u): eventsim numbers users from 1
    pos = copyBytes(out, pos, SESSION);
    pos = writeDigits(out, pos, globalSession[u]);
    pos += c.tails.copy(out, pos, from, to);
    stats.events++;
    pageCounts[b.page[i]]++;
    if (shows) seen[u] = 1;
    else stats.loggedOutEvents++;
    if (b.page[i] === CHURN_PAGE_INDEX) stats.churners++;
    stats.lastTs = b.ts[i];
    if (pos >= CHUNK_BYTES) {
      stats.bytes += pos;
      yield out.subarray(0, pos);
      out = Buffer.allocUnsafe(CHUNK_BYTES + 65536);
      pos = 0;
    }
    if (++c.i === b.count) {
      const next = await load(c.source);
      if (next) cursors[best] = next;
      else cursors.splice(best, 1);
    }
  }
  if (pos > 0) {
    stats.bytes += pos;
    yield out.subarray(0, pos);
  }
}
