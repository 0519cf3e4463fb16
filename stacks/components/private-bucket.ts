/**
 * An S3 bucket no one outside the account can reach: owner-enforced objects (no ACLs), every
 * public access blocked, SSE-S3 by default. The reports bucket and the CUR export bucket both
 * start here. SSE-S3 rather than SSE-KMS: Data Exports documents no key policy, and a KMS
 * default encryption makes every delivery fail.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

export interface PrivateBucket {
  readonly bucket: aws.s3.Bucket;
  /** Bucket policies must wait for it: a policy put before the block would be refused. */
  readonly publicAccess: aws.s3.BucketPublicAccessBlock;
}

/** `${prefix}` names the bucket; its settings are `${prefix}-ownership`, `-public-access`, `-encryption`. */
export function privateBucket(
  prefix: string,
  tags: Readonly<Record<string, string>>,
  parent: pulumi.Resource,
): PrivateBucket {
  const bucket = new aws.s3.Bucket(prefix, { tags: { ...tags } }, { parent });
  const bucketParent = { parent: bucket };
  new aws.s3.BucketOwnershipControls(
    `${prefix}-ownership`,
    { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
    bucketParent,
  );
  const publicAccess = new aws.s3.BucketPublicAccessBlock(
    `${prefix}-public-access`,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    bucketParent,
  );
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${prefix}-encryption`,
    {
      bucket: bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    },
    bucketParent,
  );
  return { bucket, publicAccess };
}
