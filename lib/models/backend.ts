import type * as TfModule from "@tensorflow/tfjs";

/** The TensorFlow.js backends we try, fastest first. */
export type TfBackendName = "tensorflow" | "wasm" | "cpu";

let loaded: typeof TfModule | undefined;

/** The @tensorflow/tfjs module, required on first use. */
function loadTf(): typeof TfModule {
  if (!loaded) loaded = require("@tensorflow/tfjs") as typeof TfModule;
  return loaded;
}

/**
 * TensorFlow.js, loaded on first use: only logistic regression needs it, so a process or worker thread
 * that fits or scores tree models alone never loads it (its require measured about 0.15 s of CPU per
 * thread here, before the backend's set-up). Use it as the module itself (`tf.matMul`).
 */
export const tf: typeof TfModule = new Proxy({} as typeof TfModule, {
  get: (_, key) => Reflect.get(loadTf(), key),
  has: (_, key) => Reflect.has(loadTf(), key),
});

let ready: Promise<TfBackendName> | undefined;
let announce = false;

/** Whether initBackend names its chosen backend on stderr: off unless asked for (the CLI turns it on). */
export function announceBackend(on: boolean): void {
  announce = on;
}

/**
 * Picks and initialises the TensorFlow.js backend once per process: tfjs-node ("tensorflow") where
 * it loads, otherwise the wasm backend, otherwise the plain JavaScript cpu backend. Names the choice
 * once on stderr only after `announceBackend(true)` (the CLI asks for it; a library caller stays quiet).
 * @returns the name of the active backend
 */
export function initBackend(): Promise<TfBackendName> {
  if (!ready) ready = chooseBackend();
  return ready;
}

/** The backend chosen by initBackend, or undefined before it ran. */
export function activeBackend(): string | undefined {
  return ready ? loadTf().getBackend() : undefined;
}

async function chooseBackend(): Promise<TfBackendName> {
  const chosen = (await tryNode()) ?? (await tryWasm()) ?? (await useCpu());
  // run the kernels logistic regression uses once, so the first fit does not pay their set-up
  tf.tidy(() => {
    const z = tf.matMul(tf.ones([4, 3]), tf.ones([3, 1]));
    tf.matMul(tf.reshape(tf.mul(tf.sigmoid(z), tf.softplus(z)), [1, 4]), tf.ones([4, 3])).dataSync();
    tf.sum(tf.sub(z, z)).dataSync();
  });
  if (announce) console.error(`[sparkify-churn] TensorFlow.js backend: ${chosen}`);
  return chosen;
}

async function tryNode(): Promise<TfBackendName | undefined> {
  try {
    // tfjs-node is optional: its install downloads libtensorflow, which fails offline. A variable
    // module name keeps bundlers and the type checker from requiring it to be present.
    const name = "@tensorflow/tfjs-node";
    require(name);
    if (await tf.setBackend("tensorflow")) return "tensorflow";
  } catch {
    // not installed or its native library does not load: fall through softly
  }
  return undefined;
}

async function tryWasm(): Promise<TfBackendName | undefined> {
  try {
    require("@tensorflow/tfjs-backend-wasm");
    if (await tf.setBackend("wasm")) {
      await tf.ready();
      return "wasm";
    }
  } catch {
    // wasm binary missing or not loadable: fall back to cpu
  }
  return undefined;
}

async function useCpu(): Promise<TfBackendName> {
  await tf.setBackend("cpu");
  await tf.ready();
  return "cpu";
}
