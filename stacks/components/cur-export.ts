/**
 * The CUR 2.0 export the reconciler reads when `costSource` is `cur`: its bucket (private,
 * SSE-S3, TLS only, writable by AWS Data Exports for this account's exports) and the export
 * (`aws.bcmdata.Export`): Parquet, daily, resources and IAM principals included, each refresh
 * overwriting the period, selecting exactly the columns the reconciliation reads
 * (`CUR_COLUMNS`).
 *
 * Data Exports is a us-east-1 API: the export is managed through a provider for us-east-1
 * (`usEast1Provider`, or one made here), whatever the stack's region; the bucket stays in the
 * stack's region (the export names it in `s3Region`). A provider made here takes its
 * credentials from the environment as the default provider does, but not the stack's explicit
 * `aws:` settings (profile, assumed role, default tags): pass your own provider when you use
 * those.
 */
import * as aws from "@pulumi/aws";
import { privateBucket } from "./private-bucket";
import * as pulumi from "@pulumi/pulumi";
import { CUR_COLUMNS } from "../../src/reconciler/cur/columns";
import { DATA_FOLDER } from "../../src/reconciler/cur/export-folder";
import { arnParts, curExportBucketPolicy } from "./policy-documents";
import type { Tags } from "./tags";

/** The export's S3 prefix in its bucket: data lands under `cur2/<export>/data/`. */
export const CUR_S3_PREFIX = "cur2";
/** Athena's query results, in the same bucket. */
export const ATHENA_RESULTS_PREFIX = "athena-results/";
/** Days Athena results are kept: each run reads its own at once. */
export const ATHENA_RESULTS_DAYS = 7;
/** The table Data Exports queries for CUR 2.0. */
export const CUR_TABLE = "COST_AND_USAGE_REPORT";

/**
 * The export's table configuration. The provider requires every value once any is set, and
 * BILLING_VIEW_ARN for the CUR table: all seven are given.
 */
export function curTableConfiguration(account: string, partition: string): Record<string, string> {
  return {
    BILLING_VIEW_ARN: `arn:${partition}:billing::${account}:billingview/primary`,
    TIME_GRANULARITY: "DAILY",
    INCLUDE_RESOURCES: "TRUE",
    INCLUDE_IAM_PRINCIPAL_DATA: "TRUE",
    INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY: "FALSE",
    INCLUDE_SPLIT_COST_ALLOCATION_DATA: "FALSE",
    INCLUDE_CAPACITY_RESERVATION_DATA: "FALSE",
  };
}

/** The export's query: exactly the columns the reconciliation reads, in their order. */
export function curQueryStatement(): string {
  return `SELECT ${CUR_COLUMNS.map((c) => c.name).join(", ")} FROM ${CUR_TABLE}`;
}

export interface CurExportArgs {
  /** The export's name (`curExportName`). */
  readonly exportName: string;
  /** Any ARN of this account and partition in the stack's region (account and partition come from it). */
  readonly accountArn: pulumi.Input<string>;
  readonly tags: Tags;
  /** A provider for us-east-1 (default: one made here, see the module comment). */
  readonly usEast1Provider?: aws.Provider;
}

export interface CurExport {
  readonly bucket: aws.s3.Bucket;
  readonly bucketPolicy: aws.s3.BucketPolicy;
  readonly export: aws.bcmdata.Export;
  readonly usEast1Provider: aws.Provider;
  /** `cur2/<export>/data/`: the Glue table's location and the reconciler's read grant. */
  readonly dataPrefix: string;
}

export function curExport(name: string, args: CurExportArgs, parent: pulumi.Resource): CurExport {
  const tags = { ...args.tags };
  const { bucket, publicAccess } = privateBucket(`${name}-cur`, tags, parent);
  const bucketParent = { parent: bucket };
  new aws.s3.BucketLifecycleConfiguration(
    `${name}-cur-lifecycle`,
    {
      bucket: bucket.id,
      rules: [
        {
          id: "expire-athena-results",
          status: "Enabled",
          filter: { prefix: ATHENA_RESULTS_PREFIX },
          expiration: { days: ATHENA_RESULTS_DAYS },
        },
        {
          id: "abort-incomplete-uploads",
          status: "Enabled",
          filter: {},
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
    },
    bucketParent,
  );
  const bucketPolicy = new aws.s3.BucketPolicy(
    `${name}-cur-policy`,
    {
      bucket: bucket.id,
      policy: pulumi.all([bucket.arn, args.accountArn]).apply(([bucketArn, accountArn]) => {
        const { account, partition } = arnParts(accountArn);
        return JSON.stringify(curExportBucketPolicy(bucketArn, account, partition));
      }),
    },
    { ...bucketParent, dependsOn: [publicAccess] },
  );
  const usEast1Provider =
    args.usEast1Provider ??
    new aws.Provider(`${name}-us-east-1`, { region: "us-east-1" }, { parent });
  const exported = new aws.bcmdata.Export(
    `${name}-cur-export`,
    {
      export: {
        name: args.exportName,
        description: "ai-spend-guard: line items for spend per workflow, model and caller",
        dataQueries: [
          {
            queryStatement: curQueryStatement(),
            tableConfigurations: pulumi.output(args.accountArn).apply((arn) => {
              const { account, partition } = arnParts(arn);
              return { [CUR_TABLE]: curTableConfiguration(account, partition) };
            }),
          },
        ],
        destinationConfigurations: [
          {
            s3Destinations: [
              {
                s3Bucket: bucket.bucket,
                s3Prefix: CUR_S3_PREFIX,
                s3Region: bucket.region,
                s3OutputConfigurations: [
                  {
                    outputType: "CUSTOM",
                    format: "PARQUET",
                    compression: "PARQUET",
                    // A period's partition is replaced on each refresh, never appended to.
                    overwrite: "OVERWRITE_REPORT",
                  },
                ],
              },
            ],
          },
        ],
        refreshCadences: [{ frequency: "SYNCHRONOUS" }],
      },
      tags,
    },
    // AWS checks the bucket policy when the export is created.
    { parent, provider: usEast1Provider, dependsOn: [bucketPolicy] },
  );
  return {
    bucket,
    bucketPolicy,
    export: exported,
    usEast1Provider,
    dataPrefix: `${CUR_S3_PREFIX}/${args.exportName}/${DATA_FOLDER}/`,
  };
}
