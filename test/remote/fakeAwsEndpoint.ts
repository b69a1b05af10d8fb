// A local HTTP endpoint that speaks the few EMR Serverless (REST JSON) and Athena (JSON 1.1) calls
// lib/remote sends. The real services cannot run here; this stands in for them on 127.0.0.1 so the
// real SDK clients (signing, serialisation, error parsing) are exercised end to end.
import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the endpoint received it. */
export interface ReceivedRequest {
  service: "emr-serverless" | "athena";
  call: string;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
  raw: string;
}

/** How a job or query behaves: the states its polls return, in order (the last one repeats). */
export interface Scenario {
  states: string[];
  /** Failure details (EMR stateDetails / Athena StateChangeReason) shown with a FAILED state. */
  details?: string;
  /** Runs once, before the first poll that returns the success state (write the output here). */
  onSuccess?: (job: FakeJob) => Promise<void>;
}

/** A job run or query execution the endpoint tracks. */
export interface FakeJob {
  id: string;
  service: "emr-serverless" | "athena";
  request: Record<string, unknown>;
  scenario: Scenario;
  polls: number;
  state: string;
  cancelRequested: boolean;
  /** Athena: where the CSV result goes (`<OutputLocation><id>.csv`). */
  outputLocation?: string;
  succeeded: boolean;
}

const EMR_TERMINAL = new Set(["SUCCESS", "FAILED", "CANCELLED"]);
const ATHENA_TERMINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);

/** The local stand-in for EMR Serverless and Athena. */
export class FakeAwsEndpoint {
  readonly requests: ReceivedRequest[] = [];
  readonly jobs = new Map<string, FakeJob>();
  /** Applications that exist; StartJobRun on another one answers ResourceNotFoundException. */
  applications = new Set<string>(["00fakeapp0000001"]);
  /** Picks the scenario of a new EMR job run. */
  emrScenario: (request: Record<string, unknown>) => Scenario = () => ({ states: ["SUBMITTED", "RUNNING", "SUCCESS"] });
  /** Picks the scenario of a new Athena query. */
  athenaScenario: (request: Record<string, unknown>) => Scenario = () => ({ states: ["QUEUED", "RUNNING", "SUCCEEDED"] });
  private next = 1;

  private constructor(private readonly server: http.Server, readonly url: string) {}

  /** Starts the endpoint on 127.0.0.1 on a free port. */
  static async start(): Promise<FakeAwsEndpoint> {
    let self: FakeAwsEndpoint | null = null;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        self!.handle(req, Buffer.concat(chunks).toString("utf8")).then(
          ({ status, body, headers }) => {
            res.writeHead(status, { "content-type": "application/json", ...headers });
            res.end(JSON.stringify(body));
          },
          (err: Error) => {
            res.writeHead(500, { "content-type": "application/json", "x-amzn-errortype": "InternalServerException" });
            res.end(JSON.stringify({ message: err.message }));
          },
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    self = new FakeAwsEndpoint(server, `http://127.0.0.1:${port}`);
    return self;
  }

  /** Stops the endpoint. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Requests of one call name, in order. */
  calls(call: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.call === call);
  }

