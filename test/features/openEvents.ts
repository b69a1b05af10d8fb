// Event stores for the feature tests, built through the real store's cleaning path.
import type { SparkifyEvent } from "../../lib/events/schema";
import { EventStore } from "../../lib/store";

/** An EventStore of `events` (2 DuckDB threads, no progress output). */
export function openEvents(events: readonly SparkifyEvent[]): Promise<EventStore> {
  return EventStore.fromEvents(events.slice(), { quiet: true, threads: 2 });
}
