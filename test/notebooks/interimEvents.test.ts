import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { notebookEvents, writeInterimEvents } from "../../lib/notebooks/interimEvents";
import { openEvents } from "../../lib/pipeline";
import { SAMPLE_DATASET } from "../../lib/config";
import { tempDir } from "./nbTestUtil";

/** Rows of the events an input gives, in a fixed order, with its data report. */
async function eventsOf(input: string): Promise<{ rows: Record<string, unknown>[]; report: unknown }> {
  const store = await openEvents({ input, quiet: true });
  try {
    return { rows: await store.rows(`SELECT * FROM events ORDER BY "userId", ts, "sessionId", "itemInSession", page`), report: store.report };
  } finally {
    await store.close();
  }
}

describe("notebooks: the Parquet hand-over from 02-clean to 03–05 (data/interim)", function () {
  this.timeout(300_000);
  let work: string;
  let raw: string;
  let interim: string;

  before(async () => {
    work = tempDir("sparkify-interim-");
    raw = path.join(work, "events.jsonl.gz");
    fs.copyFileSync(SAMPLE_DATASET, raw);
    interim = path.join(work, "data", "interim");
  });

  it("reads the raw input, and says so, while 02-clean has not written the folder", async () => {
    const choice = await notebookEvents(raw, interim);
    assert.deepEqual([choice.input, choice.interim], [raw, false]);
    assert.match(choice.sentence, /^Events: loading and cleaning the raw input .*events\.jsonl\.gz here, since .* holds no cleaned events from 02-clean/);
  });

  it("writes events/ and data-report.json, and reads them back: the same events and the same data report as the raw input", async () => {
    const converted = await writeInterimEvents(raw, interim);
    assert.equal(converted.eventsDir, path.join(interim, "events"));
    assert.ok(fs.existsSync(path.join(interim, "events", "_SUCCESS")) && fs.existsSync(path.join(interim, "data-report.json")));
    const choice = await notebookEvents(raw, interim);
    assert.deepEqual([choice.input, choice.interim], [interim, true]);
    assert.match(choice.sentence, new RegExp(`^Events: the cleaned events 02-clean wrote as Parquet to .*interim \\(from .*events\\.jsonl\\.gz, ${converted.report.kept.toLocaleString("en")} events\\)`));
    const [a, b] = [await eventsOf(raw), await eventsOf(choice.input)];
    assert.equal(b.rows.length, converted.report.kept);
    assert.deepEqual(b.rows, a.rows);
    assert.deepEqual(b.report, { ...(a.report as object), convertedFiles: (b.report as { convertedFiles: unknown }).convertedFiles });
  });

  it("falls back to the raw input when the folder is another input's conversion, or older than the input", async () => {
    const other = path.join(work, "other.jsonl");
    fs.writeFileSync(other, "");
    const elsewhere = await notebookEvents(other, interim);
    assert.deepEqual([elsewhere.input, elsewhere.interim], [other, false]);
    assert.match(elsewhere.sentence, /were converted from another input, so they are not used \(run 02-clean again with this input/);
    // The same file, touched after the conversion: its content may have changed.
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(raw, later, later);
    const stale = await notebookEvents(raw, interim);
    assert.deepEqual([stale.input, stale.interim], [raw, false]);
    assert.match(stale.sentence, /changed after 02-clean converted it/);
  });

  it("a remote engine reads the raw input where it lives", async () => {
    const choice = await notebookEvents("s3://bucket/events/", interim, { engine: "athena" });
    assert.deepEqual([choice.input, choice.interim], ["s3://bucket/events/", false]);
    assert.match(choice.sentence, /read by athena where it lives/);
  });
});