  private async handle(req: http.IncomingMessage, raw: string): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    const target = req.headers["x-amz-target"];
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    if (typeof target === "string" && target.startsWith("AmazonAthena.")) {
      const call = target.slice("AmazonAthena.".length);
      this.requests.push({ service: "athena", call, method: req.method ?? "", path: req.url ?? "", headers: req.headers, body, raw });
      return this.athena(call, body);
    }
    const url = new URL(req.url ?? "/", "http://x");
    const m = /^\/applications\/([^/]+)\/jobruns(?:\/([^/]+))?$/.exec(url.pathname);
    const call = !m ? "Unknown" : req.method === "POST" && !m[2] ? "StartJobRun" : req.method === "GET" && m[2] ? "GetJobRun" : req.method === "DELETE" && m[2] ? "CancelJobRun" : "Unknown";
    this.requests.push({ service: "emr-serverless", call, method: req.method ?? "", path: url.pathname, headers: req.headers, body, raw });
    if (!m || call === "Unknown") return emrError(400, "ValidationException", `Unsupported ${req.method} ${url.pathname}`);
    return this.emr(call, decodeURIComponent(m[1]), m[2] ? decodeURIComponent(m[2]) : undefined, body);
  }

  private async emr(call: string, app: string, jobRunId: string | undefined, body: Record<string, unknown>) {
    if (!this.applications.has(app)) return emrError(404, "ResourceNotFoundException", `Application ${app} does not exist`);
    if (call === "StartJobRun") {
      const id = `00fjob${String(this.next++).padStart(10, "0")}`;
      const job: FakeJob = { id, service: "emr-serverless", request: { ...body, applicationId: app }, scenario: this.emrScenario(body), polls: 0, state: "SUBMITTED", cancelRequested: false, succeeded: false };
      this.jobs.set(id, job);
      return { status: 200, body: { applicationId: app, jobRunId: id, arn: `arn:aws:emr-serverless:us-east-1:123456789012:/applications/${app}/jobruns/${id}` } };
    }
    const job = jobRunId ? this.jobs.get(jobRunId) : undefined;
    if (!job) return emrError(404, "ResourceNotFoundException", `Job run ${jobRunId} does not exist`);
    if (call === "CancelJobRun") {
      if (EMR_TERMINAL.has(job.state)) return emrError(400, "ValidationException", `Job run ${job.id} is already ${job.state}`);
      job.cancelRequested = true;
      return { status: 200, body: { applicationId: app, jobRunId: job.id } };
    }
    await this.advance(job, "SUCCESS", "CANCELLING");
    const now = Date.now() / 1000;
    return {
      status: 200,
      body: {
        jobRun: {
          applicationId: app,
          jobRunId: job.id,
          arn: `arn:aws:emr-serverless:us-east-1:123456789012:/applications/${app}/jobruns/${job.id}`,
          createdBy: "arn:aws:iam::123456789012:user/test",
          createdAt: now,
          updatedAt: now,
          executionRole: job.request.executionRoleArn,
          state: job.state,
          stateDetails: job.state === "FAILED" ? job.scenario.details ?? "" : job.state === "CANCELLED" ? "Job run cancelled by user" : "",
          releaseLabel: "emr-7.5.0",
          jobDriver: job.request.jobDriver,
        },
      },
    };
  }

  private async athena(call: string, body: Record<string, unknown>) {
    if (call === "StartQueryExecution") {
      const id = `q-${String(this.next++).padStart(8, "0")}-0000-0000-0000-000000000000`;
      const out = (body.ResultConfiguration as { OutputLocation?: string } | undefined)?.OutputLocation;
      if (!out) return athenaError("InvalidRequestException", "No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.");
      const job: FakeJob = { id, service: "athena", request: body, scenario: this.athenaScenario(body), polls: 0, state: "QUEUED", cancelRequested: false, succeeded: false, outputLocation: `${out.replace(/\/+$/, "")}/${id}.csv` };
      this.jobs.set(id, job);
      return { status: 200, body: { QueryExecutionId: id } };
    }
    const job = this.jobs.get(String(body.QueryExecutionId));
    if (!job) return athenaError("InvalidRequestException", `QueryExecution ${String(body.QueryExecutionId)} was not found`);
    if (call === "StopQueryExecution") {
      job.cancelRequested = true;
      return { status: 200, body: {} };
    }
    if (call !== "GetQueryExecution") return athenaError("InvalidRequestException", `Unsupported call ${call}`);
    await this.advance(job, "SUCCEEDED", null);
    const now = Date.now() / 1000;
    return {
      status: 200,
      body: {
        QueryExecution: {
          QueryExecutionId: job.id,
          Query: job.request.QueryString,
          StatementType: /^\s*(CREATE|DROP)/i.test(String(job.request.QueryString)) ? "DDL" : "DML",
          ResultConfiguration: { OutputLocation: job.outputLocation },
          QueryExecutionContext: job.request.QueryExecutionContext,
          Status: {
            State: job.state,
            ...(job.state === "FAILED" ? { StateChangeReason: job.scenario.details ?? "", AthenaError: { ErrorCategory: 2, ErrorType: 1301, Retryable: false, ErrorMessage: job.scenario.details ?? "" } } : {}),
            SubmissionDateTime: now,
          },
          Statistics: { DataScannedInBytes: 12345, EngineExecutionTimeInMillis: 10 },
          WorkGroup: job.request.WorkGroup,
        },
      },
    };
  }

  /** Moves a job one poll along its scenario (or towards CANCELLED once a stop was requested). */
  private async advance(job: FakeJob, success: string, cancelling: string | null): Promise<void> {
    const terminal = job.service === "athena" ? ATHENA_TERMINAL : EMR_TERMINAL;
    if (terminal.has(job.state) && job.polls > 0) return;
    if (job.cancelRequested) {
      job.state = cancelling && job.state !== cancelling ? cancelling : "CANCELLED";
      job.polls++;
      return;
    }
    const states = job.scenario.states;
    const next = states[Math.min(job.polls, states.length - 1)];
    job.polls++;
    if (next === success && !job.succeeded) {
      await job.scenario.onSuccess?.(job);
      job.succeeded = true;
    }
    job.state = next;
  }
}

function emrError(status: number, type: string, message: string) {
  return { status, body: { message }, headers: { "x-amzn-errortype": type } };
}

function athenaError(type: string, message: string) {
  return { status: 400, body: { __type: type, Message: message }, headers: { "content-type": "application/x-amz-json-1.1" } };
}
