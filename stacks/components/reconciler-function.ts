/**
 * The reconciler's Lambda: its dead-letter queue, log group, least-privilege role and the
 * function, configured through the environment the handler reads (one table of names and
 * defaults, shared with the handler).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
// The deployment contract itself, not the `aws` index: it loads no AWS SDK.
import { ENV } from "../../src/reconciler/aws/deployment-contract";
import { LAMBDA_HANDLER, LAMBDA_RUNTIME } from "./handler-bundle";
import { assumeRolePolicy, reconcilerPolicy } from "./policy-documents";
import type { ReconcilerCur } from "./reconciler-cur";
import type { ReconcilerOptions } from "./reconciler-options";
import type { Tags } from "./tags";

/** Powertools' service name for the function's logs and metrics. */
export const SERVICE_NAME = "ai-spend-guard-reconciler";

export interface ReconcilerFunctionArgs {
  readonly options: ReconcilerOptions;
  readonly code: pulumi.Input<pulumi.asset.Archive>;
  readonly reportBucket: aws.s3.Bucket;
  readonly digestTopic: aws.sns.Topic;
  readonly tags: Tags;
  /** The CUR source's resources, when `costSource` is `cur`: grants and environment. */
  readonly cur?: Pick<ReconcilerCur, "grants" | "environment">;
}

export interface ReconcilerFunction {
  readonly deadLetterQueue: aws.sqs.Queue;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly role: aws.iam.Role;
  readonly function: aws.lambda.Function;
}

export function reconcilerFunction(
  name: string,
  args: ReconcilerFunctionArgs,
  parent: pulumi.Resource,
): ReconcilerFunction {
  const { options, reportBucket, digestTopic } = args;
  const tags = { ...args.tags };
  const deadLetterQueue = new aws.sqs.Queue(
    `${name}-dlq`,
    {
      // The longest SQS allows: a failed run stays inspectable for two weeks.
      messageRetentionSeconds: 1_209_600,
      sqsManagedSseEnabled: true,
      tags,
    },
    { parent },
  );
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-logs`,
    { retentionInDays: options.logRetentionDays, tags },
    { parent },
  );
  const role = new aws.iam.Role(
    `${name}-role`,
    {
      assumeRolePolicy: JSON.stringify(assumeRolePolicy("lambda.amazonaws.com")),
      description: "ai-spend-guard reconciler: read cost, write reports, send owner digests",
      tags,
    },
    { parent },
  );
  const rolePolicy = new aws.iam.RolePolicy(
    `${name}-role-policy`,
    {
      role: role.id,
      policy: pulumi
        .all([
          digestTopic.arn,
          reportBucket.arn,
          logGroup.arn,
          deadLetterQueue.arn,
          args.cur?.grants,
        ])
        .apply(([digestTopicArn, reportBucketArn, logGroupArn, deadLetterQueueArn, cur]) =>
          JSON.stringify(
            reconcilerPolicy({
              digestTopicArn,
              reportBucketArn,
              reportPrefix: options.reportPrefix,
              logGroupArn,
              deadLetterQueueArn,
              groupByAccount: options.groupByAccount,
              ...(cur === undefined ? {} : { cur }),
            }),
          ),
        ),
    },
    { parent: role },
  );
  const fn = new aws.lambda.Function(
    `${name}-function`,
    {
      description: "ai-spend-guard: reconcile AI spend to workflows and owners",
      runtime: LAMBDA_RUNTIME,
      architectures: ["arm64"],
      handler: LAMBDA_HANDLER,
      code: args.code,
      role: role.arn,
      // Cost Explorer pages slowly and is throttled; a month of daily rows takes a while.
      timeout: 300,
      memorySize: 512,
      deadLetterConfig: { targetArn: deadLetterQueue.arn },
      // Text: Powertools already writes JSON lines, and the EMF metrics must stay top-level.
      loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
      environment: {
        variables: {
          [ENV.bucket]: reportBucket.bucket,
          [ENV.prefix]: options.reportPrefix,
          [ENV.topic]: digestTopic.arn,
          [ENV.metric]: options.costMetric,
          [ENV.groupByAccount]: String(options.groupByAccount),
          [ENV.namespace]: options.metricsNamespace,
          POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
          POWERTOOLS_METRICS_NAMESPACE: options.metricsNamespace,
          // Only with the CUR source: the default environment is unchanged.
          ...args.cur?.environment,
        },
      },
      tags,
    },
    // Lambda checks at creation that the role may send to the dead-letter queue.
    { parent, dependsOn: [rolePolicy] },
  );
  return { deadLetterQueue, logGroup, role, function: fn };
}
