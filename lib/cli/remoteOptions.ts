import { Command, Option } from "commander";
import { ENGINES, type EngineName, type RemoteSettings } from "../remote";
import { parseChoice, parseNumber } from "./parsers";

/** The flags registerRemoteOptions adds, as commander parses them. */
export interface RemoteFlags {
  engine?: EngineName;
  region?: string;
  emrApplication?: string;
  emrRole?: string;
  emrLogUri?: string;
  sparkSubmitParameters?: string;
  staging?: string;
  athenaDatabase?: string;
  athenaWorkgroup?: string;
  athenaOutput?: string;
  timeout?: number;
  poll?: number;
  dryRun?: boolean;
  emrEndpoint?: string;
  athenaEndpoint?: string;
  s3Endpoint?: string;
}

/** The option table: flags, help and environment variable (one table for flags and environment). */
function remoteOptionTable(): Option[] {
  return [
    new Option("--engine <engine>", "where the features are computed: duckdb (embedded), emr-serverless (Spark) or athena")
      .argParser(parseChoice("--engine", ENGINES)).env("SPARKIFY_ENGINE"),
    new Option("--region <region>", "AWS region of the remote engine (else AWS_DEFAULT_REGION)").env("AWS_REGION"),
    new Option("--emr-application <id>", "EMR Serverless application id (Spark)").env("SPARKIFY_EMR_APPLICATION"),
    new Option("--emr-role <arn>", "IAM execution role of the EMR Serverless job").env("SPARKIFY_EMR_ROLE"),
    new Option("--emr-log-uri <s3url>", "where Spark logs go (default <staging>/logs/)").env("SPARKIFY_EMR_LOG_URI"),
    new Option("--spark-submit-parameters <text>", 'extra spark-submit parameters, e.g. "--conf spark.executor.cores=4"').env("SPARKIFY_SPARK_SUBMIT_PARAMETERS"),
    new Option("--staging <s3url>", "S3 prefix for the staged script, the job output and logs").env("SPARKIFY_STAGING"),
    new Option("--athena-database <name>", "Athena database for the external events table (default sparkify)").env("SPARKIFY_ATHENA_DATABASE"),
    new Option("--athena-workgroup <name>", "Athena workgroup (default primary)").env("SPARKIFY_ATHENA_WORKGROUP"),
    new Option("--athena-output <s3url>", "Athena query results location (default <staging>/athena/)").env("SPARKIFY_ATHENA_OUTPUT"),
    new Option("--timeout <seconds>", "time limit of the remote job or queries; past it they are stopped (default 3600)")
      .argParser(parseNumber("--timeout", 1)).env("SPARKIFY_REMOTE_TIMEOUT"),
    new Option("--poll <seconds>", "seconds between state polls of the remote job (default 10)")
      .argParser(parseNumber("--poll", 0.01)).env("SPARKIFY_REMOTE_POLL"),
    new Option("--dry-run", "print the rendered SQL, the staged script and the requests, with <…: not given> for settings not given; send nothing"),
    new Option("--emr-endpoint <url>", "EMR Serverless endpoint override").env("AWS_ENDPOINT_URL_EMR_SERVERLESS"),
    new Option("--athena-endpoint <url>", "Athena endpoint override").env("AWS_ENDPOINT_URL_ATHENA"),
    new Option("--s3-endpoint <url>", "S3 endpoint override (S3-compatible stores)").env("AWS_ENDPOINT_URL_S3"),
  ];
}

/**
 * Adds the remote-engine flags (each also read from an environment variable) to a command. A flag
 * the command already has (e.g. --s3-endpoint from the store) is left as it is.
 */
export function registerRemoteOptions(command: Command): Command {
  for (const opt of remoteOptionTable()) {
    if (command.options.some((o) => o.long === opt.long)) continue;
    command.addOption(opt);
  }
  return command;
}

/** The remote settings object (lib/remote's RemoteSettings) from parsed flags. */
export function remoteSettingsFromFlags(flags: RemoteFlags): RemoteSettings {
  const endpoints = { emrServerless: flags.emrEndpoint, athena: flags.athenaEndpoint, s3: flags.s3Endpoint };
  const settings: RemoteSettings = {
    // AWS_REGION is the option's variable; the AWS SDK's older name is the fallback.
    region: flags.region || process.env.AWS_DEFAULT_REGION || undefined,
    endpoints: Object.values(endpoints).some(Boolean) ? endpoints : undefined,
    applicationId: flags.emrApplication,
    executionRoleArn: flags.emrRole,
    emrLogUri: flags.emrLogUri,
    sparkSubmitParameters: flags.sparkSubmitParameters,
    staging: flags.staging,
    athenaDatabase: flags.athenaDatabase,
    athenaWorkgroup: flags.athenaWorkgroup,
    athenaOutput: flags.athenaOutput,
    timeoutSeconds: flags.timeout,
    pollSeconds: flags.poll,
    dryRun: flags.dryRun === true ? true : undefined,
  };
  // Only the settings given: run.json records this object, and absent ones mean "the default".
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as RemoteSettings;
}

/**
 * The remote settings from their environment variables alone (SPARKIFY_*, AWS_REGION or AWS_DEFAULT_REGION,
 * AWS_ENDPOINT_URL_*), read through the same option table as the flags, for callers without a
 * command line (a notebook). The engine is the caller's choice, not a setting.
 */
export function remoteSettingsFromEnv(): RemoteSettings {
  const cmd = registerRemoteOptions(new Command("env").exitOverride().allowUnknownOption());
  cmd.parse([], { from: "user" });
  return remoteSettingsFromFlags(cmd.opts<RemoteFlags>());
}
