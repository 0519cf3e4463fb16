/**
 * `Publisher` on SNS: every message goes to the owners' topic, and the `owner` message
 * attribute (the recipient's address) is what each email subscription's filter policy
 * matches, so each owner receives only their own digest.
 */
import { PublishCommand } from "@aws-sdk/client-sns";
import type { SNSClient } from "@aws-sdk/client-sns";
import type { Publisher } from "./deliver";

/** The message attribute the subscriptions filter on. */
export const OWNER_ATTRIBUTE = "owner";

export function snsPublisher(client: SNSClient, topicArn: string): Publisher {
  return {
    async publish(message) {
      const response = await client.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: message.subject,
          Message: message.body,
          MessageAttributes: {
            [OWNER_ATTRIBUTE]: { DataType: "String", StringValue: message.recipient },
            kind: { DataType: "String", StringValue: message.kind },
          },
        }),
      );
      if (response.MessageId === undefined) {
        throw new Error("SNS accepted the message but returned no MessageId");
      }
      return { messageId: response.MessageId };
    },
  };
}
