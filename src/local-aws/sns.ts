/**
 * Local SNS `Publish`, in the protocol the installed @aws-sdk/client-sns speaks: awsQuery
 * (form-encoded POST with Action=Publish, XML responses). Records what was published so tests
 * can assert who received which message; `fault` makes chosen publishes fail.
 */
import { randomUUID } from "node:crypto";
import type { LocalRequest, LocalResponse, ServiceHandler } from "./types";

const XMLNS = "http://sns.amazonaws.com/doc/2010-03-31/";

export interface SnsPublish {
  readonly topicArn: string;
  readonly subject: string | undefined;
  readonly message: string;
  /** Message attributes: name -> string value. */
  readonly attributes: Readonly<Record<string, string>>;
}

export interface SnsPublished extends SnsPublish {
  readonly messageId: string;
}

/** An SNS error answer: `code` as the API names it (e.g. InternalError, Throttling). */
export interface SnsFault {
  readonly status: number;
  readonly code: string;
  readonly message?: string;
}

export interface SnsHandlerOptions {
  /** Decide per publish whether it fails; undefined = accept it. */
  readonly fault?: (publish: SnsPublish) => SnsFault | undefined;
  /** Longest subject SNS accepts (100). */
  readonly subjectLimit?: number;
}

export interface SnsHandler extends ServiceHandler {
  /** Accepted publishes, in order. */
  readonly published: SnsPublished[];
  /** Refused publishes (faults and invalid parameters), in order. */
  readonly refused: SnsPublish[];
}

export function snsHandler(options: SnsHandlerOptions = {}): SnsHandler {
  const published: SnsPublished[] = [];
  const refused: SnsPublish[] = [];
  const limit = options.subjectLimit ?? 100;

  const handler = ((request: LocalRequest): LocalResponse | undefined => {
    if (!signedFor(request, "sns")) return undefined;
    const form = new URLSearchParams(request.body.toString("utf8"));
    const action = form.get("Action");
    if (action !== "Publish") {
      return error(400, "InvalidAction", `local SNS: action ${String(action)} is not served`);
    }
    const publish = readPublish(form);
    if (publish.topicArn === "") {
      refused.push(publish);
      return error(400, "InvalidParameter", "Invalid parameter: TopicArn");
    }
    if (publish.subject !== undefined && !validSubject(publish.subject, limit)) {
      refused.push(publish);
      return error(
        400,
        "InvalidParameter",
        "Invalid parameter: Subject: must be ASCII text that begins with a letter, number, or punctuation mark; must not include line breaks or control characters; and must be less than 100 characters long.",
      );
    }
    const fault = options.fault?.(publish);
    if (fault !== undefined) {
      refused.push(publish);
      return error(fault.status, fault.code, fault.message ?? `local SNS: injected ${fault.code}`);
    }
    const messageId = randomUUID();
    published.push({ ...publish, messageId });
    return {
      status: 200,
      headers: { "content-type": "text/xml" },
      body: `<PublishResponse xmlns="${XMLNS}"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
    };
  }) as SnsHandler;
  return Object.assign(handler, { published, refused });
}

function readPublish(form: URLSearchParams): SnsPublish {
  const attributes: Record<string, string> = {};
  for (let i = 1; form.has(`MessageAttributes.entry.${i}.Name`); i++) {
    const name = form.get(`MessageAttributes.entry.${i}.Name`)!;
    attributes[name] = form.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? "";
  }
  return {
    topicArn: form.get("TopicArn") ?? "",
    subject: form.get("Subject") ?? undefined,
    message: form.get("Message") ?? "",
    attributes,
  };
}

function validSubject(subject: string, limit: number): boolean {
  return subject.length > 0 && subject.length <= limit && /^[\x21-\x7e][\x20-\x7e]*$/.test(subject);
}

function error(status: number, code: string, message: string): LocalResponse {
  const type = status >= 500 ? "Receiver" : "Sender";
  return {
    status,
    headers: { "content-type": "text/xml" },
    body: `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  };
}

/** True when the request is SigV4-signed for `service` (the credential scope names it). */
export function signedFor(request: LocalRequest, service: string): boolean {
  const authorization = request.headers["authorization"] ?? "";
  return (
    authorization.startsWith("AWS4-HMAC-SHA256 ") &&
    authorization.includes(`/${service}/aws4_request`)
  );
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}
