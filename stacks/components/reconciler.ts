/**
 * `Reconciler`: the scheduled Lambda that reconciles Cost Explorer spend to workflows and
 * owners, and everything it needs. A least-privilege role, an EventBridge Scheduler schedule
 * with its own role, a dead-letter queue, alarms on errors, on the queue's depth and on runs
 * that stop happening, the reports bucket, the owner-digest topic (each owner subscribed to
 * their own digest only) and the alerts topic that Budgets, Cost Anomaly Detection and the
 * alarms publish to.
 *
 * Why two topics: digest subscriptions filter on an `owner` message attribute, and Budgets and
 * Cost Anomaly Detection publish without message attributes, so their alerts would match no
 * digest subscription at all. Owners get their budget and anomaly emails directly; the alerts
 * topic is the central feed for whoever runs the guard (and for chat or paging integrations).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Registry } from "../../src/registry";
import { parseRegistry } from "../../src/registry";
import { digestRecipients } from "./digest-recipients";
import {
  checkHandlerEntry,
  defaultHandlerEntry,
  handlerArchive,
  LAMBDA_HANDLER,
  LAMBDA_RUNTIME,
} from "./handler-bundle";
import { missedRunWindow } from "./missed-runs";
import {
  alertsTopicPolicy,
  arnParts,
  assumeRolePolicy,
  reconcilerPolicy,
  schedulerPolicy,
  tlsOnlyBucketPolicy,
} from "./policy-documents";
import { parseReconcilerOptions } from "./reconciler-options";
import type { ReconcilerOptions, ReconcilerOptionsInput } from "./reconciler-options";
import type { Tags } from "./tags";

export interface ReconcilerArgs extends Partial<ReconcilerOptionsInput> {
  /** The registry YAML the function runs with; validated here and compiled into the bundle. */
  readonly registryText: string;
  /** How to name the registry in errors (default `workflows.yaml`). */
  readonly registrySource?: string;
  /** Tags of everything created here (usually `guardTags(registry)`). */
  readonly tags: Tags;
  /**
   * The handler to bundle (default: this package's `src/reconciler/aws/handler.ts`). It must export
   * `handler`. It gets the validated registry from `handlerRegistry()` of
   * `src/reconciler/aws/handler-registry` (which the bundle embeds as JSON), or the registry's YAML
   * text from the global `__AI_SPEND_GUARD_REGISTRY__`.
   */
  readonly handlerEntry?: string;
  /** A ready deployment package (zip with `index.js`); skips bundling and esbuild entirely. */
  readonly code?: pulumi.Input<pulumi.asset.Archive>;
  /**
   * Who receives the alerts topic by email (budgets, anomalies, reconciler alarms). Default:
   * the owner of the workflow in `tags` and the registry's unowned-spend contact.
   */
  readonly alertEmails?: readonly string[];
}

/** The environment the handler reads. */
export const ENV = {
  bucket: "AI_SPEND_GUARD_REPORT_BUCKET",
  prefix: "AI_SPEND_GUARD_REPORT_PREFIX",
  topic: "AI_SPEND_GUARD_OWNER_TOPIC_ARN",
  metric: "AI_SPEND_GUARD_COST_METRIC",
  groupByAccount: "AI_SPEND_GUARD_GROUP_BY_ACCOUNT",
  namespace: "AI_SPEND_GUARD_METRICS_NAMESPACE",
} as const;

export const SERVICE_NAME = "ai-spend-guard-reconciler";

export class Reconciler extends pulumi.ComponentResource {
  readonly registry: Registry;
  readonly options: ReconcilerOptions;
  readonly function: aws.lambda.Function;
  readonly role: aws.iam.Role;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly deadLetterQueue: aws.sqs.Queue;
  readonly schedule: aws.scheduler.Schedule;
  readonly schedulerRole: aws.iam.Role;
  readonly reportBucket: aws.s3.Bucket;
  readonly digestTopic: aws.sns.Topic;
  readonly alertsTopic: aws.sns.Topic;
  readonly alarms: {
    readonly errors: aws.cloudwatch.MetricAlarm;
    readonly deadLetters: aws.cloudwatch.MetricAlarm;
    /**
     * No invocation for a whole window sized on the schedule (see `missed-runs.ts`): the
     * schedule is disabled, deleted or cannot invoke the function. Undefined for schedules the
     * window cannot be derived from (`at(...)`, a cron that skips days).
     */
    readonly missedRuns?: aws.cloudwatch.MetricAlarm;
  };
  /**
   * The alerts topic's ARN, available only once its policy is in place: budgets and anomaly
   * subscriptions that use it are created after AWS services are allowed to publish.
   */
  readonly alertsTopicArn: pulumi.Output<string>;

