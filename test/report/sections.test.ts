import { describe, expect, it } from "vitest";
import type { Report } from "../../src/reconciler";
import { renderCsv } from "../../src/report";
import { ReportRenderError } from "../../src/report/validate";
import { FIXTURE_REPORT } from "./fixture";

describe("the audit and health sections", () => {
  it("render with or without them, and a malformed one is refused by name", () => {
    const withSections: Report = {
      ...FIXTURE_REPORT,
      audit: {
        source: "resource-explorer",
        complete: true,
        resources: 1,
        unrecognised: 0,
        iacChecked: false,
        needsAction: [],
        notes: [],
      },
      health: { complete: true, items: [] },
    };
    expect(renderCsv(withSections)).toBe(renderCsv(FIXTURE_REPORT));
    const broken = {
      ...withSections,
      health: { complete: true, items: null },
    } as unknown as Report;
    expect(() => renderCsv(broken)).toThrow(
      new ReportRenderError("health.items", "expected a list"),
    );
  });
});
