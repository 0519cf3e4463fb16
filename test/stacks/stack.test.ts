import { beforeAll, describe, expect, it } from "vitest";
import { loadRegistry } from "../../src/registry";
import { evaluateStack } from "../../src/policy";
import { taggableType } from "../../src/policy";
import { MOCK_ACCOUNT } from "../../stacks/mocks";
import { runStackPreview } from "../../stacks/preview";
import type { RegisteredResource } from "../../stacks/preview";
import { FIXTURE_HANDLER, THREE_WORKFLOWS, json, ofType, one, toResourceInput } from "./helpers";

const BUDGET = "aws:budgets/budget:Budget";
const FUNCTION = "aws:lambda/function:Function";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";

let resources: RegisteredResource[];

beforeAll(async () => {
  ({ resources } = await runStackPreview(THREE_WORKFLOWS, {
    settings: { handlerEntry: FIXTURE_HANDLER },
  }));
});

const functionArn = () => `arn:aws:lambda:us-east-1:${MOCK_ACCOUNT}:function:reconciler-function`;

describe("budgets", () => {
  it("registers one budget per workflow that has one, named after it", () => {
    const budgets = ofType(resources, BUDGET);
    expect(budgets.map((b) => b.inputs.name).sort()).toEqual([
      "ai-spend-guard-ai-spend-guard",
      "ai-spend-guard-ticket-routing",
    ]);
  });

  it("filters on the user: cost allocation tag, with the registry's limit and thresholds", () => {
    const budget = one(resources, BUDGET, "ticket-routing-budget");
    const alerts = `arn:aws:sns:us-east-1:${MOCK_ACCOUNT}:reconciler-alerts`;
    const subscribers = {
      subscriberEmailAddresses: ["ana@example.com", "fin@example.com"],
      subscriberSnsTopicArns: [alerts],
      comparisonOperator: "GREATER_THAN",
      thresholdType: "PERCENTAGE",
    };
    expect(budget.inputs).toMatchObject({
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: "1234.5",
      limitUnit: "USD",
      costFilters: [{ name: "TagKeyValue", values: ["user:ai-workflow$ticket-routing"] }],
    });
    expect(budget.inputs.notifications).toEqual([
      { ...subscribers, notificationType: "ACTUAL", threshold: 50 },
      { ...subscribers, notificationType: "ACTUAL", threshold: 75 },
      { ...subscribers, notificationType: "ACTUAL", threshold: 90 },
      { ...subscribers, notificationType: "FORECASTED", threshold: 110 },
    ]);
  });

  it("gives a learning workflow without a budget its anomaly watch only", () => {
    expect(ofType(resources, BUDGET).some((b) => b.name.startsWith("scratch-pilot"))).toBe(false);
    expect(
      one(
        resources,
        "aws:costexplorer/anomalyMonitor:AnomalyMonitor",
        "scratch-pilot-anomaly-monitor",
      ),
    ).toBeDefined();
  });
});

describe("anomaly detection", () => {
  it("monitors each workflow's own tag value with a custom monitor", () => {
    const monitors = ofType(resources, "aws:costexplorer/anomalyMonitor:AnomalyMonitor");
    expect(monitors).toHaveLength(3);
    for (const monitor of monitors) {
      const id = monitor.name.replace(/-anomaly-monitor$/, "");
      expect(monitor.inputs.monitorType).toBe("CUSTOM");
      expect(json(monitor.inputs.monitorSpecification)).toEqual({
        Tags: { Key: "ai-workflow", Values: [id], MatchOptions: ["EQUALS"] },
      });
    }
  });

  it("emails the owner a daily summary and sends the alerts topic each anomaly at once", () => {
    const owner = one(
      resources,
      "aws:costexplorer/anomalySubscription:AnomalySubscription",
      "ticket-routing-anomaly-owner",
    );
    expect(owner.inputs).toMatchObject({
      frequency: "DAILY",
      subscribers: [{ type: "EMAIL", address: "ana@example.com" }],
      monitorArnLists: [`arn:aws:ce::${MOCK_ACCOUNT}:anomalymonitor/ai-spend-guard-ticket-routing`],
      // A tenth of the 1234.5 monthly budget.
      thresholdExpression: {
        dimension: {
          key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
          matchOptions: ["GREATER_THAN_OR_EQUAL"],
          values: ["123.45"],
        },
      },
    });
    const alerts = one(
      resources,
      "aws:costexplorer/anomalySubscription:AnomalySubscription",
      "ticket-routing-anomaly-alerts",
    );
    expect(alerts.inputs).toMatchObject({
      frequency: "IMMEDIATE",
      subscribers: [
        { type: "SNS", address: `arn:aws:sns:us-east-1:${MOCK_ACCOUNT}:reconciler-alerts` },
      ],
    });
  });
});

