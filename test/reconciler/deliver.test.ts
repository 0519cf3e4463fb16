import { describe, expect, it } from "vitest";
import { publishRun, recipientHash } from "../../src/reconciler";
import type { Publisher } from "../../src/reconciler";
import type { Message } from "../../src/reconciler";
import { runReconciliation } from "../../src/reconciler";
import { memorySource, REGISTRY_TEXT, row, testRegistry } from "./fixtures";
import { memoryStore } from "./memory-store";

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
    if (outcome.kind !== "published") throw new Error("the run stood down");
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

describe("publishRun's outputs", () => {
  const registry = testRegistry();
  const compute = () =>
    runReconciliation({
      registry,
      source: memorySource([row("2026-11-03", "invoice-matching", "Amazon Bedrock", "600")]),
      runDate: "2026-11-28",
    });
  const publisher: Publisher = { publish: async () => ({ messageId: "m" }) };

  it("does each output on its own, records it, and a retry does only what is left", async () => {
    const store = memoryStore();
    const emitted: unknown[] = [];
    let csvFails = true;
    const run = () =>
      publishRun({
        runDate: "2026-11-28",
        prefix: "reports/",
        registry,
        store,
        publisher,
        log: silent,
        compute,
        metrics: { emit: (report) => emitted.push(report) },
        renderCsv: () => {
          if (csvFails) throw new RangeError("not a finite number: Infinity");
          return "csv";
        },
      });
    const first = await run();
    if (first.kind !== "published") throw new Error("stood down");
    expect(first.complete).toBe(false);
    expect(first.outputs).toEqual([
      { name: "report.csv", status: "failed", error: "RangeError: not a finite number: Infinity" },
      { name: "metrics", status: "done" },
    ]);
    expect(first.deliveries.every((d) => d.status === "sent")).toBe(true);
    expect(store.objects.has("reports/2026-11-28/outputs/metrics.json")).toBe(true);

    csvFails = false;
    const second = await run();
    if (second.kind !== "published") throw new Error("stood down");
    expect(second.complete).toBe(true);
    expect(second.outputs.map((o) => o.status)).toEqual(["done", "already-done"]);
    expect(second.deliveries.every((d) => d.status === "already-sent")).toBe(true);
    expect(emitted).toHaveLength(1);
  });

  it("metrics emitted whose record cannot be written are reported, not thrown", async () => {
    const store = memoryStore();
    store.failing.write.add("outputs/metrics.json");
    const outcome = await publishRun({
      runDate: "2026-11-28",
      prefix: "reports/",
      registry,
      store,
      publisher,
      log: silent,
      compute,
      metrics: { emit: () => undefined },
    });
    if (outcome.kind !== "published") throw new Error("stood down");
    expect(outcome.outputs[0]).toMatchObject({ name: "metrics", status: "done-unrecorded" });
    expect(outcome.complete).toBe(true);
  });

  it("a delivery record that cannot be read is a failed delivery, nothing sent", async () => {
    const store = memoryStore();
    store.failing.read.add("/deliveries/");
    const sent: Message[] = [];
    const outcome = await publishRun({
      runDate: "2026-11-28",
      prefix: "reports/",
      registry,
      store,
      publisher: { publish: async (m) => (sent.push(m), { messageId: "m" }) },
      log: silent,
      compute,
    });
    if (outcome.kind !== "published") throw new Error("stood down");
    expect(outcome.complete).toBe(false);
    expect(outcome.deliveries.every((d) => d.status === "failed")).toBe(true);
    expect(sent).toEqual([]);
  });

  it("stands down while another run holds the date, computing nothing", async () => {
    const store = memoryStore();
    await store.putIfAbsent(
      "reports/2026-11-28/claim.json",
      JSON.stringify({
        owner: "other",
        runDate: "2026-11-28",
        expiresAt: "2026-11-28T07:00:00Z",
        state: "running",
      }),
      "application/json",
    );
    let computed = false;
    const outcome = await publishRun({
      runDate: "2026-11-28",
      prefix: "reports/",
      registry,
      store,
      publisher,
      log: silent,
      now: () => new Date("2026-11-28T06:00:00Z"),
      compute: async () => {
        computed = true;
        return compute();
      },
    });
    expect(outcome).toEqual({
      kind: "held",
      reportKey: "reports/2026-11-28/report.json",
      heldBy: "other",
      until: "2026-11-28T07:00:00Z",
    });
    expect(computed).toBe(false);
  });
});

describe("recipientHash", () => {
  it("is salted: the same address hashes differently per deployment, stably within one", () => {
    const a = recipientHash("owner-digest", "dana@example.com", "salt-a");
    expect(recipientHash("owner-digest", "dana@example.com", "salt-a")).toBe(a);
    expect(recipientHash("owner-digest", "dana@example.com", "salt-b")).not.toBe(a);
    expect(recipientHash("owner-digest", "dana@example.com")).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
  });
});
