import type { RemotePlan } from "./planRemote";

/** Replaces long bodies in a request by a pointer to where the dry run prints them in full. */
function brief(request: object, bodies: Record<string, string>): unknown {
  return JSON.parse(JSON.stringify(request), (key, value) => (typeof value === "string" && key in bodies ? bodies[key] : value));
}

/**
 * The dry-run text: the rendered SQL, the staged script and every request in the order they would
 * be sent, with endpoints and region. Nothing here comes from credentials.
 */
export function formatDryRun(plan: RemotePlan): string {
  const out: string[] = [];
  const rule = (title: string): void => {
    out.push("", `=== ${title} ${"=".repeat(Math.max(3, 72 - title.length))}`);
  };
  out.push(`Dry run: ${plan.engine} in ${plan.region}; nothing is sent.`);
  out.push(`query: ${plan.what === "features" ? "the feature table" : "the time range of the cleaned events (first and last ts), for the default cutoffs"}`);
  if (plan.missing.length > 0) out.push(`not given (shown as <…: not given>; a real run refuses without them): ${plan.missing.join(", ")}`);
  out.push(`input: ${plan.input}`);
  out.push(`run id: ${plan.layout.runId}; time limit ${plan.timeoutSeconds} s, poll every ${plan.pollSeconds} s`);
  for (const [svc, ep] of Object.entries(plan.endpoints)) if (ep) out.push(`endpoint override (${svc}): ${ep}`);
  rule(`SQL (${plan.engine === "athena" ? "Trino, with the cleaned events CTE" : "Spark SQL"}${plan.what === "features" ? "" : `, ${plan.what}`})`);
  out.push(plan.sql.trimEnd());
  let n = 0;
  const req = (service: string, call: string, input: unknown): void => {
    rule(`request ${++n}: ${service} ${call}`);
    out.push(JSON.stringify(input, null, 2));
  };
  if (plan.engine === "emr-serverless") {
    for (const f of plan.staged) {
      rule(`staged file ${f.url}`);
      out.push(f.body.trimEnd());
    }
    for (const f of plan.staged) req("S3", "PutObject", { url: f.url, contentType: f.contentType, bytes: Buffer.byteLength(f.body), body: "(printed above)" });
    req("EMR Serverless", "StartJobRun", plan.startJobRun);
    req("EMR Serverless", `GetJobRun (every ${plan.pollSeconds} s until SUCCESS, FAILED or CANCELLED; CancelJobRun on the time limit or Ctrl-C)`, {
      applicationId: plan.startJobRun?.applicationId,
      jobRunId: "(from StartJobRun)",
    });
    req("S3", plan.what === "features" ? "ListObjectsV2 + GetObject (the feature CSV and the cleaning counts)" : "ListObjectsV2 + GetObject (the time-range CSV)", plan.what === "features" ? { output: plan.layout.output, report: plan.layout.report } : { output: plan.layout.output });
  } else {
    for (const step of plan.athenaSteps ?? []) {
      const body: Record<string, string> = step.what === plan.what ? { QueryString: "(the SQL printed above)" } : {};
      req("Athena", `StartQueryExecution (${step.what}); then GetQueryExecution every ${plan.pollSeconds} s, StopQueryExecution on the time limit or Ctrl-C`, brief(step.request, body));
    }
    req("S3", "GetObject (query results)", { results: `${plan.athenaSteps?.[0]?.request.ResultConfiguration?.OutputLocation ?? ""}<QueryExecutionId>.csv` });
  }
  return out.join("\n") + "\n";
}