describe("attribution", () => {
  it("creates the registry's inference profiles beside their model, tagged for their workflow", () => {
    const profile = one(resources, "aws:bedrock/inferenceProfile:InferenceProfile");
    expect(profile.inputs).toEqual({
      name: "ticket-routing-nova",
      description: "ticket routing Route tickets to the right queue",
      modelSource: {
        copyFrom: "arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-lite-v1:0",
      },
      region: "eu-west-1",
      tags: { "ai-workflow": "ticket-routing", "ai-owner": "ana@example.com" },
    });
  });

  it("activates both tag keys as cost allocation tags, as resource tags and as the caller's", () => {
    const tags = ofType(resources, "aws:costexplorer/costAllocationTag:CostAllocationTag");
    expect(
      tags.map((t) => t.inputs).sort((a, b) => String(a.tagKey).localeCompare(String(b.tagKey))),
    ).toEqual([
      { tagKey: "ai-owner", status: "Active" },
      { tagKey: "ai-workflow", status: "Active" },
      { tagKey: "iamPrincipal/ai-owner", status: "Active" },
      { tagKey: "iamPrincipal/ai-workflow", status: "Active" },
    ]);
  });

  it("tags everything taggable with the guard's workflow and the owner the registry gives it", () => {
    const custom = resources.filter((r) => r.custom && taggableType(r.type));
    expect(custom.length).toBeGreaterThan(10);
    for (const r of custom) {
      const expected =
        r.type === "aws:bedrock/inferenceProfile:InferenceProfile"
          ? { "ai-workflow": "ticket-routing", "ai-owner": "ana@example.com" }
          : { "ai-workflow": "ai-spend-guard", "ai-owner": "ops@example.com" };
      expect({ urn: r.urn, tags: r.inputs.tags }).toEqual({ urn: r.urn, tags: expected });
    }
  });
});

