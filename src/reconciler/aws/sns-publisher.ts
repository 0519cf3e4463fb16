/**
 * `Publisher` on SNS: every message goes to the owners' topic, and the `owner` message
 * attribute (the recipient's address) is what each email subscription's filter policy
 * matches, so each owner receives only their own digest.
 */
import { PublishCommand } from "@aws-sdk/client-sns";
import type { SNSClient } from "@aws-sdk/client-sns";
import type { Publisher } from "../ports";
import { MESSAGE_ATTRIBUTES } from "./deployment-contract";

export function snsPublisher(client: SNSClient, topicArn: string): Publisher {
  return {
    async publish(message) {
      const response = await client.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: message.subject,
          Message: message.body,
          MessageAttributes: {
            [MESSAGE_ATTRIBUTES.owner]: { DataType: "String", StringValue: message.recipient },
            [MESSAGE_ATTRIBUTES.kind]: { DataType: "String", StringValue: message.kind },
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
