/**
 * The reconciler's CUR 2.0 source (`costSource: cur`): the export and its bucket
 * (`cur-export.ts`), the Glue table over it (`cur-catalog.ts`) and the Athena workgroup
 * (`cur-athena.ts`), plus what the function needs from them: its grants (instead of Cost
 * Explorer's) and its environment.
 */
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ENV } from "../../src/reconciler/aws/deployment-contract";
import { curWorkGroup } from "./cur-athena";
import { curCatalog } from "./cur-catalog";
import { ATHENA_RESULTS_PREFIX, curExport } from "./cur-export";
import { arnParts } from "./policy-documents";
import type { ReconcilerCurGrants } from "./policy-documents";
import type { ReconcilerOptions } from "./reconciler-options";
import type { Tags } from "./tags";

export interface ReconcilerCurArgs {
  readonly options: Pick<ReconcilerOptions, "curExportName" | "curBytesScannedCutoffPerQuery">;
  /** An ARN of this account in the stack's region (account, partition and region come from it). */
  readonly accountArn: pulumi.Output<string>;
  readonly tags: Tags;
  readonly usEast1Provider?: aws.Provider;
}

export interface ReconcilerCur {
  readonly bucket: aws.s3.Bucket;
  readonly export: aws.bcmdata.Export;
  readonly usEast1Provider: aws.Provider;
  readonly database: aws.glue.CatalogDatabase;
  readonly table: aws.glue.CatalogTable;
  readonly workGroup: aws.athena.Workgroup;
  /** The function's grants on the above, resolved. */
  readonly grants: pulumi.Output<ReconcilerCurGrants>;
  /** The function's environment for the CUR source. */
  readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
}

export function reconcilerCur(
  name: string,
  args: ReconcilerCurArgs,
  parent: pulumi.Resource,
): ReconcilerCur {
  const { options, tags } = args;
  const exported = curExport(
    name,
    {
      exportName: options.curExportName,
      accountArn: args.accountArn,
      tags,
      ...(args.usEast1Provider === undefined ? {} : { usEast1Provider: args.usEast1Provider }),
    },
    parent,
  );
  const { database, table } = curCatalog(
    name,
    {
      exportName: options.curExportName,
      bucket: exported.bucket,
      dataPrefix: exported.dataPrefix,
      tags,
    },
    parent,
  );
  const workGroup = curWorkGroup(
    name,
    {
      workGroupName: options.curExportName,
      bucket: exported.bucket,
      bytesScannedCutoffPerQuery: options.curBytesScannedCutoffPerQuery,
      tags,
    },
    parent,
  );
  const grants = pulumi
    .all([args.accountArn, exported.bucket.arn, database.name, table.name, workGroup.name])
    .apply(([accountArn, bucketArn, databaseName, tableName, workGroupName]) => {
      const { partition, region, account } = arnParts(accountArn);
      const glue = `arn:${partition}:glue:${region}:${account}`;
      return {
        workGroupArn: `arn:${partition}:athena:${region}:${account}:workgroup/${workGroupName}`,
        glueCatalogArn: `${glue}:catalog`,
        glueDatabaseArn: `${glue}:database/${databaseName}`,
        glueTableArn: `${glue}:table/${databaseName}/${tableName}`,
        bucketArn,
        dataPrefix: exported.dataPrefix,
        resultsPrefix: ATHENA_RESULTS_PREFIX,
      };
    });
  return {
    bucket: exported.bucket,
    export: exported.export,
    usEast1Provider: exported.usEast1Provider,
    database,
    table,
    workGroup,
    grants,
    environment: {
      [ENV.costSource]: "cur",
      [ENV.curDatabase]: database.name,
      [ENV.curTable]: table.name,
      [ENV.curWorkGroup]: workGroup.name,
      // The doctor's export check (GetExport) reads the export this stack made.
      [ENV.curExportArn]: exported.export.arn,
    },
  };
}
