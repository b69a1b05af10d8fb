// Behind docs/model-quality.md (issue 17): per-user page counts by level, within-session transitions
// (previous page > page) and the last page of each session, before the last weekly cutoff, in long form
// (user, key, count) for residualStatistics.py.
// usage: node bin/run-ts.js bench/quality/transitions.ts EVENTS OUT.csv
import { eventTimeRange } from "../../lib/features";
import { weeklyCutoffs } from "../../lib/eventSource/cutoffPlan";
import { EventStore } from "../../lib/store";
import * as fs from "node:fs";
async function main(): Promise<void> {
  const [src, out] = process.argv.slice(2);
  const store = await EventStore.open(src, { quiet: true, storage: "memory" });
  const cutoffs = weeklyCutoffs(await eventTimeRange(store), 14, 14);
  const T = cutoffs[cutoffs.length - 1];
  const rows = await store.rows(`
WITH e AS (SELECT CAST(userId AS VARCHAR) AS u, ts, page, level, sessionId AS s,
   LAG(page) OVER (PARTITION BY userId, sessionId ORDER BY ts, itemInSession) AS prev,
   LEAD(page) OVER (PARTITION BY userId, sessionId ORDER BY ts, itemInSession) AS nxt
  FROM events WHERE userId IS NOT NULL AND CAST(userId AS VARCHAR) <> '' AND ts < ${T} AND page NOT IN ('Cancel','Cancellation Confirmation'))
SELECT u, level || ':' || page AS k, COUNT(*) AS n FROM e GROUP BY ALL
UNION ALL SELECT u, 'T:' || COALESCE(prev, '^') || '>' || page, COUNT(*) FROM e GROUP BY ALL
UNION ALL SELECT u, 'END:' || page, COUNT(*) FROM e WHERE nxt IS NULL GROUP BY ALL`);
  fs.writeFileSync(out, ["u,k,n", ...rows.map((r) => `${r.u},"${r.k}",${r.n}`)].join("\n") + "\n");
  console.log(`${rows.length} rows; T=${new Date(T).toISOString()}`);
  await store.close();
}
main().catch((e) => { console.error(e); process.exit(1); });
