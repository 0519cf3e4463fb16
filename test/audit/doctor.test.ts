import { describe, expect, it } from "vitest";
import {
  backfillRequest,
  backfillStart,
  curExportItems,
  doctorReport,
  firstSpendDay,
  invokerFindings,
  invokerItems,
  selectedColumns,
  spendRouteItems,
  tagActivationItems,
  unchecked,
} from "../../src/audit";
import type { CurExportSettings, IamDetails } from "../../src/audit";
import { evaluateStack } from "../../src/policy";
import { CUR_COLUMNS } from "../../src/reconciler/cur/columns";
import { printable } from "../../src/util/printable";
import { CUR_FIXTURE_REPORT, FIXTURE_REPORT, INJECTION } from "../report/fixture";
import { testRegistry } from "../reconciler/fixtures";

const registry = testRegistry();
const TODAY = "2026-11-28";

describe("tag activation", () => {
  const tags = [
    { key: "workflow", status: "Active", lastUpdated: "2026-01-10T00:00:00Z" },
    { key: "owner", status: "Inactive" },
    { key: "iamPrincipal/workflow", status: "Active", lastUpdated: "2026-11-12T08:00:00Z" },
  ] as const;
  const items = tagActivationItems(registry, tags, "2026-11-01", TODAY);
  const bySubject = Object.fromEntries(items.map((i) => [i.subject, i]));

  it("ok when active before the first spend", () => {
    expect(bySubject.workflow).toMatchObject({ status: "ok" });
    expect(bySubject.workflow!.message).toContain("active since 2026-01-10");
  });

  it("error with the activation command when inactive", () => {
    expect(bySubject.owner).toMatchObject({ status: "error" });
    expect((bySubject.owner as { fix: string }).fix).toContain(
      "aws ce update-cost-allocation-tags-status --cost-allocation-tags-status TagKey=owner,Status=Active",
    );
  });

  it("activated after the first spend: the backfill from that month's first day", () => {
    const item = bySubject["iamPrincipal/workflow"] as {
      status: string;
      fix: string;
      backfillFrom: string;
    };
    expect(item.status).toBe("warning");
    expect(item.backfillFrom).toBe("2026-11-01T00:00:00Z");
    expect(item.fix).toContain(
      "aws ce start-cost-allocation-tag-backfill --backfill-from 2026-11-01T00:00:00Z",
    );
    expect(backfillRequest(items)).toBe("2026-11-01T00:00:00Z");
  });

  it("a principal key not listed yet says it appears after a tagged Bedrock call", () => {
    const item = bySubject["iamPrincipal/owner"]!;
    expect(item.status).toBe("warning");
    expect(item.message).toContain('tagged "owner" has called Bedrock');
  });

  it("never asks for a backfill further back than twelve months", () => {
    expect(backfillStart("2024-03-15", "2026-11-28")).toBe("2025-11-01T00:00:00Z");
    expect(backfillStart("2026-10-15", "2026-11-28")).toBe("2026-10-01T00:00:00Z");
    expect(backfillRequest([])).toBeUndefined();
  });
});

