import { strict as assert } from "node:assert";
import { redact, redactingLogger } from "../../lib/remote/redactingLogger";
import type { RemoteLogger } from "../../lib/remote/types";

describe("remote/redactingLogger", () => {
  const saved = process.env.AWS_SECRET_ACCESS_KEY;
  after(() => {
    if (saved === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    else process.env.AWS_SECRET_ACCESS_KEY = saved;
  });

  it("hides secrets from the environment, given secrets and signature fragments", () => {
    process.env.AWS_SECRET_ACCESS_KEY = "envSecretValue/123+abc";
    const text = "a envSecretValue/123+abc b givenSecret-987654 c https://x/?X-Amz-Signature=deadbeef&X-Amz-Credential=AKIA%2F1 Authorization: AWS4-HMAC-SHA256 Credential=AKIA/x";
    const out = redact(text, ["givenSecret-987654"]);
    assert.equal(out, "a *** b *** c https://x/?X-Amz-Signature=***&X-Amz-Credential=*** Authorization: ***");
    assert.equal(redact('{"secretAccessKey":"zzz-top-secret-1"}'), '{"secretAccessKey":"***"}');
  });

  it("leaves ordinary text and short values alone", () => {
    assert.equal(redact("job 00f1 RUNNING after 3 s", ["abc"]), "job 00f1 RUNNING after 3 s");
  });

  it("wraps every level of a logger", () => {
    const lines: string[] = [];
    const inner: RemoteLogger = { info: (m) => lines.push(m), warn: (m) => lines.push(m), progress: (m) => lines.push(m) };
    const log = redactingLogger(inner, ["topSecretValue1"]);
    log.info("i topSecretValue1");
    log.warn("w topSecretValue1");
    log.progress("p topSecretValue1");
    assert.deepEqual(lines, ["i ***", "w ***", "p ***"]);
  });
});
