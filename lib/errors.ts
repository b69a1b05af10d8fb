/**
 * Every error code sparkify-churn raises, one closed list. Each is documented once, with what happened and
 * what to do, in docs/errors.md (a test checks the two lists agree both ways); the CLI's exit status for each
 * is in lib/cli/exitCodes.ts. To add a code: add it here, give it a row in docs/errors.md and an exit status
 * in lib/cli/exitCodes.ts (tsc names the missing entry). Reuse a code where one fits.
 */
export const ERROR_CODES = [
  // The command line or the options given to a function.
  "E_BAD_OPTION",
  "E_BAD_PARAM",
  "E_BAD_S3_URL",
  "E_REMOTE_CONFIG",
  // The data given is wrong or not enough.
  "E_BAD_INPUT",
  "E_EMPTY_INPUT",
  "E_TOO_FEW",
  "E_INPUT_FORMAT",
  "E_INPUT_INCOMPLETE",
  "E_GZIP_CORRUPT",
  "E_TOO_MANY_BAD_LINES",
  "E_MODEL_DAMAGED",
  "E_MODEL_KIND",
  "E_MODEL_VERSION",
  "E_NOTEBOOK_INVALID",
  "E_NOTEBOOK_STOP",
  "E_RUN_MANIFEST",
  "E_REMOTE_OUTPUT",
  // Something to read is not there.
  "E_INPUT_MISSING",
  "E_NOTEBOOK_MISSING",
  "E_S3_NO_BUCKET",
  // A program or service the work needs is missing or failed.
  "E_TOOL_MISSING",
  "E_JUPYTER_FAILED",
  "E_REMOTE_FAILED",
  "E_REMOTE_REQUEST",
  "E_S3_UNREACHABLE",
  // A bug, here or in a program calling the library.
  "E_INTERNAL",
  "E_WORKER",
  "E_REPORT_MISMATCH",
  "E_BUILD_FAILED",
  "E_NOT_FITTED",
  "E_NOT_IN_NOTEBOOK",
  // An output that must not or cannot be written.
  "E_OUTPUT_REFUSED",
  "E_CACHE",
  // Reading or writing failed.
  "E_WRITE_FAILED",
  "E_INPUT_UNREADABLE",
  "E_S3_REQUEST",
  "E_S3_TRANSFER",
  "E_S3_CORRUPT",
  // Worth trying again.
  "E_RUN_LOCKED",
  "E_INPUT_CHANGED",
  "E_REMOTE_TIMEOUT",
  // Not allowed.
  "E_S3_ACCESS_DENIED",
  // Stopped on request.
  "E_REMOTE_CANCELLED",
  // A notebook cell failed.
  "E_NOTEBOOK_FAILED",
] as const;

/** One of the documented error codes (docs/errors.md); tsc rejects any other string. */
export type ErrorCode = (typeof ERROR_CODES)[number];

const KNOWN = new Set<string>(ERROR_CODES);

/** True if `code` is one of ERROR_CODES (e.g. a code that came back from a worker thread as a string). */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && KNOWN.has(code);
}

/** An error meant for the person running the tool: its message is printed without a stack trace. */
export class SparkifyError extends Error {
  /** A stable machine-readable code from ERROR_CODES, e.g. "E_INPUT_MISSING". */
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SparkifyError";
    this.code = code;
  }
}

/**
 * A broken invariant: a bug in sparkify-churn, never something the user did or can fix (code E_INTERNAL;
 * the CLI prints it with its stack trace and asks for a report). Use it only where no input, option or
 * environment can lead; anything a user can reach gets a SparkifyError with a code that says what to do.
 */
export function internalError(message: string, options?: { cause?: unknown }): SparkifyError {
  return new SparkifyError("E_INTERNAL", message, options);
}

/** Thrown by an estimator's predict methods before `fit` was called. */
export class NotFittedError extends SparkifyError {
  /** `fitCall` names the call that fits this estimator, e.g. "fit(rows, dictionary)" for the encoder. */
  constructor(estimator: string, fitCall = "fit(X, y)") {
    super("E_NOT_FITTED", `${estimator} is not fitted yet: call ${fitCall} before predicting.`);
    this.name = "NotFittedError";
  }
}
