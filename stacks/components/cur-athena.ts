/**
 * The Athena workgroup the reconciler queries the CUR export in: engine version 3, its
 * results under the export bucket's results prefix, SSE-S3, a per-query bytes-scanned cutoff
 * (a query past it is cancelled, and the reconciler says so), CloudWatch metrics on. The
 * configuration is enforced: a client cannot send its results elsewhere or lift the cutoff.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ATHENA_RESULTS_PREFIX } from "./cur-export";
import type { Tags } from "./tags";

export interface CurWorkGroupArgs {
  readonly workGroupName: string;
  readonly bucket: aws.s3.Bucket;
  readonly bytesScannedCutoffPerQuery: number;
  readonly tags: Tags;
}

export function curWorkGroup(
  name: string,
  args: CurWorkGroupArgs,
  parent: pulumi.Resource,
): aws.athena.Workgroup {
  return new aws.athena.Workgroup(
    `${name}-cur-workgroup`,
    {
      name: args.workGroupName,
      description: "ai-spend-guard: the reconciler's queries of the CUR 2.0 export",
      configuration: {
        enforceWorkgroupConfiguration: true,
        bytesScannedCutoffPerQuery: args.bytesScannedCutoffPerQuery,
        publishCloudwatchMetricsEnabled: true,
        engineVersion: { selectedEngineVersion: "Athena engine version 3" },
        resultConfiguration: {
          outputLocation: pulumi.interpolate`s3://${args.bucket.bucket}/${ATHENA_RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: "SSE_S3" },
        },
      },
      // Query history is not worth a failed `pulumi destroy`.
      forceDestroy: true,
      tags: { ...args.tags },
    },
    { parent },
  );
}
