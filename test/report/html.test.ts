import { createHash } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/reconciler";
import { chartModel, MAX_UNREGISTERED_SLICES, MODEL_CHART_ID } from "../../src/report/charts";
import { renderHtml } from "../../src/report/html";
import { ReportRenderError } from "../../src/report/validate";
import { CUR_FIXTURE_REPORT, FIXTURE_REPORT, INJECTION } from "./fixture";

const page = renderHtml(FIXTURE_REPORT, { unownedSpendContact: "finops@example.com" });

/** The page without its script elements, whitespace collapsed: the markup a reader sees. */
const markup = page.replace(/<script[^>]*>[\s\S]*?<\/script>/g, "").replace(/\s+/g, " ");

/** The text of every `<tag>` element without attributes, e.g. every executable script. */
function elements(markup: string, tag: string): string[] {
  const found: string[] = [];
  const open = `<${tag}>`;
  for (let at = markup.indexOf(open); at !== -1; at = markup.indexOf(open, at + 1)) {
    found.push(markup.slice(at + open.length, markup.indexOf(`</${tag}>`, at)));
  }
  return found;
}

const sha256 = (text: string) =>
  `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

describe("renderHtml: escaping", () => {
  // Each attack string as the page must show it: as text, every markup character escaped.
  const ESCAPED: Readonly<Record<keyof typeof INJECTION, string>> = {
    markup: "&lt;img src=x onerror=alert(1)&gt;",
    script: "&lt;/script&gt;&lt;script&gt;window.__pwned = &quot;script&quot;&lt;/script&gt;",
    formula: "=HYPERLINK(&quot;http://attacker.example/&quot;,&quot;fix&quot;)",
    command: "-2+3+cmd|&#39; /C calc&#39;!A0",
  };

  it.each(Object.entries(INJECTION))(
    "never writes the %s attack string as markup",
    (name, attack) => {
      // Every attack string carries a markup character, so "not in the page verbatim" means
      // something for each of them.
      expect(attack).toMatch(/[<>"'&]/);
      expect(page).not.toContain(attack);
      expect(page).toContain(ESCAPED[name as keyof typeof INJECTION]);
    },
  );

  it("writes exactly three script elements: data, library, page script", () => {
    expect(page.match(/<script/gi)).toHaveLength(3);
    expect(page).toContain('<script type="application/json" id="chart-data">');
  });

  it("shows the attack strings as escaped text in the unregistered table", () => {
    expect(page).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(page).toContain("&lt;/script&gt;&lt;script&gt;window.__pwned = &quot;script&quot;");
  });

  it("embeds the chart data so that it parses back to the chart model", () => {
    const block = page.slice(
      page.indexOf('id="chart-data">') + 'id="chart-data">'.length,
      page.indexOf("</script>", page.indexOf('id="chart-data">')),
    );
    expect(block).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(block)).toEqual(chartModel(FIXTURE_REPORT));
  });
});

describe("renderHtml: self-contained and locked down", () => {
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/
    .exec(page)?.[1]
    ?.replaceAll("&#39;", "'");

  it("allows exactly its own inline scripts and stylesheet, and nothing from anywhere", () => {
    const scripts = elements(page, "script");
    const styles = elements(page, "style");
    expect(scripts).toHaveLength(2);
    expect(styles).toHaveLength(1);
    expect(csp).toBe(
      `default-src 'none'; script-src ${scripts.map(sha256).join(" ")}; ` +
        `style-src ${styles.map(sha256).join(" ")}; base-uri 'none'; form-action 'none'`,
    );
  });

  it("inlines the charting library and references no file or URL", () => {
    expect(page).toContain("Chart.js v4.6.1");
    expect(markup).not.toMatch(/<[^>]*\s(src|href)=/i);
    expect(markup).not.toMatch(/<link|<iframe|<img|url\(|@import/i);
    expect(page).not.toContain("sourceMappingURL");
  });

  it("puts the policy before any script or style", () => {
    expect(page.indexOf("Content-Security-Policy")).toBeLessThan(page.indexOf("<style>"));
  });
});

describe("renderHtml: what a reader sees", () => {
  it("states the period, metric, currency and Cost Explorer requests in plain words", () => {
    expect(markup).toContain("1–27 November 2026");
    expect(markup).toContain("cost as billed (unblended)");
    expect(markup).toContain("<strong>USD</strong>");
    expect(markup).toMatch(
      /Built from 3 Cost Explorer requests\s+\(AWS\s+charges 0\.01 USD per request: 0\.03 USD\)/,
    );
  });

  it("has a section per owner with their workflows, most serious first", () => {
    const owners = [...page.matchAll(/<section class="owner" data-owner="([^"]+)">/g)].map(
      (m) => m[1],
    );
    expect(owners).toEqual([
      "dana@example.com",
      "sam@example.com",
      "priya@example.com",
      "lee@example.com",
    ]);
    const dana = page.slice(
      page.indexOf('data-owner="dana@example.com"'),
      page.indexOf('data-owner="sam@example.com"'),
    );
    expect(dana).toContain('data-workflow="support-triage"');
    expect(dana).toContain('data-workflow="invoice-matching"');
    expect(dana).not.toContain('data-workflow="contract-review"');
  });

  it("marks every flag with its severity in words and in style", () => {
    for (const w of FIXTURE_REPORT.workflows) {
      for (const flag of w.flags) {
        expect(markup).toMatch(
          new RegExp(`<li class="flag ${flag.severity}" data-kind="${flag.kind}">`),
        );
      }
    }
    expect(markup).toMatch(/<span class="sev">Critical<\/span>/);
    expect(markup).toMatch(/<span class="sev">Warning<\/span>/);
    expect(markup).toMatch(/<span class="sev">Note<\/span>/);
  });

  it("routes nobody's spend to the contact and suggests a fix per tag value", () => {
    expect(markup).toContain("routed to <strong>finops@example.com</strong>");
    expect(markup).toMatch(
      /Same as <span class="id">support-triage<\/span> except for letter case/,
    );
    expect(markup).toMatch(/Probably meant <span class="id">contract-review<\/span>/);
    expect(markup).toContain("Untagged AI spend: 210.44 USD");
  });

  it("shows the spend by route and the conflicts, counted once", () => {
    const a = FIXTURE_REPORT.attribution;
    expect(markup).toContain("How the spend was attributed");
    expect(markup).toMatch(
      /<tr data-route="principalTag"> <td>Caller&#39;s role tag \(iamPrincipal\/\)<\/td>/,
    );
    expect(markup).toContain(`Conflicts: ${(42.18 + 3.4).toFixed(2)} USD`);
    expect(markup).toMatch(
      /<td class="id">support-triage<\/td> <td class="id">invoice-matching<\/td> <td class="num">42.18 USD<\/td>/,
    );
    // The conflict's caller value is attacker-controlled: escaped like any tag value.
    expect(markup).toContain(
      '<td class="id">=HYPERLINK(&quot;http://attacker.example/&quot;,&quot;fix&quot;)</td>',
    );
    const triage = FIXTURE_REPORT.workflows[0]!;
    expect(triage.attribution.principalTag).toBeGreaterThan(0);
    expect(markup).toContain("Through its callers&#39; role tag (its budget cannot see this)");
    expect(a.resourceTag + a.principalTag + a.none).toBeCloseTo(FIXTURE_REPORT.totals.aiSpend, 6);
  });

  it("shows credits as negative amounts", () => {
    expect(markup).toContain("-18.02 USD");
    expect(markup).toContain("Refund -40.00 USD");
  });
});

describe("renderHtml: input at the edges", () => {
  const empty: Report = {
    ...FIXTURE_REPORT,
    workflows: [],
    unowned: { spend: 0, byService: {} },
    unregistered: [],
    totals: { spend: 0, aiSpend: 0, attributedShare: 0, byStage: { "run-rate": 0, learning: 0 } },
    teams: [],
    attribution: { resourceTag: 0, principalTag: 0, none: 0, conflicts: [] },
    flags: [],
  };

  it("renders a report with no workflows and no spend", () => {
    const html = renderHtml(empty);
    expect(html).toContain("None: every workflow tag names a registered workflow.");
    expect(html).toContain("None: no resource tag and caller's tag name different workflows.");
    expect(html).not.toContain("routed to");
    expect(html).not.toContain("Needs attention");
  });

  it("refuses a negative outcome figure, naming the field", () => {
    const [first, ...rest] = FIXTURE_REPORT.workflows;
    const outcomes = {
      basis: "measured" as const,
      basisReason: null,
      accepted: 10,
      reworked: 1,
      escalated: 0,
      reviewCost: 5,
      reworkCost: -1,
      exceptionCost: 0,
      costPerAccepted: 2,
    };
    const broken = { ...FIXTURE_REPORT, workflows: [{ ...first!, outcomes }, ...rest] };
    expect(() => renderHtml(broken)).toThrow(
      "workflows[0].outcomes.reworkCost: expected a number >= 0, got -1",
    );
    const fine = {
      ...broken,
      workflows: [{ ...first!, outcomes: { ...outcomes, reworkCost: 0 } }],
    };
    expect(() => renderHtml(fine)).not.toThrow();
  });

  it("refuses a number that is not finite, naming the field", () => {
    const broken = { ...FIXTURE_REPORT, totals: { ...FIXTURE_REPORT.totals, aiSpend: Infinity } };
    expect(() => renderHtml(broken)).toThrow(ReportRenderError);
    expect(() => renderHtml(broken)).toThrow(
      "totals.aiSpend: expected a finite number, got Infinity",
    );
  });

  it("escapes the title and the currency code too", () => {
    const html = renderHtml({ ...FIXTURE_REPORT, currency: "<b>" }, { title: "<i>Spend</i>" });
    expect(html).not.toMatch(/<b>|<i>/);
    expect(html).toContain("&lt;i&gt;Spend&lt;/i&gt;");
  });

  it("renders the same bytes from the bundled package (dist/) as from source", () => {
    // dist/index.js is built by the test setup; it resolves the charting library itself.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundled = require(join(__dirname, "..", "..", "dist", "index.js")) as {
      renderHtml: typeof renderHtml;
    };
    expect(bundled.renderHtml(FIXTURE_REPORT, { unownedSpendContact: "finops@example.com" })).toBe(
      page,
    );
  });
});

describe("chartModel", () => {
  const model = chartModel(FIXTURE_REPORT);
  const [budget, daily, loaded, share] = model.charts;

  it("splits the projection into within and above budget", () => {
    expect(budget!.config.data.datasets.map((d) => d.label)).toEqual([
      "Spent so far",
      "Projected by month end",
      "Projected above budget",
      "Monthly budget",
    ]);
    expect(budget!.config.data.datasets[1]!.data).toEqual([null, null, 86.27, -20.02, 0]);
    expect(budget!.config.data.datasets[2]!.data).toEqual([1874.6, 741.3, null, null, null]);
  });

  it("gives each workflow one colour in the daily chart", () => {
    const colours = daily!.config.data.datasets.map(
      (d) => (d as { borderColor?: string }).borderColor,
    );
    expect(new Set(colours).size).toBe(FIXTURE_REPORT.workflows.length);
  });

  it("stacks cloud spend and review cost", () => {
    expect(loaded!.config.data.datasets[0]!.data).toEqual(
      FIXTURE_REPORT.workflows.map((w) => w.spend),
    );
    expect(loaded!.config.data.datasets[1]!.data).toEqual(
      FIXTURE_REPORT.workflows.map((w) => w.reviewCost),
    );
  });

  it("groups the smallest unregistered values and never draws a negative slice", () => {
    const many: Report = {
      ...FIXTURE_REPORT,
      unregistered: [
        ...FIXTURE_REPORT.unregistered,
        {
          value: "refund-only",
          spend: -5,
          suggestion: null,
          caseOnly: false,
          route: "resourceTag",
        },
        { value: "tiny", spend: 0.5, suggestion: null, caseOnly: false, route: "principalTag" },
      ],
    };
    const slices = chartModel(many).charts[3]!.config.data;
    expect(slices.labels).toHaveLength(2 + MAX_UNREGISTERED_SLICES + 1);
    expect(slices.labels!.at(-1)).toBe("3 other unregistered tag values");
    // The rest (1.05 + 0.5 - 5) is a net credit: drawn as an empty slice, not a negative one.
    expect(slices.datasets[0]!.data.at(-1)).toBe(0);
    expect(Math.min(...(slices.datasets[0]!.data as number[]))).toBeGreaterThanOrEqual(0);
    expect(share!.config.data.labels![0]).toBe("Registered workflows");
  });
});

describe("renderHtml: spend by route", () => {
  it("splits each workflow's spend by route in its own table, not in the all-workflows one", () => {
    const routes = /<table id="workflow-routes">([\s\S]*?)<\/table>/.exec(page)?.[1] ?? "";
    for (const w of FIXTURE_REPORT.workflows) {
      expect(routes).toContain(`<td class="id">${w.id}</td>`);
    }
    const cells = [...routes.matchAll(/data-route="(resourceTag|principalTag)">([^<]*)</g)];
    expect(cells).toHaveLength(2 * FIXTURE_REPORT.workflows.length);
    const workflows = /<table id="workflow-table">([\s\S]*?)<\/table>/.exec(page)?.[1];
    expect(workflows).toContain("Spent so far");
    expect(workflows).not.toContain("data-route");
  });
});

describe("renderHtml: a report from CUR", () => {
  const curPage = renderHtml(CUR_FIXTURE_REPORT, { unownedSpendContact: "finops@example.com" });
  const curMarkup = curPage.replace(/<script[^>]*>[\s\S]*?<\/script>/g, "").replace(/\s+/g, " ");
  const rowsOf = (text: string) =>
    [...text.matchAll(/<tr data-workflow="([^"]*)" data-model="([^"]*)">/g)].map((m) => [
      m[1],
      m[2],
    ]);

  it("has a per-workflow model table, largest spend first within each workflow", () => {
    expect(rowsOf(curMarkup)).toEqual([
      ["support-triage", "Claude Sonnet 4.5"],
      ["support-triage", "Nova2.0Lite"],
      [
        "contract-review",
        "&lt;/script&gt;&lt;script&gt;window.__pwned = &quot;script&quot;&lt;/script&gt;",
      ],
      ["contract-review", "Claude Sonnet 4.5"],
    ]);
    expect(curMarkup).toMatch(
      /<td class="id">support-triage<\/td> <td>Claude Sonnet 4\.5<\/td> <td class="num">900\.25<\/td> <td class="num">210,000,000<\/td> <td class="num">30,000,000<\/td> <td class="num">50,000,000<\/td> <td class="num">4,000,000<\/td> <td class="num">3\.06<\/td>/,
    );
    // Credits only: no tokens, so no cost per million tokens.
    expect(curMarkup).toMatch(/<td class="num">-5\.00<\/td>( <td class="num">–<\/td>){5} <\/tr>/);
  });

  it("names the usage types it could not read, escaped", () => {
    expect(curMarkup).toContain(
      "<code>USE1-MP:USE1_Mystery_tokens-Units</code> on &lt;img src=x onerror=alert(1)&gt;: 4 line items, 12.50 USD",
    );
    expect(curPage).not.toContain(INJECTION.markup);
    expect(curPage).not.toContain(INJECTION.script);
  });

  it("draws cost per million tokens by model, one bar per workflow with models", () => {
    const spec = chartModel(CUR_FIXTURE_REPORT).charts.find((c) => c.canvasId === MODEL_CHART_ID)!;
    expect(spec).toMatchObject({ moneyAxis: "y", tickDigits: 2, config: { type: "bar" } });
    expect(spec.config.data.labels).toEqual(["Claude Sonnet 4.5", INJECTION.script, "Nova2.0Lite"]);
    expect(spec.config.data.datasets.map((d) => [d.label, d.data])).toEqual([
      ["support-triage", [3.062075, null, 0.063421]],
      ["contract-review", [null, 3, null]],
    ]);
    expect(curMarkup).toContain(`<canvas id="${MODEL_CHART_ID}"`);
  });

  it("says what the query read and cost, not Cost Explorer requests", () => {
    expect(curMarkup).toMatch(
      /Built from CUR 2\.0 line items, queried with Athena \(52,428,800 bytes scanned: 0\.0002 USD at USD 5 per TB, 10 MB minimum; no Cost Explorer requests\)/,
    );
  });

  it("a Cost Explorer report has neither the model table nor the chart", () => {
    expect(markup).not.toContain('id="models"');
    expect(page).not.toContain(MODEL_CHART_ID);
    expect(chartModel(FIXTURE_REPORT).charts).toHaveLength(4);
  });

  it("refuses a report whose fields do not match its source", () => {
    const { models: _, ...first } = CUR_FIXTURE_REPORT.workflows[0]!;
    expect(() =>
      renderHtml({ ...CUR_FIXTURE_REPORT, workflows: [first] } as unknown as Report),
    ).toThrow(/workflows\[0\]\.models: expected a list in a CUR report/);
    expect(() =>
      renderHtml({ ...FIXTURE_REPORT, workflows: CUR_FIXTURE_REPORT.workflows } as Report),
    ).toThrow(/a Cost Explorer report has no token counts/);
    expect(() =>
      renderHtml({
        ...CUR_FIXTURE_REPORT,
        query: { ...CUR_FIXTURE_REPORT.query, engine: "duckdb" },
      }),
    ).toThrow(/query\.engine: expected "athena"/);
    expect(() => renderHtml({ ...FIXTURE_REPORT, source: "focus" } as unknown as Report)).toThrow(
      /source: expected "cost-explorer" or "cur"/,
    );
  });
});
