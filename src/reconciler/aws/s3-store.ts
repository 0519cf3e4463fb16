/**
 * `ReportStore` on S3: reports, delivery records and the run's claim under one prefix. Needs
 * s3:GetObject and s3:PutObject on the prefix, and s3:ListBucket on the bucket (the stack
 * grants it for the prefix only): with it, S3 answers a missing key with 404, so a 403 means
 * what it says and is thrown. Reading a 403 as "absent" made a run that could not read its
 * delivery records resend every digest and log them as sent.
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

const isMissing = (error: unknown): boolean =>
  (error as ServiceFault).name === "NoSuchKey" || statusOf(error) === 404;

export function s3ReportStore(client: S3Client, bucket: string): ReportStore {
  async function getVersioned(key: string) {
    try {
      const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const body = (await response.Body?.transformToString("utf-8")) ?? "";
      return { body, etag: response.ETag ?? "" };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  return {
    getVersioned,
    async get(key) {
      return (await getVersioned(key))?.body;
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
    async replaceIfMatch(key, body, contentType, etag) {
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: body,
            ContentType: contentType,
            // 412 when the object is no longer the version read: someone else wrote it since.
            IfMatch: etag,
          }),
        );
        return "written";
      } catch (error) {
        const status = statusOf(error);
        if (status === 412 || status === 409 || isMissing(error)) return "changed";
        throw error;
      }
    },
  };
}
