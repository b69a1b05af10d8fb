import { SparkifyError } from "../errors";

/**
 * Runs one AWS call of a remote engine and names the service, the call and what it was for when it
 * fails (E_REMOTE_REQUEST, the SDK's error as the cause); SparkifyErrors pass through as they are.
 */
export async function remoteCall<T>(service: string, call: string, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof SparkifyError) throw err;
    const name = (err as { name?: string }).name ?? "Error";
    throw new SparkifyError("E_REMOTE_REQUEST", `${service} ${call} (${what}) failed: ${name}: ${(err as Error).message}`, { cause: err });
  }
}
