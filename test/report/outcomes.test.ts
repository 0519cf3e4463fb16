/**
 * The HTML report's outcome economics and account checks: the cost-per-accepted chart model,
 * the Outcomes section (workflows without a cost listed with the reason, never drawn as zero),
 * the one models table with its outcome columns and the cheap-model-dearer flag, who absorbs
 * the human cost, and the `audit` / `health` sections with their untrusted text escaped.
 */
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/reconciler";
import {
  chartModel,
  costPerAcceptedParts,
  OUTCOME_CHART_ID,
  outcomeGap,
} from "../../src/report/charts";
import { renderHtml } from "../../src/report/html";
import { FIXTURE_REPORT, INJECTION, OUTCOMES_FIXTURE_REPORT } from "./fixture";

const render = (report: Report) =>
  renderHtml(report)
    .replace(/<script[^>]*>[\s\S]*?<\/script>/g, "")
    .replace(/\s+/g, " ");
const markup = render(OUTCOMES_FIXTURE_REPORT);
const page = renderHtml(OUTCOMES_FIXTURE_REPORT);

/** The inner markup of the element with this id (a table, a list, a section). */
function byId(text: string, id: string): string {
  const at = text.indexOf(`id="${id}"`);
  if (at === -1) return "";
  const tag = /^<(\w+)/.exec(text.slice(text.lastIndexOf("<", at)))![1]!;
  return text.slice(at, text.indexOf(`</${tag}>`, at));
}

const workflow = (id: string) => OUTCOMES_FIXTURE_REPORT.workflows.find((w) => w.id === id)!;

describe("chartModel: cost per accepted outcome", () => {
  const spec = chartModel(OUTCOMES_FIXTURE_REPORT).charts.find(
    (c) => c.canvasId === OUTCOME_CHART_ID,
  )!;

  it("stacks model, review, rework and exceptions per workflow that has a cost", () => {
    expect(spec).toMatchObject({
      moneyAxis: "x",
      unitAmounts: true,
      config: { type: "bar", options: { indexAxis: "y" } },
    });
    expect(spec.config.data.labels).toEqual(["support-triage", "contract-review"]);
    expect(spec.config.data.datasets.map((d) => d.label)).toEqual([
      "Model",
      "Review",
      "Rework",
      "Exceptions",
    ]);
    // Each part / accepted: 13,104 review over 25,000 accepted is 0.52416 per outcome.
    expect(spec.config.data.datasets[1]!.data[0]).toBe(0.52416);
    expect(spec.config.data.datasets[3]!.data[1]).toBe(Math.round((2_100 / 1_190) * 1e6) / 1e6);
  });

  it("parts that sum to the report's cost per accepted outcome", () => {
    for (const id of ["support-triage", "contract-review"]) {
      const w = workflow(id);
      const parts = costPerAcceptedParts(w)!;
      const sum = parts.model + parts.review + parts.rework + parts.exceptions;
      expect(sum).toBeCloseTo(w.outcomes!.costPerAccepted!, 5);
    }
  });

  it("never draws a workflow without a cost per accepted outcome, not even as zero", () => {
    const ids = spec.config.data.labels;
    expect(ids).not.toContain("invoice-matching");
    expect(ids).not.toContain("memo-pilot");
    expect(ids).not.toContain("fraud-screening");
    expect(costPerAcceptedParts(workflow("invoice-matching"))).toBeNull();
    expect(outcomeGap(workflow("invoice-matching"))).toMatchObject({ kind: "nothing-accepted" });
    expect(outcomeGap(workflow("memo-pilot"))).toEqual({
      kind: "no-outcomes",
      flag: "No outcome figures this month: the metric Memo/Accepted has no data points.",
    });
    expect(outcomeGap(workflow("fraud-screening"))).toEqual({ kind: "no-outcomes", flag: null });
    expect(outcomeGap(workflow("support-triage"))).toBeNull();
  });

  it("counts a credit as zero model cost, as the reconciler does", () => {
    const credited = { ...workflow("support-triage"), spend: -50 };
    expect(costPerAcceptedParts(credited)!.model).toBe(0);
  });

  it("has no chart when no workflow has outcomes", () => {
    expect(chartModel(FIXTURE_REPORT).charts.map((c) => c.canvasId)).not.toContain(
      OUTCOME_CHART_ID,
    );
    expect(renderHtml(FIXTURE_REPORT)).not.toContain(OUTCOME_CHART_ID);
  });
});

