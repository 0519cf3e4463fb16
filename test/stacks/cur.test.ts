/** `costSource: cur`: the CUR 2.0 export, its table and workgroup, and the reconciler's grants. */
import { beforeAll, describe, expect, it } from "vitest";
import { CUR_COLUMNS } from "../../src/reconciler/cur/columns";
import { readStackSettings } from "../../stacks/config";
import { MOCK_ACCOUNT } from "../../stacks/mocks";
import { runStackPreview } from "../../stacks/preview";
import type { RegisteredResource } from "../../stacks/preview";
import { THREE_WORKFLOWS, json, ofType, one } from "./helpers";

const EXPORT = "aws:bcmdata/export:Export";
const PROVIDER = "pulumi:providers:aws";
const BUCKET = "aws:s3/bucket:Bucket";
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const DATABASE = "aws:glue/catalogDatabase:CatalogDatabase";
const TABLE = "aws:glue/catalogTable:CatalogTable";
const WORKGROUP = "aws:athena/workgroup:Workgroup";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const FUNCTION = "aws:lambda/function:Function";
const CUR_TYPES = [EXPORT, PROVIDER, DATABASE, TABLE, WORKGROUP];

/** Mock inputs, read as nested records. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- nested inputs, asserted below
type Nested = Record<string, any>;

const preview = async (settings: Record<string, unknown> = {}) =>
  (await runStackPreview(THREE_WORKFLOWS, { bundle: false, settings })).resources;

interface Statement {
  Sid: string;
  Action: string[] | string;
  Resource: string[] | string;
  Condition?: unknown;
}
const statements = (resources: readonly RegisteredResource[]) =>
  (
    json(one(resources, ROLE_POLICY, "reconciler-role-policy").inputs.policy) as {
      Statement: Statement[];
    }
  ).Statement;

/**
 * Inputs with the per-deployment hash salt (32 random bytes in hex, made anew by every program
 * run; a real stack keeps its first one) written as `<salt>`, so two runs compare.
 */
const withoutSalt = (inputs: unknown): unknown =>
  JSON.parse(JSON.stringify(inputs ?? null).replace(/\b[0-9a-f]{64}\b/g, "<salt>"));

/** Every registration, URNs aside: what `pulumi preview` would propose. */
const proposal = (resources: readonly RegisteredResource[]) =>
  resources.map(({ type, name, custom, inputs, provider }) => ({
    type,
    name,
    custom,
    inputs: withoutSalt(inputs),
    provider,
  }));

let byDefault: RegisteredResource[];
let cur: RegisteredResource[];
beforeAll(async () => {
  byDefault = await preview();
  cur = await preview({ costSource: "cur" });
});

describe("the default cost source (cost-explorer)", () => {
  it("registers exactly what an explicit cost-explorer does, and nothing of the CUR", async () => {
    expect(proposal(await preview({ costSource: "cost-explorer" }))).toEqual(proposal(byDefault));
    for (const type of CUR_TYPES) expect(ofType(byDefault, type)).toEqual([]);
    expect(ofType(byDefault, BUCKET).map((b) => b.name)).toEqual(["reconciler-reports"]);
  });

  it("keeps the Cost Explorer grant and the environment without CUR variables", () => {
    expect(statements(byDefault).map((s) => s.Sid)).toEqual([
      "ReadCostAndUsage",
      "AuditAccount",
      "ReadMeasuredVolume",
      "PublishOwnerDigests",
      "ReadWriteReports",
      "ListReportKeys",
      "WriteOwnLogs",
      "SendToDeadLetterQueue",
    ]);
    const env = (
      one(byDefault, FUNCTION).inputs.environment as { variables: Record<string, string> }
    ).variables;
    expect(Object.keys(env).filter((k) => /COST_SOURCE|_CUR_/.test(k))).toEqual([]);
  });
});

