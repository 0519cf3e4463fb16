/**
 * The demo's recorded bill: the committed file is what the scenario describes, and its reader
 * refuses what it cannot read faithfully.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  BILL_HEADER,
  BILL_HEADER_NO_USAGE,
  BILL_HEADER_RESOURCE_ONLY,
  BillFormatError,
  formatBill,
  parseBill,
} from "../../src/demo/bill-csv";
import { exampleFiles } from "../../src/demo/examples";
import { add, normalize, parseAmount, toString, ZERO } from "../../src/util/decimal";
import type { Amount } from "../../src/util/decimal";
import { ACCOUNT, AS_OF, BILL_START, SERIES, scenarioRows } from "../../src/demo/scenario";
import { KENDRA_PRICE, scenarioBillRows } from "../../src/demo/usage-lines";

const committed = readFileSync(exampleFiles().bill, "utf8");

describe("examples/cost-and-usage.csv", () => {
  it("is exactly what scripts/demo-bill.ts writes from the scenario (regenerate it after a change)", () => {
    expect(committed).toBe(formatBill(scenarioBillRows()));
  });

  it("covers the month before the reported one up to the day before the run", () => {
    const rows = parseBill(committed, "bill.csv", ACCOUNT);
    const dates = rows.map((r) => r.date).sort();
    expect(dates[0]).toBe(BILL_START);
    expect(dates.at(-1)).toBe("2026-11-27");
    expect(AS_OF).toBe("2026-11-28");
  });

  it("has one row per day, resource tag, caller's tag, service and usage type: the lines Cost Explorer groups", () => {
    const rows = parseBill(committed, "bill.csv", ACCOUNT);
    const keys = rows.map(
      (r) => `${r.date}|${r.tag ?? ""}|${r.principalTag ?? ""}|${r.service}|${r.usageType}`,
    );
    expect(new Set(keys).size).toBe(rows.length);
    expect(
      rows.every((r) => r.usageType !== undefined && r.amounts?.UsageQuantity !== undefined),
    ).toBe(true);
  });

  it("splits each series' day into usage types that sum to the day exactly", () => {
    const day = new Map<string, Amount>();
    for (const r of scenarioBillRows()) {
      const key = `${r.date}|${r.tag}|${r.principalTag}|${r.service}`;
      day.set(key, add(day.get(key) ?? ZERO, parseAmount(r.amount)));
    }
    const series = scenarioRows();
    expect(day.size).toBe(series.length);
    for (const r of series) {
      const key = `${r.date}|${r.tag}|${r.principalTag}|${r.service}`;
      expect(toString(normalize(day.get(key)!)), key).toBe(
        toString(normalize(parseAmount(r.amount))),
      );
    }
  });

  it("carries Kendra's price rise: the same hours a day, the new price per hour from November", () => {
    const kendra = scenarioBillRows().filter((r) => r.service === "Amazon Kendra");
    const unit = (r: (typeof kendra)[number]) =>
      Number(r.amount) / Number(r.amounts!.UsageQuantity);
    for (const r of kendra) {
      const price = r.date >= KENDRA_PRICE.from ? KENDRA_PRICE.after : KENDRA_PRICE.before;
      expect(unit(r), r.date).toBeCloseTo(price, 5);
      expect(Number(r.amounts!.UsageQuantity), r.date).toBeCloseTo(24, 0);
    }
  });

  it("reads untagged spend as null tags and keeps amounts as the text written", () => {
    const rows = parseBill(
      `${BILL_HEADER}\n2026-11-01,,,Amazon Bedrock,,,-0.000001\n2026-11-01,,a,Amazon Bedrock,USE1-x-input-tokens,12.5,2\n`,
      "bill.csv",
      ACCOUNT,
    );
    expect(rows).toEqual([
      {
        date: "2026-11-01",
        tag: null,
        principalTag: null,
        service: "Amazon Bedrock",
        account: ACCOUNT,
        amount: "-0.000001",
      },
      {
        date: "2026-11-01",
        tag: null,
        principalTag: "a",
        service: "Amazon Bedrock",
        account: ACCOUNT,
        usageType: "USE1-x-input-tokens",
        amounts: { UsageQuantity: "12.5" },
        amount: "2",
      },
    ]);
  });

  it("still reads a bill in the earlier format without usage types", () => {
    expect(
      parseBill(`${BILL_HEADER_NO_USAGE}\n2026-11-01,a,b,Amazon Bedrock,1\n`, "old.csv", ACCOUNT),
    ).toEqual([
      {
        date: "2026-11-01",
        tag: "a",
        principalTag: "b",
        service: "Amazon Bedrock",
        account: ACCOUNT,
        amount: "1",
      },
    ]);
  });

  it("still reads a bill in the earlier resource-tags-only format", () => {
    const rows = parseBill(
      `${BILL_HEADER_RESOURCE_ONLY}\n2026-11-01,a,Amazon Bedrock,1.5\n`,
      "old.csv",
      ACCOUNT,
    );
    expect(rows).toEqual([
      { date: "2026-11-01", tag: "a", service: "Amazon Bedrock", account: ACCOUNT, amount: "1.5" },
    ]);
    expect(() =>
      parseBill(
        `${BILL_HEADER_RESOURCE_ONLY}\n2026-11-01,a,b,Amazon Bedrock,1\n`,
        "old.csv",
        ACCOUNT,
      ),
    ).toThrow("old.csv:2: expected 4 fields (date,workflow,service,amount), got 5");
  });

  it("tells the story it is built for: a case variant, a typo, a credit, untagged AI spend", () => {
    const tags = new Set(SERIES.map((s) => s.tag));
    expect(new Set(SERIES.map((s) => s.principalTag))).toContain("Support-Triage");
    expect(tags).toContain("knowledge-serch");
    expect(tags).toContain(null);
    // The caller attribution story: model calls by the caller's tag only (the common case),
    // profile calls with both tags, one conflict, and an untagged gateway role.
    const kinds = SERIES.map((s) =>
      s.tag === null
        ? s.principalTag === null
          ? "neither"
          : "caller only"
        : s.principalTag === null
          ? "resource only"
          : s.principalTag === s.tag
            ? "both agree"
            : "conflict",
    );
    expect(kinds.filter((k) => k === "caller only").length).toBeGreaterThanOrEqual(2);
    expect(kinds).toContain("both agree");
    expect(kinds.filter((k) => k === "conflict")).toHaveLength(1);
    expect(
      SERIES.some(
        (s) => s.tag === null && s.principalTag === null && s.service === "Amazon Bedrock",
      ),
    ).toBe(true);
    const rows = parseBill(committed, "bill.csv", ACCOUNT);
    expect(rows.some((r) => r.amount.startsWith("-"))).toBe(true);
  });
});

describe("the bill's reader and writer refuse what they cannot represent", () => {
  it.each([
    ["a missing header", "2026-11-01,a,,b,,,1\n", "bill.csv:1: expected the header"],
    [
      "a quoted field",
      `${BILL_HEADER}\n2026-11-01,a,,"b,c",,,1\n`,
      "bill.csv:2: expected 7 fields",
    ],
    [
      "a bad date",
      `${BILL_HEADER}\n2026-02-30,a,,b,,,1\n`,
      'bill.csv:2: "2026-02-30" is not a date',
    ],
    [
      "a bad amount",
      `${BILL_HEADER}\n2026-11-01,a,,b,,,1e3\n`,
      'bill.csv:2: "1e3" is not an amount',
    ],
    ["no service", `${BILL_HEADER}\n\n2026-11-01,a,,,,,1\n`, "bill.csv:3: the service is empty"],
    [
      "a bad quantity",
      `${BILL_HEADER}\n2026-11-01,a,,b,u,x,1\n`,
      'bill.csv:2: "x" is not a usage quantity',
    ],
    [
      "a quantity without a usage type",
      `${BILL_HEADER}\n2026-11-01,a,,b,,3,1\n`,
      "bill.csv:2: a usage quantity without a usage type",
    ],
  ])("%s", (_, text, message) => {
    expect(() => parseBill(text, "bill.csv", ACCOUNT)).toThrow(BillFormatError);
    expect(() => parseBill(text, "bill.csv", ACCOUNT)).toThrow(message);
  });

  it("will not write a value it would have to quote", () => {
    const row = { date: "2026-11-01", tag: "a,b", service: "s", account: ACCOUNT, amount: "1" };
    expect(() => formatBill([row])).toThrow('cannot write "a,b"');
    expect(() => formatBill([{ ...row, tag: "a", principalTag: 'x"y' }])).toThrow(
      'cannot write "x\\"y"',
    );
  });
});
