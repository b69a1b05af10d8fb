/** An error meant for the person running the tool: its message is printed without a stack trace. */
export class SparkifyError extends Error {
  /** A stable machine-readable code, e.g. "E_INPUT_MISSING". */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SparkifyError";
    this.code = code;
  }
}

/** Thrown by an estimator's predict methods before `fit` was called. */
export class NotFittedError extends SparkifyError {
  constructor(estimator: string) {
    super("E_NOT_FITTED", `${estimator} is not fitted yet: call fit(X, y) before predicting.`);
    this.name = "NotFittedError";
  }
}