describe("renderHtml: Outcomes", () => {
  it("draws the chart in the Outcomes section", () => {
    expect(byId(markup, "outcomes")).toContain(`<canvas id="${OUTCOME_CHART_ID}"`);
  });

  it("tabulates each workflow's outcomes with its basis and why it is estimated, escaped", () => {
    const table = byId(markup, "outcome-table");
    expect(
      [...table.matchAll(/<tr data-workflow="([^"]+)" data-basis="(\w+)">/g)].map((m) => [
        m[1],
        m[2],
      ]),
    ).toEqual([
      ["support-triage", "measured"],
      ["contract-review", "estimated"],
      ["invoice-matching", "measured"],
    ]);
    expect(table).toContain("estimated from outcomes.expected &lt;img src=x onerror=alert(1)&gt;");
    expect(page).not.toContain(INJECTION.markup);
    // Nothing accepted: a dash, not 0.00.
    expect(table).toMatch(
      /<td class="id">invoice-matching<\/td>[\s\S]*?<td class="num" data-cost-per-accepted> – <\/td>/,
    );
    const perAccepted = workflow("support-triage").outcomes!.costPerAccepted!;
    expect(table).toContain(`${perAccepted.toFixed(2)} </td>`);
  });

  it("lists every workflow without a cost with its reason", () => {
    const gaps = byId(markup, "outcome-gaps");
    expect([...gaps.matchAll(/<li data-workflow="([^"]+)">/g)].map((m) => m[1])).toEqual([
      "invoice-matching",
      "memo-pilot",
      "fraud-screening",
    ]);
    expect(gaps).toContain('<span class="id">invoice-matching</span>: No output was accepted');
    expect(gaps).toContain("the metric Memo/Accepted has no data points");
    expect(gaps).toContain("the registry gives it no <code>outcomes</code>");
  });

  it("says how to start when no workflow declares outcomes", () => {
    const section = byId(render(FIXTURE_REPORT), "outcomes");
    expect(section).toContain("No workflow declares outcomes in the registry");
    expect(section).not.toContain("outcome-gaps");
  });
});

describe("renderHtml: the models table with outcomes", () => {
  const table = byId(markup, "model-table");

  it("is one table: tokens and cost per accepted outcome side by side", () => {
    expect(markup.match(/id="model-table"/g)).toHaveLength(1);
    expect(markup).toContain("Models: tokens and outcomes");
    expect(table).toContain("Per million tokens (USD)");
    expect(table).toContain("Per accepted outcome (USD)");
    expect(table).toMatch(
      /<td>Nova2\.0Lite<\/td>[\s\S]*?<td class="num">5,000<\/td> <td class="num">2,000<\/td> <td class="num" data-cost-per-accepted> 2\.14 <\/td>/,
    );
    // A model without per-model outcomes has dashes in the outcome columns.
    expect(table).toMatch(
      /<td class="num">3\.00<\/td> <td class="num">–<\/td> <td class="num">–<\/td> <td class="num" data-cost-per-accepted>–<\/td>/,
    );
  });

  it("puts the cheap-model-dearer flag right after the workflow's models", () => {
    const rows = [
      ...table.matchAll(
        /<tr (?:class="model-flag" )?data-workflow="([^"]+)"(?: data-model="([^"]*)")?>/g,
      ),
    ].map((m) => `${m[1]}:${m[2] ?? "flag"}`);
    expect(rows.slice(0, 3)).toEqual([
      "support-triage:Claude Sonnet 4.5",
      "support-triage:Nova2.0Lite",
      "support-triage:flag",
    ]);
    expect(table).toContain('data-kind="cheap-model-dearer"');
    expect(table).toContain('colspan="11"');
  });

  it("a Cost Explorer report shows its Marketplace models with outcomes, without token columns", () => {
    const {
      source: _s,
      engine: _e,
      query: _q,
      unknownUsageTypes: _u,
      unownedBy: _b,
      ...common
    } = OUTCOMES_FIXTURE_REPORT;
    const ce: Report = {
      ...common,
      source: "cost-explorer",
      ceRequests: 3,
      workflows: common.workflows.map((w) => ({
        ...w,
        models: w.models.map((m) => ({
          ...m,
          inputTokens: null,
          outputTokens: null,
          cacheReadTokens: null,
          cacheWriteTokens: null,
          costPerMillionTokens: null,
        })),
      })),
    };
    const ceTable = byId(render(ce), "model-table");
    expect(render(ce)).toContain("Models and outcomes");
    expect(ceTable).not.toContain("Input tokens");
    expect(ceTable).toContain("Per accepted outcome (USD)");
    expect(ceTable).toContain('colspan="6"');
  });
});

