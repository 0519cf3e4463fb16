/**
 * Reads a Pulumi JSON document from text: detects whether it is `pulumi preview --json`,
 * `pulumi stack export` or a DIY checkpoint, and turns it into the resources to check.
 * Every failure is a `PulumiDocumentError` with a one-line message that says what to do.
 */
import { readPreview } from "./preview";
import { isObject, ShapeError } from "./shape";
import type { JsonObject } from "./shape";
import { DEPLOYMENT_VERSIONS, readCheckpointConfig, readDeployment } from "./stack-export";
import { PulumiDocumentError } from "./types";
import type { PulumiFormat, ReadResult } from "./types";

/** Keys of PreviewDigest; each may be absent, but a preview has at least one of them. */
const PREVIEW_KEYS = ["steps", "changeSummary", "diagnostics", "duration"] as const;

const HOW_TO = "expected the output of `pulumi preview --json` or of `pulumi stack export`";

/**
 * @param text the document
 * @param source its name in messages (a file path)
 */
export function readPulumiDocument(text: string, source: string): ReadResult {
  const doc = parseJson(text, source);
  const format = detectFormat(doc, source);
  try {
    switch (format) {
      case "preview":
        return readPreview(doc);
      case "stack-export":
        checkVersion(doc.version, source);
        return readDeployment(
          requireDeployment(doc.deployment, "deployment", source),
          "deployment",
          format,
          undefined,
        );
      case "checkpoint": {
        checkVersion(doc.version, source);
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
      `holds a JSON ${Array.isArray(value) ? "array" : typeof value}, not an object; ${HOW_TO}`,
    );
  }
  return value;
}

/** Why the text is not one JSON document, in terms of what the user probably did. */
function diagnoseJson(text: string, error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  if (!text.startsWith("{") && !text.startsWith("[")) {
    return `is not JSON (did you forget \`--json\` on \`pulumi preview\`, or capture its progress output?); ${HOW_TO}`;
  }
  const lines = text.split("\n");
  if (lines.length > 1 && lines.every((line) => line.trim() === "" || isJsonObjectLine(line))) {
    return (
      "holds one JSON object per line (the streaming engine events of " +
      "PULUMI_ENABLE_STREAMING_JSON_PREVIEW); unset it and run `pulumi preview --json` again"
    );
  }
  if (/end of (json )?input|unterminated|Unexpected end/i.test(reason)) {
    return `is truncated (the JSON ends early: ${reason}); write the whole output to the file again`;
  }
  return `is not valid JSON (${reason}); ${HOW_TO}`;
}

function isJsonObjectLine(line: string): boolean {
  try {
    return isObject(JSON.parse(line));
  } catch {
    return false;
  }
}

function detectFormat(doc: JsonObject, source: string): PulumiFormat {
  if (doc.deployment !== undefined) return "stack-export";
  if (isObject(doc.checkpoint)) return "checkpoint";
  if (PREVIEW_KEYS.some((key) => doc[key] !== undefined)) return "preview";
  const keys = Object.keys(doc);
  throw new PulumiDocumentError(
    source,
    `is neither a preview (no "steps") nor a state export (no "deployment" or "checkpoint")` +
      (keys.length > 0 ? `; its top-level keys are ${keys.slice(0, 8).join(", ")}` : "") +
      `; ${HOW_TO}`,
  );
}

function checkVersion(version: unknown, source: string): void {
  if (typeof version === "number" && DEPLOYMENT_VERSIONS.includes(version)) return;
  throw new PulumiDocumentError(
    source,
    typeof version === "number"
      ? `is a version ${version} state export; this tool reads versions ${DEPLOYMENT_VERSIONS.join(", ")} (upgrade ai-spend-guard)`
      : `has no numeric "version"; a state export starts with {"version": 3, "deployment": ...}`,
  );
}

function requireDeployment(value: unknown, path: string, source: string): JsonObject {
  if (isObject(value)) return value;
  throw new PulumiDocumentError(source, `${path} is not an object; ${HOW_TO}`);
}
