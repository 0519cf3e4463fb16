/**
 * The Glue database and table Athena reads the CUR 2.0 export through: an external Parquet
 * table over the export's `data/` prefix, with CUR 2.0's column types (`CUR_COLUMNS`), and
 * partitioned by `billing_period`.
 *
 * Partition projection rather than a crawler or registered partitions: Data Exports writes a
 * new `BILLING_PERIOD=YYYY-MM` folder each month and rewrites the current one up to three
 * times a day. With projection, Athena computes a month's location from the query's
 * `billing_period IN (...)` filter (`storage.location.template`), so a new month is queryable
 * the moment AWS delivers it, with no crawler to schedule and pay for, no MSCK REPAIR or
 * partition to add, and no schema a crawler might re-infer differently (the column types are
 * CUR 2.0's, stated here). The folder's upper-case `BILLING_PERIOD=` is then irrelevant too.
 * The table's location is `data/` only, so the manifests under `metadata/` are never read as
 * data.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CUR_COLUMNS } from "../../src/reconciler/cur/columns";
import type { CurColumnType } from "../../src/reconciler/cur/columns";
import { PARTITION_PREFIX } from "../../src/reconciler/cur/export-folder";
import type { Tags } from "./tags";

/** The partition column the CUR query filters on (`query.ts`). */
export const PARTITION_COLUMN = "billing_period";
/** The first month projection offers; earlier months hold no CUR 2.0 data. */
export const FIRST_PROJECTED_PERIOD = "2023-11";

/** CUR 2.0's column types as Glue (Hive) names them. */
export const GLUE_TYPES: Readonly<Record<CurColumnType, string>> = {
  string: "string",
  double: "double",
  timestamp: "timestamp",
  "map<string,string>": "map<string,string>",
};

/** A Glue and Athena name from the export's name: lower case, `_` for `-`. */
export function glueName(exportName: string): string {
  return exportName.toLowerCase().replaceAll("-", "_");
}

export interface CurCatalogArgs {
  readonly exportName: string;
  readonly bucket: aws.s3.Bucket;
  /** `cur2/<export>/data/` */
  readonly dataPrefix: string;
  readonly tags: Tags;
}

export interface CurCatalog {
  readonly database: aws.glue.CatalogDatabase;
  readonly table: aws.glue.CatalogTable;
}

export function curCatalog(
  name: string,
  args: CurCatalogArgs,
  parent: pulumi.Resource,
): CurCatalog {
  const database = new aws.glue.CatalogDatabase(
    `${name}-cur-database`,
    {
      name: glueName(args.exportName),
      description: "ai-spend-guard: the CUR 2.0 export",
      tags: { ...args.tags },
    },
    { parent },
  );
  const location = pulumi.interpolate`s3://${args.bucket.bucket}/${args.dataPrefix}`;
  const table = new aws.glue.CatalogTable(
    `${name}-cur-table`,
    {
      databaseName: database.name,
      name: "cur2",
      description:
        "CUR 2.0 line items (AWS Data Exports, Parquet), one partition per billing period",
      tableType: "EXTERNAL_TABLE",
      parameters: {
        EXTERNAL: "TRUE",
        classification: "parquet",
        "projection.enabled": "true",
        [`projection.${PARTITION_COLUMN}.type`]: "date",
        [`projection.${PARTITION_COLUMN}.format`]: "yyyy-MM",
        [`projection.${PARTITION_COLUMN}.range`]: `${FIRST_PROJECTED_PERIOD},NOW`,
        [`projection.${PARTITION_COLUMN}.interval`]: "1",
        [`projection.${PARTITION_COLUMN}.interval.unit`]: "MONTHS",
        "storage.location.template": pulumi.interpolate`${location}${PARTITION_PREFIX}\${${PARTITION_COLUMN}}/`,
      },
      partitionKeys: [{ name: PARTITION_COLUMN, type: "string" }],
      storageDescriptor: {
        location,
        inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
        outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
        serDeInfo: {
          serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
          parameters: { "serialization.format": "1" },
        },
        columns: CUR_COLUMNS.map((c) => ({ name: c.name, type: GLUE_TYPES[c.type] })),
      },
    },
    { parent: database },
  );
  return { database, table };
}