describe("CUR export", () => {
  const good: CurExportSettings = {
    arn: "arn:aws:bcm-data-exports:us-east-1:111122223333:export/cur2-abc",
    name: "cur2",
    queryStatement: `SELECT ${CUR_COLUMNS.filter((c) => c.addedBy.kind === "query")
      .map((c) => c.name)
      .join(", ")}, line_item_resource_id FROM COST_AND_USAGE_REPORT`,
    tableConfigurations: {
      COST_AND_USAGE_REPORT: {
        TIME_GRANULARITY: "DAILY",
        INCLUDE_RESOURCES: "TRUE",
        INCLUDE_IAM_PRINCIPAL_DATA: "TRUE",
      },
    },
    format: "PARQUET",
    statusCode: "HEALTHY",
    statusReason: undefined,
  };

  it("ok when Parquet, every column and both configurations", () => {
    expect(curExportItems(good).map((i) => i.status)).toEqual(["ok"]);
  });

  it("names each problem and its fix", () => {
    const items = curExportItems({
      ...good,
      format: "TEXT_OR_CSV",
      queryStatement: "SELECT line_item_usage_start_date, tags FROM COST_AND_USAGE_REPORT",
      tableConfigurations: { COST_AND_USAGE_REPORT: { INCLUDE_RESOURCES: "TRUE" } },
      statusCode: "UNHEALTHY",
      statusReason: "INSUFFICIENT_PERMISSION",
    });
    expect(items.every((i) => i.status === "error")).toBe(true);
    const text = items.map((i) => `${i.message} | ${"fix" in i ? i.fix : ""}`).join("\n");
    expect(text).toContain("delivered as TEXT_OR_CSV");
    expect(text).toContain("INCLUDE_IAM_PRINCIPAL_DATA is not set");
    expect(text).toContain("COST_AND_USAGE_REPORT.INCLUDE_IAM_PRINCIPAL_DATA to TRUE");
    expect(text).toContain("does not select bill_billing_period_start_date");
    expect(text).not.toContain("does not select line_item_usage_start_date");
    expect(text).toContain("unhealthy (INSUFFICIENT_PERMISSION)");
    expect(text).toContain("s3:PutObject");
  });

  it("reads the select list, star included", () => {
    expect([...selectedColumns("select a, B ,c from t")]).toEqual(["a", "b", "c"]);
    expect(selectedColumns("SELECT * FROM COST_AND_USAGE_REPORT").has("*")).toBe(true);
    expect(selectedColumns("nonsense").size).toBe(0);
  });
});

describe("spend routes", () => {
  it("says the share of each route and ranks unowned spend by service", () => {
    const [item] = spendRouteItems(FIXTURE_REPORT, registry);
    expect(item!.status).toBe(
      FIXTURE_REPORT.attribution.none / FIXTURE_REPORT.totals.aiSpend > 0.05 ? "error" : "warning",
    );
    expect(item!.message).toContain("by resource tag");
    expect(item!.message).toContain("by the caller's principal tag");
    expect(item!.message).toContain("Unowned by service:");
  });

  it("ranks a CUR report's unowned spend by caller and by resource, escaping their text", () => {
    const [item] = spendRouteItems(CUR_FIXTURE_REPORT, registry);
    expect(item!.message).toContain(
      "Unowned by caller: arn:aws:sts::111122223333:assumed-role/ai-gateway/s1 150.40 USD, ",
    );
    // The injection in a caller's name is printed escaped, never as a raw control or markup.
    expect(item!.message).toContain(`${printable(INJECTION.markup)} 11.84 USD`);
    expect(item!.message).toContain("(48.20 USD on lines naming no caller)");
    expect(item!.message).toContain(
      "by resource: arn:aws:sagemaker:us-east-1:111122223333:endpoint/triage-eval (Amazon SageMaker) 48.20 USD (162.24 USD on lines naming no resource)",
    );
    expect(item!.message).not.toContain("by service");
    expect(item).toMatchObject({ fix: expect.stringMatching(/aws iam tag-role/) });
  });

  it("names five callers, and the rest as a count and a sum", () => {
    const principals = Array.from({ length: 7 }, (_, i) => ({
      principal: `arn:aws:iam::111122223333:role/r${i}`,
      spend: 10 + i,
    }));
    const report = {
      ...CUR_FIXTURE_REPORT,
      unownedBy: {
        ...CUR_FIXTURE_REPORT.unownedBy,
        principals,
        principalsRest: { count: 3, spend: 4.5 },
      },
    };
    const [item] = spendRouteItems(report, registry);
    expect(item!.message).toMatch(
      /by caller: arn:aws:iam::111122223333:role\/r6 16\.00 USD, .*r2 12\.00 USD, 5 more 25\.50 USD/,
    );
    expect(item!.message).not.toContain("role/r1 ");
  });

  it("ok with nothing unowned, or no AI spend", () => {
    const clean = {
      ...FIXTURE_REPORT,
      attribution: { ...FIXTURE_REPORT.attribution, none: 0 },
    };
    expect(spendRouteItems(clean, registry)[0]!.status).toBe("ok");
    const none = { ...FIXTURE_REPORT, totals: { ...FIXTURE_REPORT.totals, aiSpend: 0 } };
    expect(spendRouteItems(none, registry)[0]!.message).toBe("no AI spend in the period");
    expect(firstSpendDay(FIXTURE_REPORT) >= FIXTURE_REPORT.period.start).toBe(true);
  });
});

const invokeDocument = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "bedrock:InvokeModel", Resource: "*" }],
});

