/**
 * The reconciler's Lambda: its dead-letter queue, log group, least-privilege role and the
 * function, configured through the environment the handler reads (one table of names and
 * defaults, shared with the handler).
 */
import { randomBytes } from "node:crypto";
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
  /** The function's role (`reconcilerRole`): made first, as the digest topic's policies name it. */
  readonly role: aws.iam.Role;
  /** Salt of the recipient hashes in logs and record keys (`hashSalt`). */
  readonly hashSalt: pulumi.Input<string>;
  readonly tags: Tags;
  /** The CUR source's resources, when `costSource` is `cur`: grants and environment. */
  readonly cur?: Pick<ReconcilerCur, "grants" | "environment">;
}

/** The function's role, trusted by Lambda only; its permissions come with the function. */
export function reconcilerRole(name: string, tags: Tags, parent: pulumi.Resource): aws.iam.Role {
  return new aws.iam.Role(
    `${name}-role`,
    {
      assumeRolePolicy: JSON.stringify(assumeRolePolicy("lambda.amazonaws.com")),
      description: "ai-spend-guard reconciler: read cost, write reports, send owner digests",
      tags: { ...tags },
    },
    { parent },
  );
}

/**
 * A random salt for the recipient hashes, made once per deployment and kept: the value is
 * generated on every program run, but `ignoreChanges` keeps the first one (a new salt would
 * rename every delivery record mid-day, and a retry would resend). An SSM SecureString holds
 * it; the function gets it in its environment. Unsalted, the hash of a guessable address
 * (name@company) can be found by hashing a list of guesses; a salt derived from the stack name
 * would be as guessable. The salt is readable by whoever may read the function's
 * configuration or the parameter, which is not who reads logs.
 */
export function hashSalt(name: string, tags: Tags, parent: pulumi.Resource): pulumi.Output<string> {
  const parameter = new aws.ssm.Parameter(
    `${name}-hash-salt`,
    {
      type: "SecureString",
      // Not wrapped in pulumi.secret: the function's environment would then be a secret as a
      // whole, hiding every variable from previews. SecureString encrypts it in AWS.
      value: randomBytes(32).toString("hex"),
      description: "ai-spend-guard: salt of the recipient hashes in the reconciler's logs",
      tags: { ...tags },
    },
    { parent, ignoreChanges: ["value"] },
  );
  // The provider marks `value` secret; the function's environment would then be a secret as a
  // whole, hiding every variable from previews and diffs.
  return pulumi.unsecret(parameter.value);
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
  const { options, reportBucket, digestTopic, role } = args;
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
              accountChecks: options.accountChecks,
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
      // One run at a time: a duplicate async delivery is throttled and retried by Lambda
      // rather than run beside the first. The run date's claim is what keeps two runs from
      // doubling digests; this keeps them from even overlapping (and bounds a flood of manual
      // invokes). Needs 1 of the account's unreserved concurrency (a new account's quota of 10
      // may refuse it: raise the quota, or remove this line; the claim still holds).
      reservedConcurrentExecutions: 1,
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
          [ENV.hashSalt]: args.hashSalt,
          [ENV.accountChecks]: String(options.accountChecks),
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