describe("reconciler", () => {
  it("runs the current Node.js runtime on arm64 with the handler's environment", () => {
    const fn = one(resources, FUNCTION);
    expect(fn.inputs).toMatchObject({
      runtime: "nodejs24.x",
      architectures: ["arm64"],
      handler: "index.handler",
      role: `arn:aws:iam::${MOCK_ACCOUNT}:role/reconciler-role`,
      deadLetterConfig: { targetArn: `arn:aws:sqs:us-east-1:${MOCK_ACCOUNT}:reconciler-dlq` },
      loggingConfig: { logFormat: "Text", logGroup: "reconciler-logs" },
    });
    expect((fn.inputs.environment as { variables: unknown }).variables).toEqual({
      AI_SPEND_GUARD_REPORT_BUCKET: "reconciler-reports",
      AI_SPEND_GUARD_REPORT_PREFIX: "reports/",
      AI_SPEND_GUARD_OWNER_TOPIC_ARN: `arn:aws:sns:us-east-1:${MOCK_ACCOUNT}:reconciler-owner-digests`,
      AI_SPEND_GUARD_COST_METRIC: "UnblendedCost",
      AI_SPEND_GUARD_GROUP_BY_ACCOUNT: "false",
      AI_SPEND_GUARD_METRICS_NAMESPACE: "AiSpendGuard",
      AI_SPEND_GUARD_HASH_SALT: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      AI_SPEND_GUARD_ACCOUNT_CHECKS: "true",
      POWERTOOLS_SERVICE_NAME: "ai-spend-guard-reconciler",
      POWERTOOLS_METRICS_NAMESPACE: "AiSpendGuard",
    });
  });

  it("grants the function exactly the calls it makes, on its own resources", () => {
    const policy = json(one(resources, ROLE_POLICY, "reconciler-role-policy").inputs.policy);
    const at = (service: string, rest: string) =>
      `arn:aws:${service}:us-east-1:${MOCK_ACCOUNT}:${rest}`;
    expect(policy).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "ReadCostAndUsage", Effect: "Allow", Action: ["ce:GetCostAndUsage"], Resource: "*" },
        {
          // The audit and the doctor after each run: read-only, action by action.
          Sid: "AuditAccount",
          Effect: "Allow",
          Action: [
            "resource-explorer-2:ListIndexes",
            "resource-explorer-2:Search",
            "tag:GetResources",
            "ce:ListCostAllocationTags",
            "iam:GetAccountAuthorizationDetails",
          ],
          Resource: "*",
        },
        {
          Sid: "ReadMeasuredVolume",
          Effect: "Allow",
          Action: ["cloudwatch:GetMetricData", "cloudwatch:ListMetrics"],
          Resource: "*",
        },
        {
          Sid: "PublishOwnerDigests",
          Effect: "Allow",
          Action: ["sns:Publish"],
          Resource: at("sns", "reconciler-owner-digests"),
        },
        {
          Sid: "ReadWriteReports",
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:PutObject"],
          Resource: "arn:aws:s3:::reconciler-reports/reports/*",
        },
        {
          Sid: "ListReportKeys",
          Effect: "Allow",
          Action: ["s3:ListBucket"],
          Resource: "arn:aws:s3:::reconciler-reports",
          Condition: { StringLike: { "s3:prefix": "reports/*" } },
        },
        {
          Sid: "WriteOwnLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: at("logs", "log-group:reconciler-logs:*"),
        },
        {
          Sid: "SendToDeadLetterQueue",
          Effect: "Allow",
          Action: ["sqs:SendMessage"],
          Resource: at("sqs", "reconciler-dlq"),
        },
      ],
    });
  });

  it("never grants a wildcard action in any IAM policy", () => {
    const documents = ofType(resources, ROLE_POLICY).map(
      (p) => json(p.inputs.policy) as { Statement: { Action: string | string[] }[] },
    );
    expect(documents).toHaveLength(2);
    for (const document of documents) {
      for (const statement of document.Statement) {
        for (const action of [statement.Action].flat()) expect(action).not.toContain("*");
      }
    }
  });

  it("lets only Lambda assume the function's role", () => {
    const role = one(resources, "aws:iam/role:Role", "reconciler-role");
    expect(json(role.inputs.assumeRolePolicy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AssumedByService",
          Effect: "Allow",
          Principal: { Service: "lambda.amazonaws.com" },
          Action: "sts:AssumeRole",
        },
      ],
    });
  });

  it("passes the scheduled time to the function, so a retry keeps its run date", () => {
    const schedule = one(resources, "aws:scheduler/schedule:Schedule");
    const target = schedule.inputs.target as { input: string };
    expect(JSON.parse(target.input)).toEqual({
      source: "ai-spend-guard.schedule",
      time: "<aws.scheduler.scheduled-time>",
    });
  });

  it("schedules the function daily through a role that may invoke only it", () => {
    const schedule = one(resources, "aws:scheduler/schedule:Schedule");
    expect(schedule.inputs).toMatchObject({
      scheduleExpression: "cron(0 6 * * ? *)",
      scheduleExpressionTimezone: "UTC",
      flexibleTimeWindow: { mode: "OFF" },
      target: {
        arn: functionArn(),
        roleArn: `arn:aws:iam::${MOCK_ACCOUNT}:role/reconciler-scheduler-role`,
        deadLetterConfig: { arn: `arn:aws:sqs:us-east-1:${MOCK_ACCOUNT}:reconciler-dlq` },
      },
    });
    const role = one(resources, "aws:iam/role:Role", "reconciler-scheduler-role");
    expect(json(role.inputs.assumeRolePolicy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AssumedByService",
          Effect: "Allow",
          Principal: { Service: "scheduler.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT } },
        },
      ],
    });
    expect(
      json(one(resources, ROLE_POLICY, "reconciler-scheduler-role-policy").inputs.policy),
    ).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "InvokeReconciler",
          Effect: "Allow",
          Action: ["lambda:InvokeFunction"],
          Resource: functionArn(),
        },
        {
          Sid: "SendToDeadLetterQueue",
          Effect: "Allow",
          Action: ["sqs:SendMessage"],
          Resource: `arn:aws:sqs:us-east-1:${MOCK_ACCOUNT}:reconciler-dlq`,
        },
      ],
    });
  });

  it("alarms on function errors and on dead-letter queue depth, to the alerts topic", () => {
    const alerts = `arn:aws:sns:us-east-1:${MOCK_ACCOUNT}:reconciler-alerts`;
    expect(
      one(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", "reconciler-errors").inputs,
    ).toMatchObject({
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: "reconciler-function" },
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      alarmActions: [alerts],
    });
    expect(
      one(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", "reconciler-dlq-depth").inputs,
    ).toMatchObject({
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: "reconciler-dlq" },
      threshold: 1,
      alarmActions: [alerts],
    });
  });

  it("alarms to the alerts topic when the daily run has not happened for 26 hours", () => {
    const alerts = `arn:aws:sns:us-east-1:${MOCK_ACCOUNT}:reconciler-alerts`;
    const alarm = one(
      resources,
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "reconciler-missed-runs",
    );
    expect(alarm.inputs).toMatchObject({
      namespace: "AWS/Lambda",
      metricName: "Invocations",
      dimensions: { FunctionName: "reconciler-function" },
      statistic: "Sum",
      period: 3600,
      evaluationPeriods: 26,
      datapointsToAlarm: 26,
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
      // No datapoint is no invocation.
      treatMissingData: "breaching",
      alarmActions: [alerts],
      okActions: [alerts],
      tags: { "ai-workflow": "ai-spend-guard", "ai-owner": "ops@example.com" },
    });
    // CloudWatch: period x evaluation periods at most 7 days (1 day below hourly periods).
    const { period, evaluationPeriods } = alarm.inputs as Record<string, number>;
    expect(period! * evaluationPeriods!).toBeLessThanOrEqual(604_800);
  });

  it("creates the log group it writes to, with a retention", () => {
    expect(one(resources, "aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays).toBe(90);
  });
});

