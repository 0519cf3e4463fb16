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
import {
  alertsTopicPolicy,
  arnParts,
  digestKeyPolicy,
  digestTopicPolicy,
} from "./policy-documents";
import type { Tags } from "./tags";

/**
 * The owners' topic, one email subscription per recipient, filtered to their own digest;
 * encrypted with a customer-managed key only the reconciler (through SNS) and SNS may use, and
 * a policy that lets only the reconciler's role publish and only the recipients subscribe.
 */
export function digestTopic(
  name: string,
  {
    registry,
    tags,
    reconcilerRoleArn,
  }: {
    readonly registry: Registry;
    readonly tags: Tags;
    readonly reconcilerRoleArn: pulumi.Input<string>;
  },
  parent: pulumi.Resource,
): aws.sns.Topic {
  const identity = pulumi.output(reconcilerRoleArn).apply((arn) => ({ arn, ...arnParts(arn) }));
  const key = new aws.kms.Key(
    `${name}-digest-key`,
    {
      description: "ai-spend-guard: encrypts the owner-digest topic",
      enableKeyRotation: true,
      policy: identity.apply((role) =>
        JSON.stringify(digestKeyPolicy(role.account, role.partition, role.arn)),
      ),
      tags: { ...tags },
    },
    { parent },
  );
  const topic = new aws.sns.Topic(
    `${name}-owner-digests`,
    { kmsMasterKeyId: key.arn, tags: { ...tags } },
    { parent },
  );
  const recipients = digestRecipients(registry);
  new aws.sns.TopicPolicy(
    `${name}-owner-digests-policy`,
    {
      arn: topic.arn,
      policy: pulumi.all([topic.arn, identity]).apply(([arn, role]) =>
        JSON.stringify(
          digestTopicPolicy(
            arn,
            role.arn,
            recipients.map((r) => r.email),
          ),
        ),
      ),
    },
    { parent: topic },
  );
  for (const recipient of recipients) {
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