describe("renderHtml: who absorbs the human cost", () => {
  const table = byId(markup, "team-table");

  it("lists each team's total and, per workflow, the owner and the three costs", () => {
    expect(
      [...table.matchAll(/<tr data-team="([^"]+)" data-workflow="([^"]+)">/g)].map(
        (m) => `${m[1]}/${m[2]}`,
      ),
    ).toEqual([
      "support-ops/invoice-matching",
      "support-ops/contract-review",
      "tier2-support/contract-review",
    ]);
    expect(table).toMatch(
      /<td class="id" rowspan="2">support-ops<\/td> <td class="num" rowspan="2"> 2,515\.50 <\/td> <td class="id">invoice-matching<\/td> <td>dana@example\.com<\/td> <td class="num">420\.00<\/td> <td class="num">6\.50<\/td> <td class="num">0\.00<\/td>/,
    );
    expect(table).toContain('<td class="num">2,100.00</td> </tr>');
  });

  it("says so when no team carries another owner's cost", () => {
    expect(byId(render(FIXTURE_REPORT), "teams")).toContain(
      "No team carries review, rework or exception time",
    );
  });
});

describe("renderHtml: audit and health", () => {
  it("lists the resources that need action with what is wrong and the fix, escaped", () => {
    const audit = byId(markup, "audit");
    expect(audit).toContain("7 AI resources from the Resource Groups Tagging API");
    expect(audit).toContain("1 of an ARN shape the audit does not know was listed, not judged");
    expect(audit).toContain("The audit is incomplete");
    const table = byId(markup, "audit-table");
    expect(table).toContain(
      "<code>arn:aws:sagemaker:us-east-1:123456789012:endpoint/&lt;/script&gt;&lt;script&gt;window.__pwned = &quot;script&quot;&lt;/script&gt;</code>",
    );
    expect(table).toContain(
      "<li data-outside-iac>made outside IaC (no stack manages it): import it into a stack or delete it</li>",
    );
    expect(table).toContain("its tags name nobody");
    expect(table).toContain("<td>&lt;img src=x onerror=alert(1)&gt;</td>");
    expect(table).toContain(
      "Workflow tag &quot;=HYPERLINK(&quot;http://attacker.example/&quot;,&quot;fix&quot;)&quot; is not registered.",
    );
    expect(table).toContain(
      "<code>ai-resource-tags</code> (mandatory): The endpoint has no workflow tag.",
    );
    expect(byId(markup, "audit-notes")).toContain(
      "eu-west-3: could not check: tag:GetResources denied",
    );
    expect(page).not.toContain(INJECTION.script);
  });

  it("shows the doctor's items errors first, each with its fix", () => {
    const table = byId(markup, "health-table");
    expect([...table.matchAll(/<tr data-status="(\w+)"/g)].map((m) => m[1])).toEqual([
      "error",
      "warning",
      "unchecked",
      "ok",
    ]);
    expect(table).toContain(
      '<code class="fix">aws ce update-cost-allocation-tags-status --cost-allocation-tags-status TagKey=iamPrincipal/workflow,Status=Active</code>',
    );
    expect(table).toContain(
      '<td class="id">arn:aws:iam::123456789012:role/&lt;img src=x onerror=alert(1)&gt;</td>',
    );
    expect(table).toContain('<span class="badge info">Not checked</span>');
    expect(byId(markup, "health")).toContain("3 items to look at.");
  });

  it("has neither section when the account checks are off", () => {
    const off = render(FIXTURE_REPORT);
    expect(off).not.toContain('id="audit"');
    expect(off).not.toContain('id="health"');
  });

  it("a clean audit says none needs action and lists no table", () => {
    const clean = render({
      ...OUTCOMES_FIXTURE_REPORT,
      audit: { ...OUTCOMES_FIXTURE_REPORT.audit!, complete: true, needsAction: [], notes: [] },
    });
    expect(byId(clean, "audit")).toContain("none needs action");
    expect(clean).not.toContain('id="audit-table"');
    expect(clean).not.toContain("The audit is incomplete");
  });
});