describe("topics", () => {
  it("subscribes each owner, and the unowned-spend contact, to their own digest only", () => {
    const subscriptions = ofType(resources, "aws:sns/topicSubscription:TopicSubscription").filter(
      (s) => s.name.startsWith("reconciler-digest-"),
    );
    expect(
      subscriptions.map((s) => ({
        endpoint: s.inputs.endpoint,
        filter: json(s.inputs.filterPolicy),
        scope: s.inputs.filterPolicyScope,
        protocol: s.inputs.protocol,
      })),
    ).toEqual(
      ["ana@example.com", "finops@example.com", "ops@example.com"].map((email) => ({
        endpoint: email,
        filter: { owner: [email] },
        scope: "MessageAttributes",
        protocol: "email",
      })),
    );
  });

  it("lets Budgets and Cost Anomaly Detection publish alerts, for this account only", () => {
    const policy = json(
      one(resources, "aws:sns/topicPolicy:TopicPolicy", "reconciler-alerts-policy").inputs.policy,
    ) as {
      Statement: {
        Principal: { Service: string };
        Action: string;
        Condition: Record<string, Record<string, string>>;
      }[];
    };
    const services = policy.Statement.map((s) => s.Principal.Service);
    expect(services).toEqual(
      expect.arrayContaining(["budgets.amazonaws.com", "costalerts.amazonaws.com"]),
    );
    for (const statement of policy.Statement) {
      expect(statement.Action).toBe("SNS:Publish");
      expect(statement.Condition.StringEquals).toEqual({ "aws:SourceAccount": MOCK_ACCOUNT });
    }
  });

  it("sends the alerts topic to the guard's owner and the unowned-spend contact", () => {
    const emails = ofType(resources, "aws:sns/topicSubscription:TopicSubscription")
      .filter((s) => s.name.startsWith("reconciler-alerts-"))
      .map((s) => [s.inputs.endpoint, s.inputs.filterPolicy]);
    expect(emails).toEqual([
      ["finops@example.com", undefined],
      ["ops@example.com", undefined],
    ]);
  });
});

