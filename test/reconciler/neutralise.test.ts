/**
 * Values anyone can write (tag values, service names from the bill) reach digests and the CSV:
 * control, escape and bidi characters must arrive as visible escapes there, while the JSON
 * report keeps them exactly.
 */
import { describe, expect, it } from "vitest";
import { composeMessages, runReconciliation } from "../../src/reconciler";
import { renderCsv } from "../../src/report";
import { memorySource, row, testRegistry } from "./fixtures";

const HOSTILE_TAG = "evil\u001b[2J\nNothing needs your attention.\u202Etxt.exe\u2066x\u0085";
const HOSTILE_SERVICE = "Amazon Bedrock\u001b]8;;http://x\u0007 Edition\u200F";

/** Characters that must never reach a human-facing output raw (a newline may: it ends a line). */
function rawControls(text: string): number[] {
  return [...text]
    .map((char) => char.codePointAt(0) ?? 0)
    .filter(
      (code) =>
        (code < 0x20 && code !== 0x0a) ||
        (code >= 0x7f && code <= 0x9f) ||
        [0x061c, 0x200e, 0x200f].includes(code) ||
        (code >= 0x202a && code <= 0x202e) ||
        (code >= 0x2066 && code <= 0x2069),
    );
}

async function hostileReport() {
  return runReconciliation({
    registry: testRegistry(),
    source: memorySource([
      row("2026-11-03", "support-triage", HOSTILE_SERVICE, "10"),
      row("2026-11-03", HOSTILE_TAG, "Amazon Bedrock", "7"),
      row("2026-11-04", null, HOSTILE_SERVICE, "5"),
    ]),
    runDate: "2026-11-28",
    now: () => new Date("2026-11-28T06:00:00Z"),
  });
}

describe("neutralising what people read", () => {
  it("digests show escapes, never the raw characters, and no value starts a line", async () => {
    const report = await hostileReport();
    const messages = composeMessages(report, testRegistry());
    for (const message of messages) {
      expect(rawControls(message.body)).toEqual([]);
      for (const line of message.body.split("\n")) {
        expect(line).not.toMatch(/^Nothing needs your attention\.\\u\{202E\}/);
      }
    }
    const summary = messages.find((m) => m.kind === "unowned-summary")!;
    expect(summary.body).toContain(
      "evil\\u001b[2J\\nNothing needs your attention.\\u{202E}txt.exe",
    );
    const triage = messages.find((m) => m.workflowIds.includes("support-triage"))!;
    expect(triage.body).toContain("Amazon Bedrock\\u001b]8;;http://x\\u0007 Edition\\u{200F}");
  });

  it("the CSV shows escapes, the JSON keeps the exact values", async () => {
    const report = await hostileReport();
    const csv = renderCsv(report);
    expect(rawControls(csv.replace(/\r\n/g, ""))).toEqual([]);
    expect(csv).toContain(
      "\\x1b[2J\\x0aNothing needs your attention.\\u{202E}txt.exe\\u{2066}x\\x85",
    );
    const json = JSON.parse(JSON.stringify(report)) as typeof report;
    expect(json.unregistered.map((u) => u.value)).toContain(HOSTILE_TAG);
  });
});