const IAM: IamDetails = {
  roles: [
    {
      name: "llm-gateway",
      arn: "arn:aws:iam::111122223333:role/llm-gateway",
      tags: {},
      inline: [{ name: "invoke", document: invokeDocument }],
      attached: [],
    },
    {
      name: "triage",
      arn: "arn:aws:iam::111122223333:role/triage",
      tags: { workflow: "support-triage", owner: "dana@example.com" },
      inline: [],
      attached: ["arn:aws:iam::111122223333:policy/invoke-profiles"],
    },
    {
      name: "readonly",
      arn: "arn:aws:iam::111122223333:role/readonly",
      tags: {},
      inline: [],
      attached: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
    },
  ],
  users: [
    {
      name: "alice",
      arn: "arn:aws:iam::111122223333:user/alice",
      tags: {},
      inline: [],
      attached: [],
      groups: ["ml"],
    },
  ],
  groups: [
    {
      name: "ml",
      arn: "arn:aws:iam::111122223333:group/ml",
      inline: [],
      attached: ["arn:aws:iam::aws:policy/AmazonBedrockFullAccess"],
    },
  ],
  policies: [
    {
      arn: "arn:aws:iam::111122223333:policy/invoke-profiles",
      name: "invoke-profiles",
      document: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: "bedrock:InvokeModel",
            Resource: "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/*",
          },
        ],
      }),
    },
  ],
};

describe("invokers", () => {
  it("flags the untagged gateway role and the user invoking through its group", () => {
    const items = invokerItems(IAM, registry, TODAY);
    const errors = items.filter((i) => i.status === "error").map((i) => i.subject);
    expect(errors.sort()).toEqual([
      "arn:aws:iam::111122223333:role/llm-gateway",
      "arn:aws:iam::111122223333:user/alice",
    ]);
    const gateway = items.find((i) => i.subject.endsWith("role/llm-gateway"))! as { fix: string };
    expect(gateway.fix).toBe(
      "aws iam tag-role --role-name llm-gateway --tags Key=workflow,Value=<workflow id> Key=owner,Value=<owner email>",
    );
    const alice = items.find((i) => i.subject.endsWith("user/alice"))!;
    expect(alice.message).toContain("through its group");
    expect(items.some((i) => i.subject.endsWith("role/readonly"))).toBe(false);
    expect(items.some((i) => i.subject.endsWith("role/triage") && i.status === "error")).toBe(
      false,
    );
  });

  it("is the pack's verdict on the same principals as Pulumi resources", () => {
    const viaDoctor = invokerFindings(IAM, registry, TODAY).filter(
      (f) => f.urn === "arn:aws:iam::111122223333:role/llm-gateway",
    );
    const asStack = evaluateStack(
      [
        {
          urn: "arn:aws:iam::111122223333:role/llm-gateway",
          type: "aws:iam/role:Role",
          name: "llm-gateway",
          props: {
            name: "llm-gateway",
            tags: {},
            inlinePolicies: [{ name: "invoke", policy: invokeDocument }],
          },
          op: "same",
        },
      ],
      { registry, today: TODAY, stage: "deployed" },
    );
    expect(viaDoctor).toEqual(asStack);
  });

  it("ok when every invoker is tagged", () => {
    const items = invokerItems({ ...IAM, roles: [IAM.roles[1]!], users: [] }, registry, TODAY);
    expect(items.map((i) => i.status)).toEqual(["ok"]);
  });
});

describe("doctor report", () => {
  it("orders by check then status, and says incomplete when a check could not run", () => {
    const report = doctorReport(
      [
        { check: "invokers", status: "ok", subject: "x", message: "fine" },
        unchecked(
          "tag-activation",
          "cost allocation tags",
          "could not check: ce:ListCostAllocationTags denied",
        ),
        { check: "invokers", status: "error", subject: "y", message: "bad", fix: "do" },
      ],
      "workflows.yaml",
      TODAY,
    );
    expect(report.items.map((i) => `${i.check}:${i.status}`)).toEqual([
      "tag-activation:unchecked",
      "invokers:error",
      "invokers:ok",
    ]);
    expect(report).toMatchObject({ passed: false, complete: false });
    expect(report.summary).toEqual({ ok: 1, warning: 0, error: 1, unchecked: 1 });
  });
});