describe("digest topic security", () => {
  const ROLE_ARN = `arn:aws:iam::${MOCK_ACCOUNT}:role/reconciler-role`;
  const TOPIC_ARN = `arn:aws:sns:us-east-1:${MOCK_ACCOUNT}:reconciler-owner-digests`;
  type Doc = {
    Statement: {
      Sid: string;
      Effect: string;
      Principal: unknown;
      Action: string | string[];
      Condition?: Record<string, Record<string, unknown>>;
    }[];
  };
  const topicPolicy = () =>
    json(
      one(resources, "aws:sns/topicPolicy:TopicPolicy", "reconciler-owner-digests-policy").inputs
        .policy,
    ) as Doc;

  it("lets only the reconciler's role publish: everyone else is denied", () => {
    const policy = topicPolicy();
    const allows = policy.Statement.filter(
      (s) => s.Effect === "Allow" && [s.Action].flat().includes("SNS:Publish"),
    );
    expect(allows.map((s) => s.Principal)).toEqual([{ AWS: ROLE_ARN }]);
    expect(policy.Statement).toContainEqual({
      Sid: "NobodyElsePublishes",
      Effect: "Deny",
      Principal: "*",
      Action: "SNS:Publish",
      Resource: TOPIC_ARN,
      Condition: { StringNotEquals: { "aws:PrincipalArn": ROLE_ARN } },
    });
  });

  it("allows subscriptions only by email, only to the registry's digest recipients", () => {
    const denies = topicPolicy().Statement.filter(
      (s) => s.Effect === "Deny" && s.Action === "SNS:Subscribe",
    );
    const emails = ofType(resources, "aws:sns/topicSubscription:TopicSubscription")
      .filter((r) => r.name.startsWith("reconciler-digest-"))
      .map((r) => r.inputs.endpoint as string)
      .sort();
    expect(emails.length).toBeGreaterThan(1);
    expect(denies.map((s) => s.Condition)).toEqual([
      { StringNotEquals: { "SNS:Endpoint": emails } },
      { StringNotEquals: { "SNS:Protocol": "email" } },
    ]);
  });

  it("encrypts the topic with a rotating customer-managed key only the reconciler and SNS use", () => {
    const key = one(resources, "aws:kms/key:Key", "reconciler-digest-key");
    expect(key.inputs.enableKeyRotation).toBe(true);
    const topic = one(resources, "aws:sns/topic:Topic", "reconciler-owner-digests");
    expect(topic.inputs.kmsMasterKeyId).toBe(
      `arn:aws:kms:us-east-1:${MOCK_ACCOUNT}:reconciler-digest-key`,
    );
    const policy = json(key.inputs.policy) as Doc;
    const users = policy.Statement.filter((s) =>
      [s.Action].flat().some((a) => a === "kms:Decrypt" || a.startsWith("kms:GenerateDataKey")),
    );
    expect(users.map((s) => [s.Principal, s.Condition])).toEqual([
      [{ AWS: ROLE_ARN }, { StringLike: { "kms:ViaService": "sns.*.amazonaws.com" } }],
      [{ Service: "sns.amazonaws.com" }, { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT } }],
    ]);
    // The account administers the key but cannot decrypt with it.
    const admin = policy.Statement.find((s) => s.Sid === "AccountAdministersTheKey")!;
    expect([admin.Action].flat()).not.toContain("kms:Decrypt");
    expect([admin.Action].flat().some((a) => a.startsWith("kms:Generate"))).toBe(false);
  });

  it("runs one invocation at a time", () => {
    expect(one(resources, FUNCTION).inputs.reservedConcurrentExecutions).toBe(1);
  });

  it("salts recipient hashes with a secret kept per deployment", () => {
    const salt = one(resources, "aws:ssm/parameter:Parameter", "reconciler-hash-salt");
    expect(salt.inputs.type).toBe("SecureString");
    const env = (
      one(resources, FUNCTION).inputs.environment as { variables: Record<string, string> }
    ).variables;
    expect(env.AI_SPEND_GUARD_HASH_SALT).toMatch(/^[0-9a-f]{64}$/);
    // The parameter holds the same value (recorded as a secret: the provider marks it so).
    expect(JSON.stringify(salt.inputs.value)).toContain(env.AI_SPEND_GUARD_HASH_SALT);
  });
});

