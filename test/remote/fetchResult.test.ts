import { strict as assert } from "node:assert";
import { checkRemoteReport, fetchSparkCsv, fetchSparkReport } from "../../lib/remote/fetchResult";
import { RemoteHarness } from "./harness";

describe("remote/fetchResult", () => {
  let h: RemoteHarness;
  before(async () => { h = await RemoteHarness.start(); });
  after(async () => { await h.close(); });

  it("joins several Spark parts under one header, skipping empty parts and markers", async () => {
    const p = "s3://staging/fetch/multi/";
    await h.put(`${p}_SUCCESS`, "");
    await h.put(`${p}part-00000-a-c000.csv`, "userId,n\n1,2\n");
    await h.put(`${p}part-00001-a-c000.csv`, "");
    await h.put(`${p}part-00002-a-c000.csv`, "userId,n\n3,4");
    const { text, parts } = await fetchSparkCsv(h.s3, p, h.outDir());
    assert.equal(text, "userId,n\n1,2\n3,4\n");
    assert.equal(parts.length, 3);
  });

  it("refuses parts whose headers differ", async () => {
    const p = "s3://staging/fetch/mismatch/";
    await h.put(`${p}part-00000.csv`, "userId,n\n1,2\n");
    await h.put(`${p}part-00001.csv`, "userId,m\n3,4\n");
    await assert.rejects(fetchSparkCsv(h.s3, p, h.outDir()), /part-00001\.csv: its header differs/);
  });

  it("reads the cleaning counts and checks that they add up", async () => {
    const p = "s3://staging/fetch/report/";
    await h.put(`${p}part-00000.txt`, '{"lines":10,"kept":7,"dropped":{"no_user":2,"duplicate":1},"malformed":0}\n');
    assert.deepEqual(await fetchSparkReport(h.s3, p), { lines: 10, kept: 7, dropped: { no_user: 2, duplicate: 1 }, malformed: 0 });
    assert.throws(() => checkRemoteReport({ lines: 10, kept: 8, dropped: { no_user: 2, duplicate: 1 }, malformed: 0 }, "r.json"), /r\.json: the cleaning counts do not add up/);
    assert.throws(() => checkRemoteReport({ lines: 10, kept: 12, dropped: { duplicate: -2 }, malformed: 0 }, "r.json"), /do not add up/);
  });
});
