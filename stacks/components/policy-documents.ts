/**
 * Every IAM and resource policy the guard writes, as pure functions of resolved ARNs. Keeping
 * them here (not inline in the components) lets the tests compare each document exactly, and
 * keeps least privilege reviewable in one file: no statement has a `*` action.
 */
import { scheduledActions } from "../../src/audit/actions";

export interface Statement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?:
    "*" | { readonly Service: string | readonly string[] } | { readonly AWS: string };
  readonly NotPrincipal?: { readonly AWS: string };
  readonly Action: string | readonly string[];
  /** Absent only in trust policies, which never name a resource. */
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<
    Record<string, Readonly<Record<string, string | readonly string[]>>>
  >;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly Statement[];
}

const document = (...statements: Statement[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: statements,
});

/** `arn:<partition>:<service>:<region>:<account>:...` -> its parts (for SourceAccount conditions). */
export function arnParts(arn: string): { partition: string; region: string; account: string } {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") {
    throw new Error(`"${arn}" is not an ARN (expected arn:partition:service:region:account:...)`);
  }
  return { partition: parts[1]!, region: parts[3]!, account: parts[4]! };
}

/** Who may assume a role: one AWS service, optionally only on behalf of this account. */
export function assumeRolePolicy(service: string, sourceAccount?: string): PolicyDocument {
  return document({
    Sid: "AssumedByService",
    Effect: "Allow",
    Principal: { Service: service },
    Action: "sts:AssumeRole",
    ...(sourceAccount === undefined
      ? {}
      : { Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } } }),
  });
}

export interface ReconcilerResources {
  readonly digestTopicArn: string;
  readonly reportBucketArn: string;
  /** Key prefix of reports and delivery records, e.g. `reports/`. */
  readonly reportPrefix: string;
  /** The log group's ARN without the trailing `:*`. */
  readonly logGroupArn: string;
  readonly deadLetterQueueArn: string;
  /**
   * The function splits spend by linked account: it first lists the accounts with
   * ce:GetDimensionValues (LINKED_ACCOUNT), then queries each one.
   */
  readonly groupByAccount?: boolean;
  /** Reads spend from the CUR 2.0 export through Athena instead of Cost Explorer. */
  readonly cur?: ReconcilerCurGrants;
  /**
   * Runs the audit and the doctor after each reconciliation: read-only calls, none of which has
   * resource-level permissions that would narrow it (default true).
   */
  readonly accountChecks?: boolean;
}

/** What the reconciler reads and writes when its cost source is the CUR export. */
export interface ReconcilerCurGrants {
  readonly workGroupArn: string;
  /** `arn:<partition>:glue:<region>:<account>:catalog` */
  readonly glueCatalogArn: string;
  readonly glueDatabaseArn: string;
  readonly glueTableArn: string;
  readonly bucketArn: string;
  /** The export's data prefix in the bucket, ending in "/": `cur2/<export>/data/`. */
  readonly dataPrefix: string;
  /** Athena's query results prefix, ending in "/". */
  readonly resultsPrefix: string;
}

/**
 * The reconciler Lambda's permissions: exactly the calls it makes (ce:GetDimensionValues only
 * when it groups spend by account). Cost Explorer and
 * CloudWatch GetMetricData have no resource-level permissions, so those two name `*` as the
 * resource; everything else is scoped to the guard's own topic, bucket prefix, log group and
 * queue.
 */
export function reconcilerPolicy(r: ReconcilerResources): PolicyDocument {
  return document(
    ...(r.cur === undefined
      ? [
          {
            Sid: "ReadCostAndUsage",
            Effect: "Allow",
            Action: r.groupByAccount
              ? ["ce:GetCostAndUsage", "ce:GetDimensionValues"]
              : ["ce:GetCostAndUsage"],
            Resource: "*",
          } as const,
        ]
      : curStatements(r.cur)),
    ...(r.accountChecks === false
      ? []
      : [
          {
            Sid: "AuditAccount",
            Effect: "Allow",
            Action: scheduledActions(r.cur !== undefined),
            Resource: "*",
          } as const,
        ]),
    {
      // Volumes, outcomes and review queues; ListMetrics finds the per-model series.
      Sid: "ReadMeasuredVolume",
      Effect: "Allow",
      Action: ["cloudwatch:GetMetricData", "cloudwatch:ListMetrics"],
      Resource: "*",
    },
    {
      Sid: "PublishOwnerDigests",
      Effect: "Allow",
      Action: ["sns:Publish"],
      Resource: r.digestTopicArn,
    },
    {
      Sid: "ReadWriteReports",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject"],
      Resource: `${r.reportBucketArn}/${r.reportPrefix}*`,
    },
    {
      // So that S3 answers a missing key with 404: without it, 403, indistinguishable from a
      // real permission fault, and the store must treat "cannot read the records" as a fault.
      Sid: "ListReportKeys",
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: r.reportBucketArn,
      Condition: { StringLike: { "s3:prefix": `${r.reportPrefix}*` } },
    },
    {
      Sid: "WriteOwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${r.logGroupArn}:*`,
    },
    {
      Sid: "SendToDeadLetterQueue",
      Effect: "Allow",
      Action: ["sqs:SendMessage"],
      Resource: r.deadLetterQueueArn,
    },
  );
}

