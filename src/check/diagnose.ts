/**
 * Why a text is not one Pulumi JSON document, in terms of what the user probably ran: what
 * the file looks like (progress output, YAML, HTML, binary, JSON lines of engine events or
 * of a gRPC log) and what to run instead.
 */
import { isObject } from "./shape";
import type { JsonObject } from "./shape";

export const HOW_TO = "expected the output of `pulumi preview --json` or of `pulumi stack export`";

const RUN_PREVIEW =
  "run `pulumi preview --json > preview.json` (one JSON document) to check a change, or " +
  "`pulumi stack export > state.json` to audit what is deployed";

/** The problem with a text that JSON.parse refused. */
export function diagnoseJson(text: string, error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  if (!text.startsWith("{") && !text.startsWith("[")) {
    return `is not JSON: it ${looksLike(text)}; ${HOW_TO}`;
  }
  const lines = jsonLines(text);
  if (lines !== undefined) return describeJsonLines(lines);
  if (/end of (json )?input|unterminated|Unexpected end/i.test(reason)) {
    return `is truncated (the JSON ends early: ${reason}); write the whole output to the file again`;
  }
  return `is not valid JSON (${reason}); ${HOW_TO}`;
}

/** What a text that is not JSON resembles, as a phrase after "it". */
function looksLike(text: string): string {
  const head = text.slice(0, 4096);
  // eslint-disable-next-line no-control-regex -- looking for control bytes is the point
  if (/[\u0000-\u0008\u000e-\u001f]/.test(head)) {
    return "looks like binary data (an archive, an image, or a file in another encoding)";
  }
  if (
    /^(Previewing|Updating|Destroying|Refreshing|Importing) (update|destroy|refresh|import)?/m.test(
      head,
    ) ||
    /^\s+Type\s+Name\s+(Plan|Status)/m.test(head) ||
    /^(Resources|Outputs|Duration):/m.test(head)
  ) {
    return (
      "looks like the progress output of `pulumi preview` or `pulumi up` (did you forget " +
      "`--json`, or capture the terminal?)"
    );
  }
  if (/^\s*</.test(head)) return "looks like HTML or XML (a web page, a proxy's error page?)";
  if (/^(---|#|%YAML)/.test(head) || /^[\w.-]+:(\s|$)/m.test(head)) {
    return "looks like YAML (a Pulumi.yaml, a stack config or the workflow registry?)";
  }
  const first = head.split("\n", 1)[0]!.slice(0, 40);
  return `starts with ${JSON.stringify(first)}`;
}

/** The objects of a JSON-lines text, or undefined when it is not one object per line. */
function jsonLines(text: string): JsonObject[] | undefined {
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  if (lines.length < 2) return undefined;
  const objects: JsonObject[] = [];
  for (const line of lines) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return undefined;
    }
    if (!isObject(value)) return undefined;
    objects.push(value);
  }
  return objects;
}

/**
 * Engine events (apitype.EngineEvent: `{sequence, timestamp, <kind>Event}`) are what
 * `pulumi up --json`, `--event-log` and the streaming preview write; a preview's are marked
 * (`resourcePreEvent.planning`, `summaryEvent.isPreview`). A PULUMI_DEBUG_GRPC log holds one
 * `{method: "/pulumirpc.<Service>/<Method>", request, response}` per call.
 */
function describeJsonLines(objects: readonly JsonObject[]): string {
  if (objects.some((o) => typeof o.method === "string" && o.method.startsWith("/pulumirpc."))) {
    return (
      "is a gRPC log (PULUMI_DEBUG_GRPC): the engine's calls to the language host and " +
      `providers, not a document of the resources; ${RUN_PREVIEW}`
    );
  }
  const events = objects.filter((o) => typeof o.sequence === "number" && "timestamp" in o);
  if (events.length > 0) {
    const planning = events.some(
      (e) =>
        (isObject(e.resourcePreEvent) && e.resourcePreEvent.planning === true) ||
        (isObject(e.summaryEvent) && e.summaryEvent.isPreview === true),
    );
    const applied = events.some(
      (e) =>
        (isObject(e.resourcePreEvent) && e.resourcePreEvent.planning !== true) ||
        (isObject(e.summaryEvent) && e.summaryEvent.isPreview === false),
    );
    if (applied && !planning) {
      return (
        "holds the engine events of an update (`pulumi up --json`, or an `--event-log` file), " +
        `one JSON object per line; ${RUN_PREVIEW}`
      );
    }
    if (planning) {
      return (
        "holds the streaming engine events of a preview (PULUMI_ENABLE_STREAMING_JSON_PREVIEW); " +
        "unset it and run `pulumi preview --json > preview.json` again"
      );
    }
    return `holds engine events, one JSON object per line (\`pulumi up --json\`, \`--event-log\` or a streaming preview); ${RUN_PREVIEW}`;
  }
  return `holds one JSON object per line, not one document; ${RUN_PREVIEW}`;
}
