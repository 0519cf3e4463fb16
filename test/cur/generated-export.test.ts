import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { writeGeneratedCurExport } from "../../src/local-aws/cur-export";
import { DuckDbCurEngine } from "../../src/reconciler/duckdb/duckdb-engine";
import { curQuery } from "../../src/reconciler/cur/query";
import { add, toString, ZERO } from "../../src/util/decimal";
import { scratchDir } from "./fixtures";

describe("writeGeneratedCurExport", () => {
  let scratch: ReturnType<typeof scratchDir>;
  beforeEach(() => {
    scratch = scratchDir();
  });
  afterEach(() => scratch.remove());

  it("writes a period the engine reads back whole, with every attribution case and model", async () => {
    const written = await writeGeneratedCurExport(scratch.dir, {
      period: "2026-02",
      lines: 7_000,
      workflows: 20,
      models: 6,
      files: 3,
    });
    expect(written.files).toHaveLength(3);
    const engine = await DuckDbCurEngine.open(scratch.dir);
    try {
      const query = curQuery({
        start: "2026-02-01",
        end: "2026-03-01",
        metric: "UnblendedCost",
        tagKey: "workflow",
      });
      const { rows } = await engine.run(query);
      expect(rows.reduce((n, r) => n + r.lineItems, 0)).toBe(7_000);
      expect(new Set(rows.map((r) => r.date)).size).toBe(28);
      expect(new Set(rows.map((r) => r.model)).size).toBe(6);
      expect(rows.every((r) => r.usage.kind === "tokens" && r.tokens !== null)).toBe(true);
      const conflicts = rows.filter((r) => r.resourceTag !== null && r.principalTag !== null);
      expect(conflicts.length).toBeGreaterThan(0);
      expect(conflicts.every((r) => r.resourceTag !== r.principalTag)).toBe(true);
      expect(
        rows.some(
          (r) =>
            r.resourceTag === null && r.principalTag === null && r.unattributedPrincipal !== null,
        ),
      ).toBe(true);
      // The cost of line i is (i % 9973) / 100000: the sum is known exactly.
      let expected = 0n;
      for (let i = 0; i < 7_000; i++) expected += BigInt(i % 9973);
      const total = rows.reduce((sum, r) => add(sum, r.cost), ZERO);
      expect(toString(total)).toBe(toString({ units: expected, scale: 5 }));
    } finally {
      engine.close();
    }
  });
});