/**
 * The CUR source's grants, instead of Cost Explorer's: run queries in the guard's workgroup
 * only; read the Glue definitions of its table only; read the export's data (Athena reads it
 * with the caller's credentials) and write and read query results under the results prefix.
 * s3:ListBucket and s3:GetBucketLocation are bucket-level actions: ListBucket is limited to
 * the two prefixes by its `s3:prefix` condition.
 */
function curStatements(cur: ReconcilerCurGrants): Statement[] {
  return [
    {
      Sid: "QueryCurWithAthena",
      Effect: "Allow",
      Action: [
        "athena:StartQueryExecution",
        "athena:GetQueryExecution",
        "athena:GetQueryResults",
        "athena:StopQueryExecution",
      ],
      Resource: cur.workGroupArn,
    },
    {
      Sid: "ReadCurTableDefinition",
      Effect: "Allow",
      Action: ["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"],
      Resource: [cur.glueCatalogArn, cur.glueDatabaseArn, cur.glueTableArn],
    },
    {
      Sid: "ReadCurExportData",
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: `${cur.bucketArn}/${cur.dataPrefix}*`,
    },
    {
      Sid: "WriteAthenaResults",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"],
      Resource: `${cur.bucketArn}/${cur.resultsPrefix}*`,
    },
    {
      Sid: "ListCurBucketPrefixes",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:GetBucketLocation"],
      Resource: cur.bucketArn,
      Condition: {
        StringLike: { "s3:prefix": [`${cur.dataPrefix}*`, `${cur.resultsPrefix}*`] },
      },
    },
  ];
}

/**
 * The CUR export bucket: AWS Data Exports (and the legacy CUR service principal, as AWS's page
 * gives both) may check the policy and write objects, only for exports of this account (the
 * source ARNs are in us-east-1 whatever the bucket's region); and no request without TLS.
 */
export function curExportBucketPolicy(
  bucketArn: string,
  account: string,
  partition: string,
): PolicyDocument {
  return document(
    {
      Sid: "EnableAWSDataExportsToWriteToS3AndCheckPolicy",
      Effect: "Allow",
      Principal: { Service: ["billingreports.amazonaws.com", "bcm-data-exports.amazonaws.com"] },
      Action: ["s3:PutObject", "s3:GetBucketPolicy"],
      Resource: [`${bucketArn}/*`, bucketArn],
      Condition: {
        StringLike: {
          "aws:SourceAccount": account,
          "aws:SourceArn": [
            `arn:${partition}:cur:us-east-1:${account}:definition/*`,
            `arn:${partition}:bcm-data-exports:us-east-1:${account}:export/*`,
          ],
        },
      },
    },
    ...tlsOnlyBucketPolicy(bucketArn).Statement,
  );
}

/** EventBridge Scheduler's role: invoke this one function, and park failed deliveries. */
export function schedulerPolicy(functionArn: string, deadLetterQueueArn: string): PolicyDocument {
  return document(
    {
      Sid: "InvokeReconciler",
      Effect: "Allow",
      Action: ["lambda:InvokeFunction"],
      Resource: functionArn,
    },
    {
      Sid: "SendToDeadLetterQueue",
      Effect: "Allow",
      Action: ["sqs:SendMessage"],
      Resource: deadLetterQueueArn,
    },
  );
}

/**
 * The alerts topic: AWS Budgets, Cost Anomaly Detection and CloudWatch alarms publish here, each
 * only on behalf of this account (confused-deputy protection).
 */
