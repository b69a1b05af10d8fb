import type { RemoteLogger } from "./types";

/**
 * A logger on stderr: progress lines overwrite each other on a terminal and are printed only when
 * they change elsewhere (so CI logs keep one line per state change, not one per poll).
 */
export function stderrLogger(stream: NodeJS.WriteStream = process.stderr): RemoteLogger {
  let last = "";
  let open = false;
  const endProgress = (): void => {
    if (open) stream.write("\n");
    open = false;
  };
  return {
    info(m) {
      endProgress();
      stream.write(`${m}\n`);
    },
    warn(m) {
      endProgress();
      stream.write(`warning: ${m}\n`);
    },
    progress(m) {
      if (stream.isTTY) {
        stream.write(`\r${m}\x1b[K`);
        open = true;
      } else {
        // Compare without the elapsed time, which changes on every poll.
        const key = m.replace(/ after .*$/, "");
        if (key !== last) stream.write(`${m}\n`);
        last = key;
      }
    },
  };
}
