/**
 * Reads a Pulumi JSON document from text or bytes: detects whether it is `pulumi preview
 * --json`, `pulumi stack export` or a DIY checkpoint, and turns it into the resources to check.
 * Every failure is a `PulumiDocumentError` with a one-line message that says what to do.
 */
import { decodeDocument, MAX_DOCUMENT_BYTES, tooLarge } from "./decode";
import { diagnoseJson, HOW_TO } from "./diagnose";
import { readPreview } from "./preview";
import { isObject, RefusedError, ShapeError } from "./shape";
import type { JsonObject } from "./shape";
import {
  DEPLOYMENT_FEATURES,
  DEPLOYMENT_VERSIONS,
  readCheckpointConfig,
  readDeployment,
} from "./stack-export";
import { PulumiDocumentError } from "./types";
import type { PulumiFormat, ReadResult } from "./types";

/** Keys of PreviewDigest; each may be absent, but a preview has at least one of them. */
const PREVIEW_KEYS = ["steps", "changeSummary", "diagnostics", "duration"] as const;

/**
 * @param input the document: bytes as read from the file (any encoding `decodeDocument`
 *   takes), or text already decoded
 * @param source its name in messages (a file path)
 */
export function readPulumiDocument(input: string | Uint8Array, source: string): ReadResult {
  const text = typeof input === "string" ? input : decodeDocument(input, source);
  if (text.length > MAX_DOCUMENT_BYTES) throw tooLarge(source);
  const doc = parseJson(text, source);
  const format = detectFormat(doc, source);
  try {
    switch (format) {
      case "preview":
        return readPreview(doc);
      case "stack-export":
        checkVersion(doc, source);
        return readDeployment(
          requireDeployment(doc.deployment, "deployment", source),
          "deployment",
          format,
          undefined,
        );
      case "checkpoint": {
        checkVersion(doc, source);
        const checkpoint = doc.checkpoint as JsonObject;
        const latest = checkpoint.latest;
        return readDeployment(
          latest === null || latest === undefined
            ? undefined
            : requireDeployment(latest, "checkpoint.latest", source),
          "checkpoint.latest",
          format,
          readCheckpointConfig(checkpoint.config),
        );
      }
    }
  } catch (error) {
    if (error instanceof RefusedError) {
      throw new PulumiDocumentError(source, error.message, { cause: error });
    }
    if (error instanceof ShapeError) {
      throw new PulumiDocumentError(
        source,
        `${error.message} (is the file a complete ${format === "preview" ? "`pulumi preview --json` output" : "state export"}?)`,
        { cause: error },
      );
    }
    throw error;
  }
}

function parseJson(text: string, source: string): JsonObject {
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  if (trimmed === "") throw new PulumiDocumentError(source, `is empty; ${HOW_TO}`);
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (error) {
    throw new PulumiDocumentError(source, diagnoseJson(trimmed, error), { cause: error });
  }
  if (!isObject(value)) {
    throw new PulumiDocumentError(
      source,
      `holds a JSON ${value === null ? "null" : Array.isArray(value) ? "array" : typeof value}, not an object; ${HOW_TO}`,
    );
  }
  return value;
}

function detectFormat(doc: JsonObject, source: string): PulumiFormat {
  if (Object.hasOwn(doc, "deployment")) return "stack-export";
  if (isObject(doc.checkpoint)) return "checkpoint";
  if (PREVIEW_KEYS.some((key) => Object.hasOwn(doc, key))) return "preview";
  // The first checkpoints (Pulumi 0.x, before `version`): `{target, config?, latest}`.
  if (Object.hasOwn(doc, "latest") && Object.hasOwn(doc, "target")) {
    throw new PulumiDocumentError(
      source,
      "is a version 0 checkpoint (`{target, latest}`, written by Pulumi 0.x), which this tool " +
        "does not read; run `pulumi stack export > state.json` with a current Pulumi CLI (it " +
        "upgrades the state) and check that",
    );
  }
  const keys = Object.keys(doc);
  throw new PulumiDocumentError(
    source,
    `is neither a preview (no "steps") nor a state export (no "deployment" or "checkpoint")` +
      (keys.length > 0 ? `; its top-level keys are ${keys.slice(0, 8).join(", ")}` : "") +
      `; ${HOW_TO}`,
  );
}

function checkVersion(doc: JsonObject, source: string): void {
  const version = doc.version;
  if (typeof version !== "number" || !DEPLOYMENT_VERSIONS.includes(version)) {
    throw new PulumiDocumentError(
      source,
      typeof version === "number"
        ? `is a version ${version} state export; this tool reads versions ${DEPLOYMENT_VERSIONS.join(", ")} (upgrade ai-spend-guard)`
        : `has no numeric "version"; a state export starts with {"version": 3, "deployment": ...}`,
    );
  }
  const features = Array.isArray(doc.features) ? (doc.features as unknown[]) : [];
  const unknown = features.filter((f) => typeof f !== "string" || !DEPLOYMENT_FEATURES.includes(f));
  if (unknown.length > 0) {
    throw new PulumiDocumentError(
      source,
      `uses state feature(s) this version of ai-spend-guard does not know: ` +
        `${unknown.map((f) => JSON.stringify(f)).join(", ")} (it knows ${DEPLOYMENT_FEATURES.join(", ")}); ` +
        `Pulumi itself refuses such a state, as its resources may not read as they did: upgrade ai-spend-guard`,
    );
  }
}

function requireDeployment(value: unknown, path: string, source: string): JsonObject {
  if (isObject(value)) return value;
  throw new PulumiDocumentError(source, `${path} is not an object; ${HOW_TO}`);
}