export function alertsTopicPolicy(topicArn: string): PolicyDocument {
  const { partition, region, account } = arnParts(topicArn);
  const publish = (Sid: string, service: string, extra: Record<string, string> = {}) =>
    ({
      Sid,
      Effect: "Allow",
      Principal: { Service: service },
      Action: "SNS:Publish",
      Resource: topicArn,
      Condition: {
        StringEquals: { "aws:SourceAccount": account },
        ...(Object.keys(extra).length > 0 ? { ArnLike: extra } : {}),
      },
    }) as const;
  return document(
    publish("AllowBudgetsPublish", "budgets.amazonaws.com", {
      "aws:SourceArn": `arn:${partition}:budgets::${account}:*`,
    }),
    publish("AllowCostAnomalyDetectionPublish", "costalerts.amazonaws.com"),
    publish("AllowCloudWatchAlarmsPublish", "cloudwatch.amazonaws.com", {
      "aws:SourceArn": `arn:${partition}:cloudwatch:${region}:${account}:alarm:*`,
    }),
  );
}

/**
 * The owner-digest topic: only the reconciler's role publishes (a Deny for every other
 * principal, since in one account an IAM allow alone would otherwise suffice), and a
 * subscription may only be an email to one of the registry's digest recipients (the stack
 * creates exactly those), so nobody in the account can forge a digest or subscribe to read
 * them. The account keeps the topic's administration (through IAM).
 */
export function digestTopicPolicy(
  topicArn: string,
  reconcilerRoleArn: string,
  recipients: readonly string[],
): PolicyDocument {
  const { partition, account } = arnParts(topicArn);
  return document(
    {
      Sid: "AccountAdministers",
      Effect: "Allow",
      Principal: { AWS: `arn:${partition}:iam::${account}:root` },
      Action: [
        "SNS:GetTopicAttributes",
        "SNS:SetTopicAttributes",
        "SNS:AddPermission",
        "SNS:RemovePermission",
        "SNS:DeleteTopic",
        "SNS:ListSubscriptionsByTopic",
        "SNS:Subscribe",
      ],
      Resource: topicArn,
    },
    {
      Sid: "ReconcilerPublishes",
      Effect: "Allow",
      Principal: { AWS: reconcilerRoleArn },
      Action: "SNS:Publish",
      Resource: topicArn,
    },
    {
      Sid: "NobodyElsePublishes",
      Effect: "Deny",
      Principal: "*",
      Action: "SNS:Publish",
      Resource: topicArn,
      Condition: { StringNotEquals: { "aws:PrincipalArn": reconcilerRoleArn } },
    },
    {
      Sid: "SubscribeOnlyTheRecipientsByEmail",
      Effect: "Deny",
      Principal: "*",
      Action: "SNS:Subscribe",
      Resource: topicArn,
      Condition: { StringNotEquals: { "SNS:Endpoint": [...recipients].sort() } },
    },
    {
      Sid: "SubscribeOnlyByEmail",
      Effect: "Deny",
      Principal: "*",
      Action: "SNS:Subscribe",
      Resource: topicArn,
      Condition: { StringNotEquals: { "SNS:Protocol": "email" } },
    },
  );
}

/**
 * The digest topic's customer-managed key: the account administers it (through IAM) but may
 * not use it; the reconciler's role may use it only through SNS (to publish), and SNS may use
 * it for this account's topics (to deliver). So reading a digest at rest needs both the topic
 * and this key, and nothing but the reconciler can put one on the topic.
 */
export function digestKeyPolicy(
  account: string,
  partition: string,
  reconcilerRoleArn: string,
): PolicyDocument {
  return document(
    {
      Sid: "AccountAdministersTheKey",
      Effect: "Allow",
      Principal: { AWS: `arn:${partition}:iam::${account}:root` },
      Action: [
        "kms:Create*",
        "kms:Describe*",
        "kms:Enable*",
        "kms:List*",
        "kms:Put*",
        "kms:Update*",
        "kms:Revoke*",
        "kms:Disable*",
        "kms:Get*",
        "kms:Delete*",
        "kms:TagResource",
        "kms:UntagResource",
        "kms:ScheduleKeyDeletion",
        "kms:CancelKeyDeletion",
      ],
      Resource: "*",
    },
    {
      Sid: "ReconcilerEncryptsThroughSns",
      Effect: "Allow",
      Principal: { AWS: reconcilerRoleArn },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: "*",
      // A key lives in one region, so "SNS in any region" is SNS in the key's own.
      Condition: { StringLike: { "kms:ViaService": "sns.*.amazonaws.com" } },
    },
    {
      Sid: "SnsDeliversForThisAccount",
      Effect: "Allow",
      Principal: { Service: "sns.amazonaws.com" },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": account } },
    },
  );
}

/** Refuse every request to the reports bucket that does not use TLS. */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
  return document({
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  });
}
