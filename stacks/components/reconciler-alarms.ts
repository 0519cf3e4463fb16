/**
 * The reconciler's alarms, all to the alerts topic: a failed run, a run given up in the
 * dead-letter queue, and runs that stop happening.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { missedRunWindow } from "./missed-runs";
import type { Tags } from "./tags";

export interface ReconcilerAlarms {
  readonly errors: aws.cloudwatch.MetricAlarm;
  readonly deadLetters: aws.cloudwatch.MetricAlarm;
  /**
   * No invocation for a whole window sized on the schedule (see `missed-runs.ts`): the
   * schedule is disabled, deleted or cannot invoke the function. Undefined for schedules the
   * window cannot be derived from (`at(...)`, a cron that skips days).
   */
  readonly missedRuns?: aws.cloudwatch.MetricAlarm;
}

export interface ReconcilerAlarmsArgs {
  readonly schedule: string;
  readonly functionName: pulumi.Input<string>;
  readonly deadLetterQueueName: pulumi.Input<string>;
  readonly alertsTopicArn: pulumi.Input<string>;
  readonly tags: Tags;
}

export function reconcilerAlarms(
  name: string,
  args: ReconcilerAlarmsArgs,
  parent: pulumi.Resource,
): ReconcilerAlarms {
  const tags = { ...args.tags };
  const alarmActions = [args.alertsTopicArn];
  const missedRunsWindow = missedRunWindow(args.schedule);
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
            dimensions: { FunctionName: args.functionName },
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
          { parent },
        );
  return {
    errors: new aws.cloudwatch.MetricAlarm(
      `${name}-errors`,
      {
        alarmDescription: "The ai-spend-guard reconciler failed: owners did not get their digest",
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: args.functionName },
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
      { parent },
    ),
    deadLetters: new aws.cloudwatch.MetricAlarm(
      `${name}-dlq-depth`,
      {
        alarmDescription:
          "A reconciler run was given up and parked in the dead-letter queue: inspect and redrive it",
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: args.deadLetterQueueName },
        statistic: "Maximum",
        period: 300,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
        alarmActions,
        tags,
      },
      { parent },
    ),
    ...(missedRuns === undefined ? {} : { missedRuns }),
  };
}
