import type { StartQueryExecutionCommandInput } from "@aws-sdk/client-athena";
import type { StartJobRunCommandInput } from "@aws-sdk/client-emr-serverless";
import {
  athenaEventsTable,
  buildStartQueryRequest,
  renderAthenaReportQuery,
  renderCreateDatabase,
  renderEventsTableDdl,
  withCleanEvents,
  type AthenaTarget,
} from "./athena";
import { buildStartJobRunRequest } from "./emrServerless";
import { renderPysparkEntry } from "./pysparkEntry";
import type { RunLayout, StagedFile } from "./staging";
import type { Engine } from "./types";

/** One Athena statement of a run, in order. */
export interface AthenaStep {
  /** "database", "events table", "features" or "report". */
  what: string;
  request: StartQueryExecutionCommandInput;
}

/** Everything a run will send, built without any I/O (what a dry run prints). */
export interface RemotePlan {
  engine: Engine;
  /** What the query computes: "features" (the feature table) or "time range" (first and last event, for the default cutoffs). */
  what: RemoteQueryKind;
  /** Settings not given, as `--flag (VARIABLE)`: a dry run shows placeholders for them; a real run refuses. */
  missing: string[];
  region: string;
  endpoints: { emrServerless?: string; athena?: string; s3?: string };
  input: string;
  /** The rendered feature SQL as the engine receives it. */
  sql: string;
  layout: RunLayout;
  /** Files uploaded before the job starts (EMR Serverless: the entry point and the query). */
  staged: StagedFile[];
  /** EMR Serverless: the StartJobRun request. */
  startJobRun?: StartJobRunCommandInput;
  /** Athena: the statements, in order. */
  athenaSteps?: AthenaStep[];
  pollSeconds: number;
  timeoutSeconds: number;
}

/** What a remote query computes. */
export type RemoteQueryKind = "features" | "time range";

/** Settings shared by both plans. */
export interface PlanBase {
  what: RemoteQueryKind;
  missing: string[];
  region: string;
  endpoints: { emrServerless?: string; athena?: string; s3?: string };
  input: string;
  layout: RunLayout;
  pollSeconds: number;
  timeoutSeconds: number;
}

/** Plans an EMR Serverless run: the staged entry point and query, and the StartJobRun request. */
export function planEmrServerless(
  base: PlanBase,
  sparkSql: string,
  emr: { applicationId: string; executionRoleArn: string; sparkSubmitParameters?: string },
): RemotePlan {
  const script = renderPysparkEntry({ sql: sparkSql, runId: base.layout.runId, what: base.what === "features" ? "feature table" : base.what });
  return {
    ...base,
    engine: "emr-serverless",
    sql: sparkSql,
    staged: [
      { url: base.layout.script, body: script, contentType: "text/x-python" },
      { url: base.layout.query, body: sparkSql, contentType: "application/sql" },
    ],
    startJobRun: buildStartJobRunRequest({
      what: base.what,
      applicationId: emr.applicationId,
      executionRoleArn: emr.executionRoleArn,
      input: base.input,
      layout: base.layout,
      timeoutSeconds: base.timeoutSeconds,
      sparkSubmitParameters: emr.sparkSubmitParameters,
    }),
  };
}

/**
 * Plans an Athena run: database, external table, the query over clean events (the feature table, or
 * the time range), and for the feature table the cleaning counts.
 */
export function planAthena(base: PlanBase, trinoSql: string, target: AthenaTarget): RemotePlan {
  const table = athenaEventsTable(base.input);
  const sql = withCleanEvents(trinoSql, target.database, table);
  const token = (what: string): string => `sparkify-${base.layout.runId}-${what}`;
  const steps: AthenaStep[] = [
    { what: "database", request: buildStartQueryRequest(renderCreateDatabase(target.database), target, token("db")) },
    { what: "events table", request: buildStartQueryRequest(renderEventsTableDdl(target.database, table, base.input), target, token("table")) },
  ];
  if (base.what === "features") {
    steps.push(
      { what: "features", request: buildStartQueryRequest(sql, target, token("features")) },
      { what: "report", request: buildStartQueryRequest(renderAthenaReportQuery(target.database, table), target, token("report")) },
    );
  } else {
    steps.push({ what: "time range", request: buildStartQueryRequest(sql, target, token("range")) });
  }
  return { ...base, engine: "athena", sql, staged: [], athenaSteps: steps };
}
