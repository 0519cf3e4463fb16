/**
 * `Reconciler`: the scheduled Lambda that reconciles Cost Explorer spend to workflows and
 * owners, and everything it needs. Each part has its builder: the reports bucket
 * (`reconciler-bucket.ts`), the owner-digest and alerts topics (`reconciler-topics.ts`), the
 * function with its role, log group and dead-letter queue (`reconciler-function.ts`), the
 * schedule (`reconciler-schedule.ts`) and the alarms (`reconciler-alarms.ts`). This file only
 * validates the inputs and wires the parts together.
 */
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Registry } from "../../src/registry";
import { checkHandlerEntry, defaultHandlerEntry, handlerArchive } from "./handler-bundle";
import { reconcilerAlarms } from "./reconciler-alarms";
import type { ReconcilerAlarms } from "./reconciler-alarms";
import { reportBucket } from "./reconciler-bucket";
import { reconcilerCur } from "./reconciler-cur";
import type { ReconcilerCur } from "./reconciler-cur";
import { hashSalt, reconcilerFunction, reconcilerRole } from "./reconciler-function";
import { parseReconcilerOptions } from "./reconciler-options";
import type { ReconcilerOptions, ReconcilerOptionsInput } from "./reconciler-options";
import { reconcilerSchedule } from "./reconciler-schedule";
import { alertsTopic, digestTopic } from "./reconciler-topics";
import type { Tags } from "./tags";

export interface ReconcilerArgs extends Partial<ReconcilerOptionsInput> {
  /** The validated registry the function runs with (compiled into the bundle as it is). */
  readonly registry: Registry;
  /**
   * The registry's YAML text, for custom handlers that read it from the global
   * `__AI_SPEND_GUARD_REGISTRY__` (`REGISTRY_GLOBAL`). The shipped handler does not need it.
   */
  readonly registryText?: string;
  /** Tags of everything created here (usually `guardTags(registry)`). */
  readonly tags: Tags;
  /**
   * The handler to bundle (default: this package's `src/reconciler/aws/handler.ts`). It must
   * export `handler`. It gets the validated registry from `handlerRegistry()` of
   * `src/reconciler/aws/handler-registry` (which the bundle embeds as JSON), or the registry's
   * YAML text from the global `__AI_SPEND_GUARD_REGISTRY__`.
   */
  readonly handlerEntry?: string;
  /** A ready deployment package (zip with `index.js`); skips bundling and esbuild entirely. */
  readonly code?: pulumi.Input<pulumi.asset.Archive>;
  /**
   * Who receives the alerts topic by email (budgets, anomalies, reconciler alarms). Default:
   * the owner of the workflow in `tags` and the registry's unowned-spend contact.
   */
  readonly alertEmails?: readonly string[];
  /**
   * With `costSource: cur`, the provider the CUR export (a us-east-1-only API) is managed
   * through. Default: a provider for us-east-1 made by the component (see `cur-export.ts`).
   */
  readonly usEast1Provider?: aws.Provider;
}

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
  readonly alarms: ReconcilerAlarms;
  /** The CUR 2.0 export, its table and workgroup: only with `costSource: cur`. */
  readonly cur: ReconcilerCur | undefined;
  /**
   * The alerts topic's ARN, available only once its policy is in place: budgets and anomaly
   * subscriptions that use it are created after AWS services are allowed to publish.
   */
  readonly alertsTopicArn: pulumi.Output<string>;

  constructor(name: string, args: ReconcilerArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate everything before registering anything.
    const { registry } = args;
    const options = parseReconcilerOptions({
      schedule: args.schedule,
      scheduleTimezone: args.scheduleTimezone,
      reportPrefix: args.reportPrefix,
      reportRetentionDays: args.reportRetentionDays,
      costMetric: args.costMetric,
      groupByAccount: args.groupByAccount,
      accountChecks: args.accountChecks,
      metricsNamespace: args.metricsNamespace,
      logRetentionDays: args.logRetentionDays,
      costSource: args.costSource,
      curExportName: args.curExportName,
      curBytesScannedCutoffPerQuery: args.curBytesScannedCutoffPerQuery,
    });
    const entry =
      args.code === undefined ? checkHandlerEntry(args.handlerEntry ?? defaultHandlerEntry()) : "";
    super("ai-spend-guard:reconciler:Reconciler", name, {}, opts);
    this.registry = registry;
    this.options = options;
    const { tags } = args;

    this.reportBucket = reportBucket(name, { options, tags }, this);

    // The role first: the digest topic's policy and key policy name it.
    const role = reconcilerRole(name, tags, this);
    this.digestTopic = digestTopic(name, { registry, tags, reconcilerRoleArn: role.arn }, this);
    const alerts = alertsTopic(
      name,
      { emails: args.alertEmails ?? defaultAlertEmails(registry, tags), tags },
      this,
    );
    this.alertsTopic = alerts.topic;
    this.alertsTopicArn = alerts.arn;

    this.cur =
      options.costSource === "cur"
        ? reconcilerCur(
            name,
            {
              options,
              // Any ARN of the stack's account and region: the topic's exists already.
              accountArn: this.digestTopic.arn,
              tags,
              ...(args.usEast1Provider === undefined
                ? {}
                : { usEast1Provider: args.usEast1Provider }),
            },
            this,
          )
        : undefined;

    const fn = reconcilerFunction(
      name,
      {
        options,
        ...(this.cur === undefined ? {} : { cur: this.cur }),
        // The registry object this component was given is the one the bundle embeds.
        code: args.code ?? handlerArchive({ entry, registry, registryText: args.registryText }),
        reportBucket: this.reportBucket,
        digestTopic: this.digestTopic,
        role,
        hashSalt: hashSalt(name, tags, this),
        tags,
      },
      this,
    );
    this.deadLetterQueue = fn.deadLetterQueue;
    this.logGroup = fn.logGroup;
    this.role = fn.role;
    this.function = fn.function;

    const scheduled = reconcilerSchedule(
      name,
      { options, function: this.function, deadLetterQueue: this.deadLetterQueue, tags },
      this,
    );
    this.schedulerRole = scheduled.schedulerRole;
    this.schedule = scheduled.schedule;

    this.alarms = reconcilerAlarms(
      name,
      {
        schedule: options.schedule,
        functionName: this.function.name,
        deadLetterQueueName: this.deadLetterQueue.name,
        alertsTopicArn: this.alertsTopicArn,
        tags,
      },
      this,
    );

    this.registerOutputs({
      functionName: this.function.name,
      reportBucket: this.reportBucket.bucket,
      digestTopicArn: this.digestTopic.arn,
      alertsTopicArn: this.alertsTopicArn,
      deadLetterQueueUrl: this.deadLetterQueue.url,
      ...(this.cur === undefined
        ? {}
        : {
            curBucket: this.cur.bucket.bucket,
            curTable: pulumi.interpolate`${this.cur.database.name}.${this.cur.table.name}`,
            curWorkGroup: this.cur.workGroup.name,
          }),
    });
  }
}

/** The owner named in the guard's tags, and the unowned-spend contact. */
function defaultAlertEmails(registry: Registry, tags: Tags): string[] {
  const owner = tags[registry.settings.tagKeys.owner];
  return [...(owner === undefined ? [] : [owner]), registry.settings.unownedSpendContact];
}