  constructor(name: string, args: ReconcilerArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate everything before registering anything.
    const registry = parseRegistry(args.registryText, args.registrySource ?? "workflows.yaml");
    const options = parseReconcilerOptions({
      schedule: args.schedule,
      scheduleTimezone: args.scheduleTimezone,
      reportPrefix: args.reportPrefix,
      reportRetentionDays: args.reportRetentionDays,
      costMetric: args.costMetric,
      groupByAccount: args.groupByAccount,
      metricsNamespace: args.metricsNamespace,
      logRetentionDays: args.logRetentionDays,
    });
    const entry =
      args.code === undefined ? checkHandlerEntry(args.handlerEntry ?? defaultHandlerEntry()) : "";
    super("ai-spend-guard:reconciler:Reconciler", name, {}, opts);
    this.registry = registry;
    this.options = options;
    const tags = { ...args.tags };
    const parent = { parent: this };

    // --- Reports bucket -------------------------------------------------------------------
    const bucket = new aws.s3.Bucket(`${name}-reports`, { tags }, parent);
    const bucketParent = { parent: bucket };
    new aws.s3.BucketOwnershipControls(
      `${name}-reports-ownership`,
      { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      bucketParent,
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-reports-public-access`,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      bucketParent,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-reports-encryption`,
      {
        bucket: bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
      },
      bucketParent,
    );
    const versioning = new aws.s3.BucketVersioning(
      `${name}-reports-versioning`,
      { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
      bucketParent,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-reports-lifecycle`,
      {
        bucket: bucket.id,
        rules: [
          {
            id: "expire-reports",
            status: "Enabled",
            filter: { prefix: options.reportPrefix },
            expiration: { days: options.reportRetentionDays },
            // Overwritten delivery records and reports stay recoverable for a month.
            noncurrentVersionExpiration: { noncurrentDays: 30 },
          },
          {
            id: "abort-incomplete-uploads",
            status: "Enabled",
            filter: {},
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
          {
            // An expired report leaves a delete marker, alone once its old version expires too.
            // A rule of its own: S3 refuses expiredObjectDeleteMarker beside days or a date.
            id: "remove-expired-delete-markers",
            status: "Enabled",
            filter: {},
            expiration: { expiredObjectDeleteMarker: true },
          },
        ],
      },
      { ...bucketParent, dependsOn: [versioning] },
    );
    new aws.s3.BucketPolicy(
      `${name}-reports-tls-only`,
      {
        bucket: bucket.id,
        policy: bucket.arn.apply((arn) => JSON.stringify(tlsOnlyBucketPolicy(arn))),
      },
      // S3 rejects bucket policies while the public access block is being applied.
      { ...bucketParent, dependsOn: [publicAccess] },
    );
    this.reportBucket = bucket;

    // --- Topics ---------------------------------------------------------------------------
    this.digestTopic = new aws.sns.Topic(`${name}-owner-digests`, { tags }, parent);
    for (const recipient of digestRecipients(registry)) {
      new aws.sns.TopicSubscription(
        `${name}-digest-${recipient.email}`,
        {
          topic: this.digestTopic.arn,
          protocol: "email",
          endpoint: recipient.email,
          filterPolicy: recipient.filterPolicy,
          filterPolicyScope: "MessageAttributes",
        },
        { parent: this.digestTopic },
      );
    }

    // Not KMS-encrypted: Budgets cannot publish to a topic encrypted with the AWS managed key.
    this.alertsTopic = new aws.sns.Topic(`${name}-alerts`, { tags }, parent);
    const alertsPolicy = new aws.sns.TopicPolicy(
      `${name}-alerts-policy`,
      {
        arn: this.alertsTopic.arn,
        policy: this.alertsTopic.arn.apply((arn) => JSON.stringify(alertsTopicPolicy(arn))),
      },
      { parent: this.alertsTopic },
    );
    this.alertsTopicArn = pulumi.all([this.alertsTopic.arn, alertsPolicy.id]).apply(([arn]) => arn);
    const alertEmails = args.alertEmails ?? defaultAlertEmails(registry, args.tags);
    for (const email of [...new Set(alertEmails)].sort()) {
      new aws.sns.TopicSubscription(
        `${name}-alerts-${email}`,
        { topic: this.alertsTopic.arn, protocol: "email", endpoint: email },
        { parent: this.alertsTopic },
      );
    }

    // --- Function -------------------------------------------------------------------------
    this.deadLetterQueue = new aws.sqs.Queue(
      `${name}-dlq`,
      {
        // The longest SQS allows: a failed run stays inspectable for two weeks.
        messageRetentionSeconds: 1_209_600,
        sqsManagedSseEnabled: true,
        tags,
      },
      parent,
    );
    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { retentionInDays: options.logRetentionDays, tags },
      parent,
    );
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        assumeRolePolicy: JSON.stringify(assumeRolePolicy("lambda.amazonaws.com")),
        description: "ai-spend-guard reconciler: read cost, write reports, send owner digests",
        tags,
      },
      parent,
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: this.role.id,
        policy: pulumi
          .all([this.digestTopic.arn, bucket.arn, this.logGroup.arn, this.deadLetterQueue.arn])
          .apply(([digestTopicArn, reportBucketArn, logGroupArn, deadLetterQueueArn]) =>
            JSON.stringify(
              reconcilerPolicy({
                digestTopicArn,
                reportBucketArn,
                reportPrefix: options.reportPrefix,
                logGroupArn,
                deadLetterQueueArn,
                groupByAccount: options.groupByAccount,
              }),
            ),
          ),
      },
      { parent: this.role },
    );
    const code =
      args.code ??
      handlerArchive({
        entry,
        registryText: args.registryText,
        registrySource: args.registrySource,
      });
    this.function = new aws.lambda.Function(
      `${name}-function`,
      {
        description: "ai-spend-guard: reconcile AI spend to workflows and owners",
        runtime: LAMBDA_RUNTIME,
        architectures: ["arm64"],
        handler: LAMBDA_HANDLER,
        code,
        role: this.role.arn,
        // Cost Explorer pages slowly and is throttled; a month of daily rows takes a while.
        timeout: 300,
        memorySize: 512,
        deadLetterConfig: { targetArn: this.deadLetterQueue.arn },
        // Text: Powertools already writes JSON lines, and the EMF metrics must stay top-level.
        loggingConfig: { logFormat: "Text", logGroup: this.logGroup.name },
        environment: {
          variables: {
            [ENV.bucket]: bucket.bucket,
            [ENV.prefix]: options.reportPrefix,
            [ENV.topic]: this.digestTopic.arn,
            [ENV.metric]: options.costMetric,
            [ENV.groupByAccount]: String(options.groupByAccount),
            [ENV.namespace]: options.metricsNamespace,
            POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
            POWERTOOLS_METRICS_NAMESPACE: options.metricsNamespace,
          },
        },
        tags,
      },
      // Lambda checks at creation that the role may send to the dead-letter queue.
      { parent: this, dependsOn: [rolePolicy] },
    );

    // --- Schedule -------------------------------------------------------------------------
    this.schedulerRole = new aws.iam.Role(
      `${name}-scheduler-role`,
      {
        assumeRolePolicy: this.deadLetterQueue.arn.apply((arn) =>
          JSON.stringify(assumeRolePolicy("scheduler.amazonaws.com", arnParts(arn).account)),
        ),
        description: "ai-spend-guard: lets EventBridge Scheduler start the reconciler",
        tags,
      },
      parent,
    );
    const schedulerRolePolicy = new aws.iam.RolePolicy(
      `${name}-scheduler-role-policy`,
      {
        role: this.schedulerRole.id,
        policy: pulumi
          .all([this.function.arn, this.deadLetterQueue.arn])
          .apply(([fn, dlq]) => JSON.stringify(schedulerPolicy(fn, dlq))),
      },
      { parent: this.schedulerRole },
    );
    this.schedule = new aws.scheduler.Schedule(
      `${name}-schedule`,
      {
        description: "ai-spend-guard: daily reconciliation of AI spend",
        scheduleExpression: options.schedule,
        scheduleExpressionTimezone: options.scheduleTimezone,
        flexibleTimeWindow: { mode: "OFF" },
        state: "ENABLED",
        target: {
          arn: this.function.arn,
          roleArn: this.schedulerRole.arn,
          // The scheduled time, not the clock at invocation, names the run date: a retry after
          // midnight UTC must stay the same run (same report, no second digest).
          input: JSON.stringify({
            source: "ai-spend-guard.schedule",
            time: "<aws.scheduler.scheduled-time>",
          }),
          retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
          deadLetterConfig: { arn: this.deadLetterQueue.arn },
        },
      },
      { parent: this, dependsOn: [schedulerRolePolicy] },
    );

    // --- Alarms ---------------------------------------------------------------------------
    const alarmActions = [this.alertsTopicArn];
    const missedRunsWindow = missedRunWindow(options.schedule);
    const missedRuns =
      missedRunsWindow === undefined
        ? undefined
        : new aws.cloudwatch.MetricAlarm(
            `${name}-missed-runs`,
            {
              alarmDescription: `The ai-spend-guard reconciler has not run for ${
                (missedRunsWindow.period * missedRunsWindow.evaluationPeriods) / 3600
              } hours: its schedule is disabled, deleted or cannot invoke it, and owners get no digest`,
              namespace: "AWS/Lambda",
              metricName: "Invocations",
              dimensions: { FunctionName: this.function.name },
              statistic: "Sum",
              period: missedRunsWindow.period,
              // Every hour of the window without an invocation: a sliding window over the schedule.
              evaluationPeriods: missedRunsWindow.evaluationPeriods,
              datapointsToAlarm: missedRunsWindow.evaluationPeriods,
              threshold: 1,
              comparisonOperator: "LessThanThreshold",
              // Lambda publishes no datapoint for an hour without invocations.
              treatMissingData: "breaching",
              alarmActions,
              okActions: alarmActions,
              tags,
            },
            parent,
          );
    this.alarms = {
      errors: new aws.cloudwatch.MetricAlarm(
        `${name}-errors`,
        {
          alarmDescription: "The ai-spend-guard reconciler failed: owners did not get their digest",
          namespace: "AWS/Lambda",
          metricName: "Errors",
          dimensions: { FunctionName: this.function.name },
          statistic: "Sum",
          period: 3600,
          evaluationPeriods: 1,
          threshold: 1,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          // The function runs once a day: no data means no run, not a failure.
          treatMissingData: "notBreaching",
          alarmActions,
          okActions: alarmActions,
          tags,
        },
        parent,
      ),
      deadLetters: new aws.cloudwatch.MetricAlarm(
        `${name}-dlq-depth`,
        {
          alarmDescription:
            "A reconciler run was given up and parked in the dead-letter queue: inspect and redrive it",
          namespace: "AWS/SQS",
          metricName: "ApproximateNumberOfMessagesVisible",
          dimensions: { QueueName: this.deadLetterQueue.name },
          statistic: "Maximum",
          period: 300,
          evaluationPeriods: 1,
          threshold: 1,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          treatMissingData: "notBreaching",
          alarmActions,
          tags,
        },
        parent,
      ),
      ...(missedRuns === undefined ? {} : { missedRuns }),
    };

    this.registerOutputs({
      functionName: this.function.name,
      reportBucket: bucket.bucket,
      digestTopicArn: this.digestTopic.arn,
      alertsTopicArn: this.alertsTopicArn,
      deadLetterQueueUrl: this.deadLetterQueue.url,
    });
  }
}

/** The owner named in the guard's tags, and the unowned-spend contact. */
function defaultAlertEmails(registry: Registry, tags: Tags): string[] {
  const owner = tags[registry.settings.tagKeys.owner];
  return [...(owner === undefined ? [] : [owner]), registry.settings.unownedSpendContact];
}
