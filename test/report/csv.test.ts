import { describe, expect, it } from "vitest";
import {
  csvCell,
  csvDocument,
  csvRow,
  neutraliseFormula,
  plainNumber,
  renderCsv,
  REPORT_CSV_COLUMNS,
} from "../../src/report/csv";
import { ReportRenderError } from "../../src/report/validate";
import { parseCsv } from "./csv-parse";
import { CUR_FIXTURE_REPORT, FIXTURE_REPORT, INJECTION } from "./fixture";

describe("neutraliseFormula", () => {
  it.each([
    ["=1+1", "'=1+1"],
    ["+1", "'+1"],
    ["-1", "'-1"],
    ["@SUM(A1:A2)", "'@SUM(A1:A2)"],
    ["\t=1", "'\t=1"],
    ["\r=1", "'\r=1"],
    ["\n=1", "'\n=1"],
    ["\0=1", "'\0=1"],
    ["\uFF1D1+1", "'\uFF1D1+1"],
    [" =1+1", "' =1+1"],
    ["\u00A0 +1", "'\u00A0 +1"],
    [INJECTION.command, `'${INJECTION.command}`],
  ])("prefixes %j", (input, expected) => {
    expect(neutraliseFormula(input)).toBe(expected);
  });

  it.each(["support-triage", "a=b", "Support-Triage", "'quoted", " 1-2", "", "1-2"])(
    "leaves %j alone",
    (input) => {
      expect(neutraliseFormula(input)).toBe(input);
    },
  );
});

describe("plainNumber", () => {
  it.each([
    [0, "0"],
    [-0, "0"],
    [12.5, "12.5"],
    [-12.5, "-12.5"],
    [1e-7, "0.0000001"],
    [-1.5e-9, "-0.0000000015"],
    [1.2345e-7, "0.00000012345"],
    [1e21, "1000000000000000000000"],
    [1.5e22, "15000000000000000000000"],
    [0.1 + 0.2, "0.30000000000000004"],
  ])("writes %s as %s", (n, expected) => {
    expect(plainNumber(n)).toBe(expected);
    expect(Number(plainNumber(n))).toBe(n === 0 ? 0 : n);
  });

  it.each([NaN, Infinity, -Infinity])("refuses %s", (n) => {
    expect(() => plainNumber(n)).toThrow(RangeError);
  });
});