describe("costSource: cur", () => {
  const bucketName = "reconciler-cur";
  const bucketArn = `arn:aws:s3:::${bucketName}`;

  it("creates the CUR 2.0 export through a us-east-1 provider", () => {
    const exported = one(cur, EXPORT);
    const provider = one(cur, PROVIDER, "reconciler-us-east-1");
    expect(provider.inputs.region).toBe("us-east-1");
    expect(exported.provider).toMatch(/::reconciler-us-east-1::/);
    const spec = exported.inputs.export as Record<string, unknown>;
    expect(spec.name).toBe("ai-spend-guard-cur");
    expect(spec.refreshCadences).toEqual([{ frequency: "SYNCHRONOUS" }]);
    expect(spec.destinationConfigurations).toEqual([
      {
        s3Destinations: [
          {
            s3Bucket: bucketName,
            s3Prefix: "cur2",
            s3Region: "us-east-1",
            s3OutputConfigurations: [
              {
                outputType: "CUSTOM",
                format: "PARQUET",
                compression: "PARQUET",
                overwrite: "OVERWRITE_REPORT",
              },
            ],
          },
        ],
      },
    ]);
  });

  it("selects exactly the columns the reconciliation reads, with every table configuration", () => {
    const [query] = (
      one(cur, EXPORT).inputs.export as {
        dataQueries: { queryStatement: string; tableConfigurations: unknown }[];
      }
    ).dataQueries;
    const match = /^SELECT (.+) FROM COST_AND_USAGE_REPORT$/.exec(query!.queryStatement);
    expect(match?.[1]?.split(", ")).toEqual(CUR_COLUMNS.map((c) => c.name));
    expect(query!.tableConfigurations).toEqual({
      COST_AND_USAGE_REPORT: {
        BILLING_VIEW_ARN: `arn:aws:billing::${MOCK_ACCOUNT}:billingview/primary`,
        TIME_GRANULARITY: "DAILY",
        INCLUDE_RESOURCES: "TRUE",
        INCLUDE_IAM_PRINCIPAL_DATA: "TRUE",
        INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY: "FALSE",
        INCLUDE_SPLIT_COST_ALLOCATION_DATA: "FALSE",
        INCLUDE_CAPACITY_RESERVATION_DATA: "FALSE",
      },
    });
  });

  it("gives the bucket the policy Data Exports needs, TLS only, SSE-S3 (not KMS)", () => {
    const policy = json(one(cur, BUCKET_POLICY, "reconciler-cur-policy").inputs.policy);
    expect(policy).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "EnableAWSDataExportsToWriteToS3AndCheckPolicy",
          Effect: "Allow",
          Principal: {
            Service: ["billingreports.amazonaws.com", "bcm-data-exports.amazonaws.com"],
          },
          Action: ["s3:PutObject", "s3:GetBucketPolicy"],
          Resource: [`${bucketArn}/*`, bucketArn],
          Condition: {
            StringLike: {
              "aws:SourceAccount": MOCK_ACCOUNT,
              "aws:SourceArn": [
                `arn:aws:cur:us-east-1:${MOCK_ACCOUNT}:definition/*`,
                `arn:aws:bcm-data-exports:us-east-1:${MOCK_ACCOUNT}:export/*`,
              ],
            },
          },
        },
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [bucketArn, `${bucketArn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    });
    expect(
      one(
        cur,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "reconciler-cur-encryption",
      ).inputs.rules,
    ).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
  });

  it("declares the Glue table over the data prefix, CUR 2.0 types, projected billing_period", () => {
    expect(one(cur, DATABASE).inputs.name).toBe("ai_spend_guard_cur");
    const table = one(cur, TABLE).inputs as Nested;
    const location = `s3://${bucketName}/cur2/ai-spend-guard-cur/data/`;
    expect(table.databaseName).toBe("ai_spend_guard_cur");
    expect(table.tableType).toBe("EXTERNAL_TABLE");
    expect(table.partitionKeys).toEqual([{ name: "billing_period", type: "string" }]);
    expect(table.storageDescriptor.location).toBe(location);
    expect(table.storageDescriptor.serDeInfo.serializationLibrary).toBe(
      "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
    );
    expect(table.storageDescriptor.columns).toEqual(
      CUR_COLUMNS.map((c) => ({ name: c.name, type: c.type })),
    );
    expect(table.storageDescriptor.columns).toContainEqual({
      name: "tags",
      type: "map<string,string>",
    });
    expect(table.parameters).toMatchObject({
      classification: "parquet",
      "projection.enabled": "true",
      "projection.billing_period.type": "date",
      "projection.billing_period.format": "yyyy-MM",
      "projection.billing_period.interval.unit": "MONTHS",
      "storage.location.template": `${location}BILLING_PERIOD=\${billing_period}/`,
    });
  });

  it("limits the workgroup's bytes scanned per query, and enforces its results location", async () => {
    const config = one(cur, WORKGROUP).inputs.configuration as Nested;
    expect(config).toMatchObject({
      enforceWorkgroupConfiguration: true,
      bytesScannedCutoffPerQuery: 10 * 1024 ** 3,
      resultConfiguration: {
        outputLocation: `s3://${bucketName}/athena-results/`,
        encryptionConfiguration: { encryptionOption: "SSE_S3" },
      },
    });
    const custom = await preview({
      costSource: "cur",
      curBytesScannedCutoffPerQuery: 20_971_520,
      curExportName: "org-cur",
    });
    expect(
      (one(custom, WORKGROUP).inputs.configuration as Record<string, unknown>)
        .bytesScannedCutoffPerQuery,
    ).toBe(20_971_520);
    expect(one(custom, WORKGROUP).inputs.name).toBe("org-cur");
    expect(one(custom, DATABASE).inputs.name).toBe("org_cur");
  });

  it("grants the reconciler exactly its CUR calls, action by action, and no Cost Explorer", () => {
    const region = "us-east-1";
    const glue = `arn:aws:glue:${region}:${MOCK_ACCOUNT}`;
    const bySid = Object.fromEntries(statements(cur).map((s) => [s.Sid, s]));
    expect(Object.keys(bySid)).toEqual([
      "QueryCurWithAthena",
      "ReadCurTableDefinition",
      "ReadCurExportData",
      "WriteAthenaResults",
      "ListCurBucketPrefixes",
      "AuditAccount",
      "ReadMeasuredVolume",
      "PublishOwnerDigests",
      "ReadWriteReports",
      "ListReportKeys",
      "WriteOwnLogs",
      "SendToDeadLetterQueue",
    ]);
    // With CUR, the doctor also reads the export's settings.
    expect(bySid.AuditAccount!.Action).toContain("bcm-data-exports:GetExport");
    expect(bySid.QueryCurWithAthena).toMatchObject({
      Action: [
        "athena:StartQueryExecution",
        "athena:GetQueryExecution",
        "athena:GetQueryResults",
        "athena:StopQueryExecution",
      ],
      Resource: `arn:aws:athena:${region}:${MOCK_ACCOUNT}:workgroup/ai-spend-guard-cur`,
    });
    expect(bySid.ReadCurTableDefinition).toMatchObject({
      Action: ["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"],
      Resource: [
        `${glue}:catalog`,
        `${glue}:database/ai_spend_guard_cur`,
        `${glue}:table/ai_spend_guard_cur/cur2`,
      ],
    });
    expect(bySid.ReadCurExportData).toMatchObject({
      Action: ["s3:GetObject"],
      Resource: `${bucketArn}/cur2/ai-spend-guard-cur/data/*`,
    });
    expect(bySid.WriteAthenaResults).toMatchObject({
      Action: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"],
      Resource: `${bucketArn}/athena-results/*`,
    });
    expect(bySid.ListCurBucketPrefixes).toEqual({
      Sid: "ListCurBucketPrefixes",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:GetBucketLocation"],
      Resource: bucketArn,
      Condition: {
        StringLike: { "s3:prefix": ["cur2/ai-spend-guard-cur/data/*", "athena-results/*"] },
      },
    });
    // No Cost Explorer query: the doctor's tag-status read is the audit's own statement.
    expect(
      statements(cur)
        .filter((s) => s.Sid !== "AuditAccount")
        .flatMap((s) => [s.Action].flat())
        .some((a) => a.startsWith("ce:")),
    ).toBe(false);
  });

  it("tells the function where to query", () => {
    const env = (one(cur, FUNCTION).inputs.environment as { variables: Record<string, string> })
      .variables;
    expect(env).toMatchObject({
      AI_SPEND_GUARD_COST_SOURCE: "cur",
      AI_SPEND_GUARD_CUR_DATABASE: "ai_spend_guard_cur",
      AI_SPEND_GUARD_CUR_TABLE: "cur2",
      AI_SPEND_GUARD_CUR_WORKGROUP: "ai-spend-guard-cur",
    });
    // The doctor checks the export this stack made, not one named by hand.
    expect(env.AI_SPEND_GUARD_CUR_EXPORT_ARN).toMatch(/^arn:aws:bcmdata:/);
  });

  it("changes nothing else: the CUR source only adds resources, and edits the grant and env", () => {
    const key = (r: RegisteredResource) => `${r.type}::${r.name}`;
    const before = new Map(byDefault.map((r) => [key(r), r]));
    const added = cur.filter((r) => !before.has(key(r))).map(key);
    expect(
      added.every((k) => k.includes("reconciler-cur") || k.includes("reconciler-us-east-1")),
    ).toBe(true);
    expect(cur.length).toBe(byDefault.length + added.length);
    const changed = cur
      .filter((r) => before.has(key(r)))
      .filter(
        (r) =>
          JSON.stringify(withoutSalt(r.inputs)) !==
          JSON.stringify(withoutSalt(before.get(key(r))!.inputs)),
      )
      .map(key);
    expect(changed).toEqual([
      `${ROLE_POLICY}::reconciler-role-policy`,
      `${FUNCTION}::reconciler-function`,
    ]);
  });
});

