/**
 * A local AWS Data Exports (`bcm-data-exports`, JSON 1.1,
 * `AWSBillingAndCostManagementDataExports.GetExport`) over an `AccountInventory`'s exports.
 * Its timestamps are RFC 3339 strings (the SDK model says `timestampFormat: date-time`, and
 * refuses epoch numbers).
 */
import type { AccountFaults, AccountInventory } from "./account";
import {
  faultPlan,
  jsonError,
  jsonOperation,
  jsonRefusal,
  jsonResponse,
  parseJsonBody,
} from "./account";
import type { LocalRequest, LocalResponse, ServiceHandler } from "./types";

const PREFIX = "AWSBillingAndCostManagementDataExports.";

export function dataExportsHandler(
  account: AccountInventory,
  options: { readonly faults?: AccountFaults } = {},
): ServiceHandler {
  const fault = faultPlan(options.faults);
  return (request: LocalRequest): LocalResponse | undefined => {
    const operation = jsonOperation(request, PREFIX);
    if (operation === undefined) return undefined;
    const action = `bcm-data-exports:${operation}`;
    const refused = fault(action, undefined);
    if (refused !== undefined) return jsonRefusal(refused, action, account.account);
    if (operation !== "GetExport") {
      return jsonError(
        400,
        "ValidationException",
        `local Data Exports: ${operation} is not served`,
      );
    }
    const arn = parseJsonBody(request).ExportArn;
    const found = account.exports.find((e) => e.arn === arn);
    if (found === undefined) {
      return jsonError(400, "ResourceNotFoundException", `Export ${String(arn)} not found`);
    }
    return jsonResponse(200, {
      Export: {
        ExportArn: found.arn,
        Name: found.name,
        DataQuery: { QueryStatement: found.query, TableConfigurations: found.tableConfigurations },
        DestinationConfigurations: {
          S3Destination: {
            S3Bucket: "cur-bucket",
            S3Prefix: "cur2",
            S3Region: "us-east-1",
            S3OutputConfigurations: {
              OutputType: "CUSTOM",
              Format: found.format,
              Compression: found.format === "PARQUET" ? "PARQUET" : "GZIP",
              Overwrite: "OVERWRITE_REPORT",
            },
          },
        },
        RefreshCadence: { Frequency: "SYNCHRONOUS" },
      },
      ExportStatus: {
        StatusCode: found.statusCode ?? "HEALTHY",
        ...(found.statusReason === undefined ? {} : { StatusReason: found.statusReason }),
        CreatedAt: "2026-10-01T00:00:00Z",
        LastUpdatedAt: "2026-10-01T00:00:00Z",
        LastRefreshedAt: "2026-11-27T06:00:00Z",
      },
    });
  };
}
