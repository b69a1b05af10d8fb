import { ensureDefaultDataset } from "../simulate";
import { EventStore, type StorageMode } from "../store";

/** Where a run reads its events from and where it keeps its quarantine file. */
export interface OpenEventsOptions {
  /** Input sources; empty or absent means the embedded default data set (generated on first use). */
  input?: string | string[];
  /** Run folder: quarantine.jsonl goes there. */
  out?: string;
  s3Endpoint?: string;
  /** Load a part-file folder without its _SUCCESS marker (see LoadOptions.allowIncomplete). */
  allowIncomplete?: boolean;
  /** The quarantine file itself (default quarantine.jsonl in `out`). */
  quarantineFile?: string;
  /** Where the loaded events live (see LoadOptions.storage); default "auto". */
  storage?: StorageMode;
  quiet?: boolean;
}

/** Opens (loads and cleans) the run's input in an EventStore; the embedded default when none is given. */
export async function openEvents(options: OpenEventsOptions = {}): Promise<EventStore> {
  const given = Array.isArray(options.input) ? options.input.filter(Boolean) : options.input ? [options.input] : [];
  const input = given.length > 0 ? given : await ensureDefaultDataset({ quiet: options.quiet });
  return EventStore.open(input, { quiet: options.quiet, quarantineDir: options.out, quarantineFile: options.quarantineFile, allowIncomplete: options.allowIncomplete, s3Endpoint: options.s3Endpoint, storage: options.storage });
}
