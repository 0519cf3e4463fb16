/**
 * The report as a finance partner reads it: critical flags at the top, totals that foot to the
 * parts printed next to them, a cost per item that divides out from the items shown, credits
 * named where the daily chart dips, and a workflow table whose amounts leave the currency code
 * to the headers.
 */
import { describe, expect, it } from "vitest";
import type { Report, WorkflowReport } from "../../src/reconciler";
import { runReconciliation } from "../../src/reconciler";
import { parseRegistry } from "../../src/registry";
import { chartModel, CHART_IDS } from "../../src/report/charts";
import { renderHtml } from "../../src/report/html";
import { row, memorySource } from "../reconciler/fixtures";
import { FIXTURE_REPORT } from "./fixture";

/** The page's markup without scripts, whitespace collapsed. */
const markupOf = (report: Report) =>
  renderHtml(report)
    .replace(/<script[^>]*>[\s\S]*?<\/script>/g, "")
    .replace(/\s+/g, " ");

const amounts = (text: string) =>
  [...text.matchAll(/(-?[\d,]+\.\d{2}) USD/g)].map((m) => Number(m[1]!.replace(/,/g, "")));

function section(markup: string, heading: string): string {
  const start = markup.indexOf(`id="${heading}"`);
  expect(start, heading).toBeGreaterThan(-1);
  return markup.slice(start, markup.indexOf("</section>", start));
}

describe("Needs attention", () => {
  it("lists every workflow's critical flags with the workflow, then the account's flags", () => {
    const attention = section(markupOf(FIXTURE_REPORT), "h-attention");
    const kinds = [...attention.matchAll(/data-kind="([^"]+)"(?: data-workflow="([^"]+)")?/g)].map(
      (m) => (m[2] === undefined ? m[1] : `${m[2]}/${m[1]}`),
    );
    expect(kinds).toEqual([
      "support-triage/over-budget",
      "memo-pilot/past-review-date",
      "unowned-share",
      "estimated-data",
    ]);
    // Warnings of a workflow stay on its card: the growth warning is not repeated at the top.
    expect(attention).not.toContain('data-kind="growth"');
    expect(attention).toContain('<span class="id">support-triage</span>:');
  });

  it("appears for a critical workflow flag even when the account has no flags", () => {
    const report: Report = { ...FIXTURE_REPORT, flags: [] };
    const attention = section(markupOf(report), "h-attention");
    expect(attention).toContain('data-kind="over-budget"');
  });

  it("is absent when nothing is critical and the account has no flags", () => {
    const calm: Report = {
      ...FIXTURE_REPORT,
      flags: [],
      workflows: FIXTURE_REPORT.workflows.map((w) => ({
        ...w,
        flags: w.flags.filter((f) => f.severity !== "critical"),
      })),
    };
    expect(markupOf(calm)).not.toContain("Needs attention");
  });
});

describe("totals that foot", () => {
  // Each part rounds down by less than half a cent; their exact sum rounds up.
  const report: Report = {
    ...FIXTURE_REPORT,
    unowned: { spend: 302.874, byService: { "Amazon Bedrock": 302.874 } },
    unregistered: [
      { value: "team-a", spend: 100.004, suggestion: null, caseOnly: false, route: "resourceTag" },
      { value: "team-b", spend: 16.094, suggestion: null, caseOnly: false, route: "resourceTag" },
    ],
  };
  const markup = markupOf(report);

  it("shows nobody's spend as untagged + unregistered, equal to the total shown", () => {
    const tile = markup.slice(
      markup.indexOf('data-tile="unowned"'),
      markup.indexOf('data-tile="review"'),
    );
    const [total, untagged, unregistered] = amounts(tile);
    expect(tile).toContain("untagged 302.87 USD + unregistered tags 116.09 USD");
    // The exact sum, 418.972, would show as 418.97: a cent more than its parts.
    expect(total).toBe(418.96);
    expect(Math.round((untagged! + unregistered!) * 100)).toBe(Math.round(total! * 100));
  });

  it("heads the unregistered table with the sum of its rows as shown", () => {
    const nobody = section(markup, "h-unowned");
    expect(nobody).toContain("Unregistered tag values: 116.09 USD");
    expect(nobody).toContain("100.00 USD");
    expect(nobody).toContain("16.09 USD");
  });

  it("foots the review and fully loaded tiles to the workflows' rows", () => {
    const w = (id: string, reviewCost: number, fullyLoaded: number): WorkflowReport => ({
      ...FIXTURE_REPORT.workflows[2]!,
      id,
      reviewCost,
      fullyLoaded,
    });
    const page = markupOf({
      ...FIXTURE_REPORT,
      workflows: [w("a", 0.125, 1.005), w("b", 0.125, 1.005)],
    });
    expect(page).toMatch(
      /data-tile="review"> <div class="label">Review cost<\/div> <div class="value">0\.26 USD/,
    );
    expect(page).toMatch(
      /data-tile="fully-loaded"> <div class="label">Fully loaded cost<\/div> <div class="value">2\.02 USD/,
    );
  });
});

