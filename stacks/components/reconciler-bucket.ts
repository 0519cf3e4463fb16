/**
 * The reports bucket of the `Reconciler`: private (owner-enforced, public access blocked),
 * encrypted, TLS only, versioned, and expiring reports after the retention period.
 */
import * as aws from "@pulumi/aws";
import { privateBucket } from "./private-bucket";
import type * as pulumi from "@pulumi/pulumi";
import { tlsOnlyBucketPolicy } from "./policy-documents";
import type { ReconcilerOptions } from "./reconciler-options";
import type { Tags } from "./tags";

export interface ReportBucketArgs {
  readonly options: Pick<ReconcilerOptions, "reportPrefix" | "reportRetentionDays">;
  readonly tags: Tags;
}

export function reportBucket(
  name: string,
  { options, tags }: ReportBucketArgs,
  parent: pulumi.Resource,
): aws.s3.Bucket {
  const { bucket, publicAccess } = privateBucket(`${name}-reports`, tags, parent);
  const bucketParent = { parent: bucket };
  const versioning = new aws.s3.BucketVersioning(
    `${name}-reports-versioning`,
    { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
    bucketParent,
  );
  new aws.s3.BucketLifecycleConfiguration(
    `${name}-reports-lifecycle`,
    {
      bucket: bucket.id,
      rules: [
        {
          id: "expire-reports",
          status: "Enabled",
          filter: { prefix: options.reportPrefix },
          expiration: { days: options.reportRetentionDays },
          // Overwritten delivery records and reports stay recoverable for a month.
          noncurrentVersionExpiration: { noncurrentDays: 30 },
        },
        {
          id: "abort-incomplete-uploads",
          status: "Enabled",
          filter: {},
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
        {
          // An expired report leaves a delete marker, alone once its old version expires too.
          // A rule of its own: S3 refuses expiredObjectDeleteMarker beside days or a date.
          id: "remove-expired-delete-markers",
          status: "Enabled",
          filter: {},
          expiration: { expiredObjectDeleteMarker: true },
        },
      ],
    },
    { ...bucketParent, dependsOn: [versioning] },
  );
  new aws.s3.BucketPolicy(
    `${name}-reports-tls-only`,
    {
      bucket: bucket.id,
      policy: bucket.arn.apply((arn) => JSON.stringify(tlsOnlyBucketPolicy(arn))),
    },
    // S3 rejects bucket policies while the public access block is being applied.
    { ...bucketParent, dependsOn: [publicAccess] },
  );
  return bucket;
}
