/**
 * The reconciler's EventBridge Scheduler schedule, with its own role: it may only invoke the
 * function and park a given-up run in the dead-letter queue.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { arnParts, assumeRolePolicy, schedulerPolicy } from "./policy-documents";
import type { ReconcilerOptions } from "./reconciler-options";
import type { Tags } from "./tags";

export interface ReconcilerScheduleArgs {
  readonly options: Pick<ReconcilerOptions, "schedule" | "scheduleTimezone">;
  readonly function: aws.lambda.Function;
  readonly deadLetterQueue: aws.sqs.Queue;
  readonly tags: Tags;
}

export function reconcilerSchedule(
  name: string,
  args: ReconcilerScheduleArgs,
  parent: pulumi.Resource,
): { readonly schedulerRole: aws.iam.Role; readonly schedule: aws.scheduler.Schedule } {
  const { options, deadLetterQueue } = args;
  const schedulerRole = new aws.iam.Role(
    `${name}-scheduler-role`,
    {
      assumeRolePolicy: deadLetterQueue.arn.apply((arn) =>
        JSON.stringify(assumeRolePolicy("scheduler.amazonaws.com", arnParts(arn).account)),
      ),
      description: "ai-spend-guard: lets EventBridge Scheduler start the reconciler",
      tags: { ...args.tags },
    },
    { parent },
  );
  const schedulerRolePolicy = new aws.iam.RolePolicy(
    `${name}-scheduler-role-policy`,
    {
      role: schedulerRole.id,
      policy: pulumi
        .all([args.function.arn, deadLetterQueue.arn])
        .apply(([fn, dlq]) => JSON.stringify(schedulerPolicy(fn, dlq))),
    },
    { parent: schedulerRole },
  );
  const schedule = new aws.scheduler.Schedule(
    `${name}-schedule`,
    {
      description: "ai-spend-guard: daily reconciliation of AI spend",
      scheduleExpression: options.schedule,
      scheduleExpressionTimezone: options.scheduleTimezone,
      flexibleTimeWindow: { mode: "OFF" },
      state: "ENABLED",
      target: {
        arn: args.function.arn,
        roleArn: schedulerRole.arn,
        // The scheduled time, not the clock at invocation, names the run date: a retry after
        // midnight UTC must stay the same run (same report, no second digest).
        input: JSON.stringify({
          source: "ai-spend-guard.schedule",
          time: "<aws.scheduler.scheduled-time>",
        }),
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
        deadLetterConfig: { arn: deadLetterQueue.arn },
      },
    },
    { parent, dependsOn: [schedulerRolePolicy] },
  );
  return { schedulerRole, schedule };
}
