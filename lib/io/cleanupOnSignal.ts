/** Clean-ups to run if the process is interrupted (SIGINT, SIGTERM, SIGHUP) before they are removed. */
const cleanups = new Set<() => void>();
const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
let installed = false;

function onSignal(signal: NodeJS.Signals): void {
  // Someone else handles this signal (a Jupyter kernel interrupting a cell): the process goes on,
  // so its files and locks must stay.
  if (process.listenerCount(signal) > 1) return;
  for (const fn of [...cleanups].reverse()) {
    try {
      fn();
    } catch {
      // one failed clean-up must not stop the others
    }
  }
  cleanups.clear();
  uninstall();
  // Die of the same signal, as without the handler (exit status 128 + signal number).
  process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const s of SIGNALS) process.on(s, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  for (const s of SIGNALS) process.off(s, onSignal);
}

/**
 * Registers a synchronous clean-up (remove a temporary file, release a lock) run if the process is
 * interrupted; returns the function that unregisters it. With nothing registered, the signals keep
 * their default behaviour.
 */
export function cleanupOnSignal(fn: () => void): () => void {
  cleanups.add(fn);
  install();
  return () => {
    cleanups.delete(fn);
    if (cleanups.size === 0) uninstall();
  };
}
