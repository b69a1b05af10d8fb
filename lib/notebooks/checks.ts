import { SparkifyError } from "../errors";

/** A notebook stopped on purpose: the input cannot support the next step (the reason says why, in words). */
export class NotebookStop extends SparkifyError {
  constructor(reason: string) {
    super("E_NOTEBOOK_STOP", reason);
    this.name = "NotebookStop";
  }
}

/** Stops the notebook with `reason` when `condition` holds (the runner names the notebook and cell). */
export function stopIf(condition: boolean, reason: string): void {
  if (condition) throw new NotebookStop(reason);
}