describe("csvCell and csvRow", () => {
  it.each([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    // Line breaks and other controls become visible escapes (util/printable): a cell is one line.
    ["two\r\nlines", "two\\x0d\\x0alines"],
    ["\u001b[31mred\u202E", "\\x1b[31mred\\u{202E}"],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    [INJECTION.formula, `"'=HYPERLINK(""http://attacker.example/"",""fix"")"`],
    ["\r=1", "\\x0d=1"],
  ])("text %j -> %j", (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it("writes negative numbers (credits) as numbers, never neutralised", () => {
    expect(csvCell(-12.5)).toBe("-12.5");
    expect(csvCell("-12.5")).toBe("'-12.5");
  });

  it("writes null as an empty field", () => {
    expect(csvRow(["a", null, 1])).toBe("a,,1");
  });
});

describe("csvDocument", () => {
  it("ends every record with CRLF", () => {
    expect(csvDocument(["a", "b"], [["x", 1]])).toBe("a,b\r\nx,1\r\n");
  });

  it("refuses a ragged row, naming it", () => {
    expect(() => csvDocument(["a", "b"], [["x", 1], ["y"]])).toThrow(
      "CSV row 2 has 1 fields, the header has 2",
    );
  });
});

describe("renderCsv", () => {
  const records = parseCsv(renderCsv(FIXTURE_REPORT));
  const [header, ...rows] = records;
  const col = (row: readonly string[], name: (typeof REPORT_CSV_COLUMNS)[number]) =>
    row[REPORT_CSV_COLUMNS.indexOf(name)];
  const workflowRows = rows.filter((r) => r[0] === "workflow");

  it("is valid RFC 4180 with the documented header", () => {
    expect(header).toEqual([...REPORT_CSV_COLUMNS]);
    for (const row of rows) expect(row).toHaveLength(REPORT_CSV_COLUMNS.length);
  });

  it("has one record per workflow, one for untagged spend, one per unregistered value", () => {
    expect(workflowRows.map((r) => col(r, "workflow"))).toEqual(
      FIXTURE_REPORT.workflows.map((w) => w.id),
    );
    expect(rows.filter((r) => r[0] === "unowned")).toHaveLength(1);
    expect(rows.filter((r) => r[0] === "unregistered")).toHaveLength(
      FIXTURE_REPORT.unregistered.length,
    );
    expect(rows.filter((r) => r[0] === "conflict")).toHaveLength(
      FIXTURE_REPORT.attribution.conflicts.length,
    );
    expect(rows).toHaveLength(
      FIXTURE_REPORT.workflows.length +
        1 +
        FIXTURE_REPORT.unregistered.length +
        FIXTURE_REPORT.attribution.conflicts.length,
    );
  });

  it("splits each workflow's spend by route, and never puts a conflict in the spend column", () => {
    for (const [i, w] of FIXTURE_REPORT.workflows.entries()) {
      const r = workflowRows[i]!;
      expect(Number(col(r, "spend_resource_tag"))).toBe(w.attribution.resourceTag);
      expect(Number(col(r, "spend_principal_tag"))).toBe(w.attribution.principalTag);
    }
    const spendColumn = rows.reduce((s, r) => s + Number(col(r, "spend") || 0), 0);
    expect(spendColumn).toBeCloseTo(FIXTURE_REPORT.totals.aiSpend, 6);
    const conflicts = rows.filter((r) => r[0] === "conflict");
    expect(
      conflicts.map((r) => [col(r, "workflow"), col(r, "principal_tag"), col(r, "spend")]),
    ).toEqual([
      ["support-triage", "invoice-matching", ""],
      ["contract-drafting", `'${INJECTION.formula}`, ""],
    ]);
    expect(conflicts.map((r) => Number(col(r, "conflict_spend")))).toEqual([42.18, 3.4]);
    const unregistered = rows.filter((r) => r[0] === "unregistered");
    expect(unregistered.map((r) => col(r, "route"))).toEqual(
      FIXTURE_REPORT.unregistered.map((u) => u.route),
    );
  });

  it("carries every workflow figure exactly", () => {
    const triage = workflowRows[0]!;
    const w = FIXTURE_REPORT.workflows[0]!;
    expect(col(triage, "owner")).toBe("dana@example.com");
    expect(Number(col(triage, "spend"))).toBe(w.spend);
    expect(Number(col(triage, "budget_used_ratio"))).toBe(w.budgetUsed);
    expect(Number(col(triage, "review_cost"))).toBe(13104);
    expect(col(triage, "review_cost_basis")).toBe("measured");
    expect(col(triage, "worst_flag")).toBe("critical");
    expect(col(triage, "flags")).toBe("over-budget (critical); growth (warning)");
    expect(col(triage, "period_end_exclusive")).toBe("2026-11-28");
  });

  it("keeps a credit a number a spreadsheet can sum", () => {
    const memo = workflowRows.find((r) => col(r, "workflow") === "memo-pilot")!;
    expect(col(memo, "spend")).toBe("-18.02");
    expect(col(memo, "budget")).toBe("");
    expect(col(memo, "growth_ratio")).toBe("");
    // A service-level credit inside a text cell is text, and the cell does not start with "-".
    expect(col(memo, "spend_by_service")).toBe("Amazon Bedrock=21.98; Refund=-40");
  });

  it("neutralises every attack string from a tag value", () => {
    const values = rows.filter((r) => r[0] === "unregistered").map((r) => col(r, "workflow"));
    expect(values).toEqual([
      "Support-Triage",
      "contract-reveiw",
      INJECTION.markup,
      INJECTION.script,
      `'${INJECTION.formula}`,
      `'${INJECTION.command}`,
    ]);
    const caseVariant = rows.find((r) => col(r, "workflow") === "Support-Triage")!;
    expect(col(caseVariant, "suggestion")).toBe("support-triage");
    expect(col(caseVariant, "case_only")).toBe("true");
  });

  it("sums untagged spend by service, largest first", () => {
    const unowned = rows.find((r) => r[0] === "unowned")!;
    expect(Number(col(unowned, "spend"))).toBe(210.44);
    expect(col(unowned, "spend_by_service")).toBe(
      "Amazon Bedrock=150.4; Amazon SageMaker=48.2; Claude Haiku 4.5 (Amazon Bedrock Edition)=11.84",
    );
  });

  it("starts with a byte order mark only when asked", () => {
    expect(renderCsv(FIXTURE_REPORT).startsWith("record_type,")).toBe(true);
    expect(renderCsv(FIXTURE_REPORT, { bom: true }).startsWith("\uFEFFrecord_type,")).toBe(true);
  });

  it("refuses a report with a number that is not finite, naming the field", () => {
    const broken = {
      ...FIXTURE_REPORT,
      workflows: [{ ...FIXTURE_REPORT.workflows[0]!, spend: NaN }],
    };
    expect(() => renderCsv(broken)).toThrow(ReportRenderError);
    expect(() => renderCsv(broken)).toThrow(
      "workflows[0].spend: expected a finite number, got NaN",
    );
  });
});

describe("renderCsv on a CUR report", () => {
  it("has the same columns and rows as from Cost Explorer: the models are the HTML's and the JSON's", () => {
    expect(renderCsv(CUR_FIXTURE_REPORT)).toBe(renderCsv(FIXTURE_REPORT));
  });
});
