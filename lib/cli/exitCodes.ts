import { CommanderError } from "commander";
import { SparkifyError, type ErrorCode } from "../errors";

/**
 * The CLI's exit statuses: sysexits.h where one fits, so scripts can tell "fix the command" from "fix the
 * data" from "try again". docs/errors.md lists them with every code.
 */
export const EXIT = {
  ok: 0,
  /** A notebook cell failed (papermill's convention). */
  notebookFailed: 1,
  /** The command line is wrong: a flag, a parameter, a setting (commander's own errors too). */
  usage: 2,
  /** EX_DATAERR: the input data (events, features, a model file, a notebook) is wrong or not enough. */
  data: 65,
  /** EX_NOINPUT: an input does not exist. */
  noInput: 66,
  /** EX_UNAVAILABLE: a program or service the work needs is missing or failed. */
  unavailable: 69,
  /** EX_SOFTWARE: a bug (an internal error, a crashed worker, or a program calling the library wrongly). */
  software: 70,
  /** EX_CANTCREAT: an output path is refused (it is an input, a folder of other files, ...). */
  cantCreate: 73,
  /** EX_IOERR: reading or writing failed (disk full, permission, network transfer). */
  io: 74,
  /** EX_TEMPFAIL: worth trying again (a busy run folder, an input that changed, a time limit). */
  tempFail: 75,
  /** EX_NOPERM: access denied. */
  noPerm: 77,
  /** Stopped on request (128 + SIGINT, as a shell reports Ctrl-C). */
  interrupted: 130,
} as const;

/** One of the statuses in EXIT. */
export type ExitStatus = (typeof EXIT)[keyof typeof EXIT];

/** The exit status for each error code: the one table the CLI reads (docs/errors.md shows it per code). */
export const EXIT_CODES: Readonly<Record<ErrorCode, ExitStatus>> = {
  E_BAD_OPTION: EXIT.usage,
  E_BAD_PARAM: EXIT.usage,
  E_BAD_S3_URL: EXIT.usage,
  E_REMOTE_CONFIG: EXIT.usage,
  E_BAD_INPUT: EXIT.data,
  E_EMPTY_INPUT: EXIT.data,
  E_TOO_FEW: EXIT.data,
  E_INPUT_FORMAT: EXIT.data,
  E_INPUT_INCOMPLETE: EXIT.data,
  E_GZIP_CORRUPT: EXIT.data,
  E_TOO_MANY_BAD_LINES: EXIT.data,
  E_MODEL_DAMAGED: EXIT.data,
  E_MODEL_KIND: EXIT.data,
  E_MODEL_VERSION: EXIT.data,
  E_NOTEBOOK_INVALID: EXIT.data,
  E_NOTEBOOK_STOP: EXIT.data,
  E_RUN_MANIFEST: EXIT.data,
  E_REMOTE_OUTPUT: EXIT.data,
  E_INPUT_MISSING: EXIT.noInput,
  E_NOTEBOOK_MISSING: EXIT.noInput,
  E_S3_NO_BUCKET: EXIT.noInput,
  E_TOOL_MISSING: EXIT.unavailable,
  E_JUPYTER_FAILED: EXIT.unavailable,
  E_REMOTE_FAILED: EXIT.unavailable,
  E_REMOTE_REQUEST: EXIT.unavailable,
  E_S3_UNREACHABLE: EXIT.unavailable,
  E_INTERNAL: EXIT.software,
  E_WORKER: EXIT.software,
  E_REPORT_MISMATCH: EXIT.software,
  E_BUILD_FAILED: EXIT.software,
  E_NOT_FITTED: EXIT.software,
  E_NOT_IN_NOTEBOOK: EXIT.software,
  E_OUTPUT_REFUSED: EXIT.cantCreate,
  E_CACHE: EXIT.cantCreate,
  E_WRITE_FAILED: EXIT.io,
  E_INPUT_UNREADABLE: EXIT.io,
  E_S3_REQUEST: EXIT.io,
  E_S3_TRANSFER: EXIT.io,
  E_S3_CORRUPT: EXIT.io,
  E_RUN_LOCKED: EXIT.tempFail,
  E_INPUT_CHANGED: EXIT.tempFail,
  E_REMOTE_TIMEOUT: EXIT.tempFail,
  E_S3_ACCESS_DENIED: EXIT.noPerm,
  E_REMOTE_CANCELLED: EXIT.interrupted,
  E_NOTEBOOK_FAILED: EXIT.notebookFailed,
};

/** The exit status for an error code. */
export function exitStatusFor(code: ErrorCode): ExitStatus {
  return EXIT_CODES[code];
}

/**
 * What the CLI prints for an error that ended a command, and the status it exits with. A SparkifyError is
 * one message naming its code; an internal error or any other exception is a bug and keeps its stack.
 */
export function describeFatal(err: unknown): { text: string; status: number } {
  if (err instanceof CommanderError) {
    // commander printed the message (or the help) already; --help and --version exit 0.
    return { text: "", status: err.exitCode === 0 ? EXIT.ok : EXIT.usage };
  }
  if (err instanceof SparkifyError && err.code !== "E_INTERNAL") {
    // The code ends the message, after any lines it lists (a notebook's parameters, say).
    return { text: `sparkify-churn: ${err.message.trimEnd()} [${err.code}]\n`, status: exitStatusFor(err.code) };
  }
  const detail = err instanceof Error ? err.stack ?? err.message : String(err);
  const what = err instanceof SparkifyError ? `internal error [${err.code}]` : "unexpected error";
  return { text: `sparkify-churn: ${what}, a bug: please report it with these lines: ${detail}\n`, status: EXIT.software };
}
