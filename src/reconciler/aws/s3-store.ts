/**
 * `ReportStore` on S3: reports and delivery records under one prefix. Needs only
 * s3:GetObject and s3:PutObject on the prefix.
 *
 * Without s3:ListBucket, S3 answers a GET for a missing key with 403 rather than 404, so
 * both mean "absent" here. A real permission fault is not hidden by that: the conditional
 * put that follows every "absent" fails loudly with its own 403.
 */
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import type { ReportStore } from "../ports";

interface ServiceFault {
  readonly name?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

const statusOf = (error: unknown): number | undefined =>
  (error as ServiceFault).$metadata?.httpStatusCode;

export function s3ReportStore(client: S3Client, bucket: string): ReportStore {
  return {
    async get(key) {
      try {
        const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return (await response.Body?.transformToString("utf-8")) ?? "";
      } catch (error) {
        const name = (error as ServiceFault).name;
        const status = statusOf(error);
        if (name === "NoSuchKey" || name === "AccessDenied" || status === 404 || status === 403) {
          return undefined;
        }
        throw error;
      }
    },
    async putIfAbsent(key, body, contentType) {
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: body,
            ContentType: contentType,
            // S3 conditional write: 412 when the key exists, so a report is written once.
            IfNoneMatch: "*",
          }),
        );
        return "written";
      } catch (error) {
        // 409: a concurrent conditional write to the same key is in flight; it will win.
        const status = statusOf(error);
        if (status === 412 || status === 409) return "exists";
        throw error;
      }
    },
  };
}