describe("items and cost per item", () => {
  const REGISTRY = `version: 1
settings:
  currency: USD
  unownedSpendContact: finops@example.com
workflows:
  letters:
    description: A handful of items a month
    owner: dana@example.com
    stage: run-rate
    risk: low
    budget: { monthly: 100 }
    review: { share: 1, minutesPerItem: 60, hourlyRate: 10 }
    volume: { itemsPerMonth: 4.1 }
`;

  it("keeps estimated items to one decimal and derives review cost and cost per item from them", async () => {
    // 27 of November's 30 days: 4.1 x 27 / 30 = 3.69 items, kept as 3.7.
    const report = await runReconciliation({
      registry: parseRegistry(REGISTRY, "workflows.yaml"),
      source: memorySource([row("2026-11-03", "letters", "Amazon Bedrock", "10")]),
      runDate: "2026-11-28",
    });
    const w = report.workflows[0]!;
    expect(w.items).toBe(3.7);
    expect(w.reviewCost).toBe(37); // 3.7 items x 1 hour x 10
    expect(w.fullyLoaded).toBe(47);
    expect(w.costPerItem).toBeCloseTo(47 / 3.7, 6);

    const card = markupOf(report);
    expect(card).toContain("<dt>Items processed</dt> <dd>3.7</dd>");
    expect(card).toContain("<dt>Cost per item</dt> <dd>12.70 USD</dd>");
    // What the reader sees divides out: 47.00 / 3.7 = 12.70.
    expect((47 / 3.7).toFixed(2)).toBe("12.70");
  });

  it("writes whole counts without decimals", () => {
    expect(markupOf(FIXTURE_REPORT)).toContain("<dt>Items processed</dt> <dd>30,240</dd>");
  });
});

describe("credits in the daily chart", () => {
  const daily = chartModel(FIXTURE_REPORT).charts.find((c) => c.canvasId === CHART_IDS.daily)!;
  const ids = FIXTURE_REPORT.workflows.map((w) => w.id);

  it("labels every negative day, and only those", () => {
    const expected = FIXTURE_REPORT.workflows.flatMap((w, dataset) =>
      w.daily.flatMap((d, index) => (d.amount < 0 ? [{ dataset, index, amount: d.amount }] : [])),
    );
    expect(expected.length).toBe(2);
    expect(daily.pointLabels).toEqual(expected);
    const radius = (
      daily.config.data.datasets[ids.indexOf("memo-pilot")] as unknown as { pointRadius: number[] }
    ).pointRadius;
    expect(radius.filter((r) => r > 0)).toHaveLength(1);
    expect(radius[11]).toBeGreaterThan(0); // 12 November
  });

  it("names the credits under the chart's title", () => {
    const markup = markupOf(FIXTURE_REPORT);
    const memo = FIXTURE_REPORT.workflows.find((w) => w.id === "memo-pilot")!;
    const credit = memo.daily.find((d) => d.amount < 0)!;
    expect(markup).toContain(`memo-pilot ${credit.amount.toFixed(2)} USD on 12 Nov`);
    expect(markup).toMatch(
      /Below zero: credits \(invoice-matching -[\d.]+ USD on 12 Nov; memo-pilot/,
    );
  });

  it("says nothing about credits when there are none", () => {
    const positive: Report = {
      ...FIXTURE_REPORT,
      workflows: FIXTURE_REPORT.workflows.map((w) => ({
        ...w,
        daily: w.daily.map((d) => ({ ...d, amount: Math.abs(d.amount) })),
      })),
    };
    expect(markupOf(positive)).not.toContain("Below zero");
    expect(chartModel(positive).charts[1]!.pointLabels).toEqual([]);
  });
});

describe("the all-workflows table", () => {
  it("puts the currency in the headers and plain amounts in the cells", () => {
    const table = section(markupOf(FIXTURE_REPORT), "h-workflows");
    expect(table).toContain('<th class="num">Spent so far (USD)</th>');
    expect(table).toContain('<th class="num">Fully loaded (USD)</th>');
    expect(table).toContain('<td class="num">1,222.16</td>');
    expect(table).not.toMatch(/<td class="num">[^<]*USD/);
  });
});
