import { SparkifyError, type ErrorCode } from "../../errors";
import { writeFileAtomic } from "../../io/atomicWrite";
import { refuseDegenerate } from "./refuseDegenerate";
import { ProbabilityCalibrator } from "../calibration";
import { FeatureEncoder, type SavedEncoder } from "../encoding";
import type { SavedModel } from "../types";
import { BUNDLE_FORMAT_VERSION, type ModelBundle, type SavedBundle } from "./ModelBundle";
import { modelFamily, type ModelKind } from "./modelRegistry";

/** The JSON-serialisable form of a bundle. */
export function bundleToJSON(bundle: ModelBundle): SavedBundle {
  const { calibrator, ...rest } = bundle;
  return { ...rest, formatVersion: BUNDLE_FORMAT_VERSION, encoder: bundle.encoder.toJSON(), model: bundle.model.toJSON(), ...(calibrator ? { calibrator: calibrator.toJSON() } : {}) };
}

/** Writes a bundle as JSON (creating the folder), atomically through a temporary file. */
export function saveModel(file: string, bundle: ModelBundle): void {
  writeFileAtomic(file, JSON.stringify(bundleToJSON(bundle)));
}

/** Rebuilds a bundle from its JSON form; `source` names the file in error messages. */
export function bundleFromJSON(raw: unknown, source: string): ModelBundle {
  const fail = (why: string, code: ErrorCode = "E_MODEL_DAMAGED"): never => {
    throw new SparkifyError(code, `${source}: ${why}`);
  };
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) fail("not a model bundle (expected a JSON object)");
  const b = raw as Partial<SavedBundle>;
  if (b.formatVersion !== BUNDLE_FORMAT_VERSION) {
    fail(`model format version ${JSON.stringify(b.formatVersion)} is not supported by this version of sparkify-churn (it reads version ${BUNDLE_FORMAT_VERSION}); retrain the model`, "E_MODEL_VERSION");
  }
  if (typeof b.kind !== "string") fail("field \"kind\" is missing");
  if (!b.model || typeof b.model !== "object") fail("field \"model\" is missing");
  if (!b.encoder || typeof b.encoder !== "object") fail("field \"encoder\" is missing");
  if ((b.model as SavedModel).kind !== b.kind) fail(`bundle kind "${b.kind}" does not match its model's kind "${(b.model as SavedModel).kind}"`);
  if (typeof b.threshold !== "number" || !(b.threshold >= 0 && b.threshold <= 1)) fail("field \"threshold\" must be a number in [0, 1]");
  if (!Array.isArray(b.featureColumns)) fail("field \"featureColumns\" must be an array");
  refuseDegenerate(b.model as SavedModel, source);
  let model;
  let encoder;
  let calibrator;
  try {
    model = modelFamily(b.kind as string).fromJSON(b.model as SavedModel);
    encoder = FeatureEncoder.fromJSON(b.encoder as SavedEncoder);
    calibrator = b.calibrator === undefined ? undefined : ProbabilityCalibrator.fromJSON(b.calibrator);
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err), err instanceof SparkifyError ? err.code : "E_MODEL_DAMAGED");
  }
  const enc = encoder as FeatureEncoder;
  const cols = enc.columnNames;
  if (cols.length !== (b.featureColumns as string[]).length || cols.some((c, j) => c !== (b.featureColumns as string[])[j])) {
    fail("the encoder's columns differ from featureColumns (damaged file?)");
  }
  return {
    formatVersion: BUNDLE_FORMAT_VERSION,
    kind: b.kind as ModelKind,
    encoder: enc,
    model: model as NonNullable<typeof model>,
    threshold: b.threshold as number,
    featureColumns: b.featureColumns as string[],
    trainedAt: String(b.trainedAt ?? ""),
    mode: String(b.mode ?? ""),
    cutoff: (b.cutoff ?? null) as ModelBundle["cutoff"],
    horizon: (b.horizon ?? null) as number | null,
    label: b.label,
    metrics: (b.metrics ?? {}) as Record<string, number>,
    ...(calibrator ? { calibrator } : {}),
    ...(b.typical && typeof b.typical === "object" ? { typical: b.typical } : {}),
    ...(Array.isArray(b.excludedAttributes) ? { excludedAttributes: b.excludedAttributes.map(String) } : {}),
  };
}