describe("stack configuration of the cost source", () => {
  const config = (values: Record<string, string>) => (key: string) =>
    ({ registry: THREE_WORKFLOWS, ...values })[key];

  it("reads costSource and the CUR settings", () => {
    expect(
      readStackSettings(
        config({
          costSource: "cur",
          curExportName: "org-cur",
          curBytesScannedCutoffPerQuery: "20971520",
        }),
      ),
    ).toMatchObject({
      costSource: "cur",
      curExportName: "org-cur",
      curBytesScannedCutoffPerQuery: 20_971_520,
    });
  });

  it("names every bad CUR setting", () => {
    expect(() =>
      readStackSettings(
        config({
          costSource: "athena",
          curExportName: "my cur",
          curBytesScannedCutoffPerQuery: "1000",
        }),
      ),
    ).toThrow(
      [
        "invalid stack configuration:",
        '  ai-spend-guard:costSource: must be one of cost-explorer, cur, got "athena"',
        `  ai-spend-guard:curExportName: must be 1-100 letters, digits, '-' or '_' (it also names the Glue table and the workgroup), got "my cur"`,
        "  ai-spend-guard:curBytesScannedCutoffPerQuery: must be at least 10485760 (10 MB, Athena's minimum), got 1000",
      ].join("\n"),
    );
  });

  it("refuses a cost metric the CUR source cannot compute", () => {
    expect(() =>
      readStackSettings(config({ costSource: "cur", costMetric: "AmortizedCost" })),
    ).toThrow(
      /ai-spend-guard:costMetric: is not available with costSource cur: AmortizedCost is not one CUR column/,
    );
  });

  it("refuses the account grouping, which the function would refuse at cold start", () => {
    expect(() => readStackSettings(config({ costSource: "cur", groupByAccount: "true" }))).toThrow(
      /ai-spend-guard:groupByAccount: must be false with costSource cur: the CUR query does not group by linked account/,
    );
    expect(readStackSettings(config({ costSource: "cur" }))).toBeDefined();
  });
});