describe("reports bucket", () => {
  const sub = (type: string) => one(resources, `aws:s3/${type}`).inputs;

  it("is private, encrypted, versioned and TLS-only", () => {
    expect(sub("bucketPublicAccessBlock:BucketPublicAccessBlock")).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(
      sub("bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").rules,
    ).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
    expect(sub("bucketVersioning:BucketVersioning").versioningConfiguration).toEqual({
      status: "Enabled",
    });
    expect(sub("bucketOwnershipControls:BucketOwnershipControls").rule).toEqual({
      objectOwnership: "BucketOwnerEnforced",
    });
    expect(json(sub("bucketPolicy:BucketPolicy").policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: ["arn:aws:s3:::reconciler-reports", "arn:aws:s3:::reconciler-reports/*"],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    });
  });

  it("expires reports after the retention and cleans up old versions, uploads and delete markers", () => {
    expect(sub("bucketLifecycleConfiguration:BucketLifecycleConfiguration").rules).toEqual([
      {
        id: "expire-reports",
        status: "Enabled",
        filter: { prefix: "reports/" },
        expiration: { days: 400 },
        noncurrentVersionExpiration: { noncurrentDays: 30 },
      },
      {
        id: "abort-incomplete-uploads",
        status: "Enabled",
        filter: {},
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      },
      {
        id: "remove-expired-delete-markers",
        status: "Enabled",
        filter: {},
        expiration: { expiredObjectDeleteMarker: true },
      },
    ]);
  });

  it("removes delete markers in a rule of their own: S3 refuses them beside a day count", () => {
    const rules = sub("bucketLifecycleConfiguration:BucketLifecycleConfiguration").rules as {
      expiration?: Record<string, unknown>;
    }[];
    const withMarkers = rules.filter((r) => r.expiration?.expiredObjectDeleteMarker === true);
    expect(withMarkers).toHaveLength(1);
    expect(withMarkers[0]!.expiration).toEqual({ expiredObjectDeleteMarker: true });
  });
});

describe("policy pack", () => {
  it("finds no mandatory violation in anything the stack registers", () => {
    const registry = loadRegistry(THREE_WORKFLOWS);
    const findings = evaluateStack(resources.filter((r) => r.custom).map(toResourceInput), {
      registry,
      today: "2026-11-28",
    });
    expect(findings.filter((f) => f.enforcement === "mandatory")).toEqual([]);
  });
});

describe("policy pack, as a control", () => {
  it("does flag the stack once an inference profile loses its tags", () => {
    const registry = loadRegistry(THREE_WORKFLOWS);
    const stripped = resources
      .filter((r) => r.custom)
      .map((r) =>
        r.type === "aws:bedrock/inferenceProfile:InferenceProfile"
          ? { ...r, inputs: { ...r.inputs, tags: {} } }
          : r,
      )
      .map(toResourceInput);
    const mandatory = evaluateStack(stripped, { registry, today: "2026-11-28" }).filter(
      (f) => f.enforcement === "mandatory",
    );
    expect(mandatory.map((f) => f.policy)).toContain("ai-resource-tags");
  });
});

describe("reconciler, grouping spend by linked account", () => {
  it("may list the linked accounts it then queries one by one", async () => {
    const { resources: grouped } = await runStackPreview(THREE_WORKFLOWS, {
      settings: { groupByAccount: true },
      bundle: false,
    });
    const policy = json(one(grouped, ROLE_POLICY, "reconciler-role-policy").inputs.policy) as {
      Statement: { Sid: string; Action: string[]; Resource: string }[];
    };
    expect(policy.Statement.find((s) => s.Sid === "ReadCostAndUsage")).toEqual({
      Sid: "ReadCostAndUsage",
      Effect: "Allow",
      Action: ["ce:GetCostAndUsage", "ce:GetDimensionValues"],
      Resource: "*",
    });
  });
});

describe("reconciler, missed-run alarm on other schedules", () => {
  const missedRuns = async (schedule: string) => {
    const { resources: registered } = await runStackPreview(THREE_WORKFLOWS, {
      settings: { schedule },
      bundle: false,
    });
    return ofType(registered, "aws:cloudwatch/metricAlarm:MetricAlarm").filter(
      (a) => a.name === "reconciler-missed-runs",
    );
  };

  it("sizes the window from a rate: every 6 hours, silent for 8", async () => {
    const [alarm] = await missedRuns("rate(6 hours)");
    expect(alarm?.inputs).toMatchObject({
      metricName: "Invocations",
      period: 3600,
      evaluationPeriods: 8,
      datapointsToAlarm: 8,
    });
  });

  it("registers none for a schedule that does not run every day", async () => {
    expect(await missedRuns("cron(0 6 ? * MON *)")).toEqual([]);
    expect(await missedRuns("at(2027-01-01T06:00:00)")).toEqual([]);
  });
});
