/**
 * Is the CUR 2.0 export (Data Exports `GetExport`) fit for the reconciliation: Parquet, every
 * column it reads (the one list, `CUR_COLUMNS`), and the table configurations that add the
 * resource id and the calling principal? A column that is missing is simply absent from the
 * files, so the spend it would attribute is silently unowned: the doctor says so first.
 */
import { CUR_COLUMNS } from "../../reconciler/cur/columns";
import type { DoctorItem } from "./item";

/** What `GetExport` says about an export, as far as the doctor reads it. */
export interface CurExportSettings {
  readonly arn: string;
  readonly name: string;
  readonly queryStatement: string;
  /** `COST_AND_USAGE_REPORT` -> `{ INCLUDE_RESOURCES: "TRUE", ... }` */
  readonly tableConfigurations: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** `PARQUET` or `TEXT_OR_CSV`, when the export has an S3 destination. */
  readonly format: string | undefined;
  /** `HEALTHY` / `UNHEALTHY`, and why. */
  readonly statusCode: string | undefined;
  readonly statusReason: string | undefined;
}

const TABLE = "COST_AND_USAGE_REPORT";

/**
 * The columns a `SELECT ... FROM` lists, lower-cased (`*` for all). Only the top-level list is
 * read: CUR 2.0 export queries are a plain column list.
 */
export function selectedColumns(query: string): ReadonlySet<string> {
  const match = /^\s*select\s+([\s\S]+?)\s+from\s/i.exec(query);
  if (match === null) return new Set();
  return new Set(
    match[1]!
      .split(",")
      .map((c) => c.trim().toLowerCase())
      .filter((c) => c !== ""),
  );
}

export function curExportItems(settings: CurExportSettings): DoctorItem[] {
  const subject = `export ${settings.name}`;
  const items: DoctorItem[] = [];
  const fail = (message: string, fix: string) =>
    items.push({ check: "cur-export", status: "error", subject, message, fix });

  if (settings.statusCode === "UNHEALTHY") {
    fail(
      `the export is unhealthy${settings.statusReason === undefined ? "" : ` (${settings.statusReason})`}: no new files are delivered`,
      settings.statusReason === "INSUFFICIENT_PERMISSION"
        ? "give Data Exports write access to the bucket (bucket policy for billingreports.amazonaws.com and bcm-data-exports.amazonaws.com: s3:PutObject, s3:GetBucketPolicy)"
        : "recreate the export from the stack (or the console), then wait for the next delivery",
    );
  }
  if (settings.format !== "PARQUET") {
    fail(
      `the export is delivered as ${settings.format ?? "an unknown format (no S3 destination)"}, but the reconciliation reads Parquet`,
      "set the export's S3 output to Format PARQUET, Compression PARQUET (`aws bcm-data-exports update-export`, or the stack's export)",
    );
  }
  const selected = selectedColumns(settings.queryStatement);
  const config = settings.tableConfigurations[TABLE] ?? {};
  const missing: string[] = [];
  for (const column of CUR_COLUMNS) {
    if (column.addedBy.kind === "table-configuration") {
      const name = column.addedBy.name;
      if ((config[name] ?? "").toUpperCase() !== "TRUE") {
        fail(
          `${name} is ${config[name] ?? "not set"}: the files have no ${column.name} column, so ${column.name === "line_item_iam_principal" ? "Bedrock spend cannot be traced to the calling role or user" : "untagged spend cannot be traced to a resource"}`,
          `set the table configuration ${TABLE}.${name} to TRUE (a new export if the setting cannot be changed in place)`,
        );
      }
      continue;
    }
    if (!selected.has("*") && !selected.has(column.name)) missing.push(column.name);
  }
  if (missing.length > 0) {
    fail(
      `the export's query does not select ${missing.join(", ")}: the reconciliation needs ${missing.length === 1 ? "it" : "them"}`,
      `add ${missing.join(", ")} to the export's SELECT`,
    );
  }
  if (items.length === 0) {
    items.push({
      check: "cur-export",
      status: "ok",
      subject,
      message: `Parquet, every column the reconciliation reads, INCLUDE_RESOURCES and INCLUDE_IAM_PRINCIPAL_DATA`,
    });
  }
  return items;
}
