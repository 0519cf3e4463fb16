import { describe, expect, it } from "vitest";
import { publishRun } from "../../src/reconciler";
import type { Publisher, ReportStore } from "../../src/reconciler";
import type { Message } from "../../src/reconciler";
import { runReconciliation } from "../../src/reconciler";
import { memorySource, REGISTRY_TEXT, row, testRegistry } from "./fixtures";

function memoryStore(): ReportStore & { objects: Map<string, string> } {
  const objects = new Map<string, string>();
  return {
    objects,
    get: async (key) => objects.get(key),
    putIfAbsent: async (key, body) => {
      if (objects.has(key)) return "exists";
      objects.set(key, body);
      return "written";
    },
  };
}

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe("publishRun", () => {
  it("delivers to owners whose addresses differ only in letter case (SNS filters match exactly)", async () => {
    // Two registered owners; the subscription filter policy on `owner` is case-sensitive, so
    // each address is its own subscriber and must get its own digest.
    const registry = testRegistry(
      REGISTRY_TEXT.replace("owner: priya@example.com", "owner: Dana@example.com"),
    );
    const sent: Message[] = [];
    const publisher: Publisher = {
      publish: async (message) => {
        sent.push(message);
        return { messageId: `m${sent.length}` };
      },
    };
    const outcome = await publishRun({
      runDate: "2026-11-28",
      prefix: "reports/",
      registry,
      store: memoryStore(),
      publisher,
      log: silent,
      compute: () =>
        runReconciliation({
          registry,
          source: memorySource([row("2026-11-03", "invoice-matching", "Amazon Bedrock", "600")]),
          runDate: "2026-11-28",
        }),
    });
    expect(outcome.complete).toBe(true);
    expect(sent.map((m) => m.recipient)).toEqual([
      "dana@example.com",
      "Dana@example.com",
      "sam@example.com",
      "finops@example.com",
    ]);
    expect(outcome.deliveries.map((d) => d.status)).toEqual(["sent", "sent", "sent", "sent"]);
  });
});
