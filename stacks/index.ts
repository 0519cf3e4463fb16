/**
 * The Pulumi program (`main` in Pulumi.yaml). Run `pulumi preview` / `pulumi up` from the
 * project root, with AWS credentials for the management account (see README, "Stacks").
 */
import * as pulumi from "@pulumi/pulumi";
import { readStackSettings } from "./config";
import { defineStack } from "./program";

const stack = defineStack(readStackSettings());

export const reconcilerFunction = stack.reconciler.function.name;
export const reportBucket = stack.reconciler.reportBucket.bucket;
export const ownerDigestTopicArn = stack.reconciler.digestTopic.arn;
export const alertsTopicArn = stack.reconciler.alertsTopicArn;
export const deadLetterQueueUrl = stack.reconciler.deadLetterQueue.url;
export const budgets = Object.fromEntries(
  Object.entries(stack.budgets).map(([id, b]) => [id, b.budget?.name ?? "(no budget)"]),
);
export const inferenceProfiles = Object.fromEntries(
  Object.entries(stack.budgets).flatMap(([, b]) =>
    Object.entries(b.inferenceProfiles).map(([name, profile]) => [name, profile.arn]),
  ),
);
/** With `costSource: cur`: where the export lands, and what to query it with. */
const cur = stack.reconciler.cur;
export const curExportBucket = cur?.bucket.bucket;
export const curAthenaTable = cur && pulumi.interpolate`${cur.database.name}.${cur.table.name}`;
export const curAthenaWorkGroup = cur?.workGroup.name;
