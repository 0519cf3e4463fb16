/**
 * The two topics of the `Reconciler`: owner digests (each owner subscribed to their own only)
 * and alerts (Budgets, Cost Anomaly Detection and the alarms publish there).
 *
 * Why two: digest subscriptions filter on an `owner` message attribute, and Budgets and Cost
 * Anomaly Detection publish without message attributes, so their alerts would match no digest
 * subscription at all. Owners get their budget and anomaly emails directly; the alerts topic is
 * the central feed for whoever runs the guard (and for chat or paging integrations).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Registry } from "../../src/registry";
import { digestRecipients } from "./digest-recipients";
import { alertsTopicPolicy } from "./policy-documents";
import type { Tags } from "./tags";

/** The owners' topic, one email subscription per recipient, filtered to their own digest. */
export function digestTopic(
  name: string,
  { registry, tags }: { readonly registry: Registry; readonly tags: Tags },
  parent: pulumi.Resource,
): aws.sns.Topic {
  const topic = new aws.sns.Topic(`${name}-owner-digests`, { tags: { ...tags } }, { parent });
  for (const recipient of digestRecipients(registry)) {
    new aws.sns.TopicSubscription(
      `${name}-digest-${recipient.email}`,
      {
        topic: topic.arn,
        protocol: "email",
        endpoint: recipient.email,
        filterPolicy: recipient.filterPolicy,
        filterPolicyScope: "MessageAttributes",
      },
      { parent: topic },
    );
  }
  return topic;
}

export interface AlertsTopic {
  readonly topic: aws.sns.Topic;
  /** The ARN, available only once the topic policy lets AWS services publish. */
  readonly arn: pulumi.Output<string>;
}

/** The alerts topic, its policy (Budgets, Cost Anomaly Detection, CloudWatch) and its emails. */
export function alertsTopic(
  name: string,
  { emails, tags }: { readonly emails: readonly string[]; readonly tags: Tags },
  parent: pulumi.Resource,
): AlertsTopic {
  // Not KMS-encrypted: Budgets cannot publish to a topic encrypted with the AWS managed key.
  const topic = new aws.sns.Topic(`${name}-alerts`, { tags: { ...tags } }, { parent });
  const policy = new aws.sns.TopicPolicy(
    `${name}-alerts-policy`,
    {
      arn: topic.arn,
      policy: topic.arn.apply((arn) => JSON.stringify(alertsTopicPolicy(arn))),
    },
    { parent: topic },
  );
  const arn = pulumi.all([topic.arn, policy.id]).apply(([topicArn]) => topicArn);
  for (const email of [...new Set(emails)].sort()) {
    new aws.sns.TopicSubscription(
      `${name}-alerts-${email}`,
      { topic: topic.arn, protocol: "email", endpoint: email },
      { parent: topic },
    );
  }
  return { topic, arn };
}
