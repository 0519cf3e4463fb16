/**
 * Local Cost Explorer cost allocation tag calls (JSON 1.1, `AWSInsightsIndexService.`):
 * `ListCostAllocationTags` and `StartCostAllocationTagBackfill`, over an `AccountInventory`. Put
 * it before `costExplorerHandler` on the server: it answers only these two operations.
 */
import type { AccountFaults, AccountInventory } from "./account";
import {
  faultPlan,
  jsonError,
  jsonOperation,
  jsonRefusal,
  jsonResponse,
  parseJsonBody,
  pageToken,
  readPageToken,
} from "./account";
import type { LocalRequest, LocalResponse, ServiceHandler } from "./types";

const PREFIX = "AWSInsightsIndexService.";

export interface BillingTagsOptions {
  readonly faults?: AccountFaults;
  /** Tags per page when the request asks for more. */
  readonly pageSize?: number;
}

export interface BillingTagsHandler extends ServiceHandler {
  /** Backfills requested, `BackfillFrom` each. */
  readonly backfills: string[];
}

export function billingTagsHandler(
  account: AccountInventory,
  options: BillingTagsOptions = {},
): BillingTagsHandler {
  const fault = faultPlan(options.faults);
  const backfills: string[] = [];
  const handler = (request: LocalRequest): LocalResponse | undefined => {
    const operation = jsonOperation(request, PREFIX);
    if (operation !== "ListCostAllocationTags" && operation !== "StartCostAllocationTagBackfill") {
      return undefined;
    }
    const action = `ce:${operation}`;
    const refused = fault(action, undefined);
    if (refused !== undefined) return jsonRefusal(refused, action, account.account);
    const body = parseJsonBody(request);
    if (operation === "StartCostAllocationTagBackfill") {
      const from = body.BackfillFrom;
      if (typeof from !== "string" || !/^\d{4}-\d{2}-01T00:00:00(\.000)?Z$/.test(from)) {
        return jsonError(
          400,
          "ValidationException",
          "BackfillFrom must be the first day of a month",
        );
      }
      if (backfills.length > 0) {
        return jsonError(
          400,
          "BackfillLimitExceededException",
          "You can request a backfill once every 24 hours",
        );
      }
      backfills.push(from);
      return jsonResponse(200, {
        BackfillRequest: {
          BackfillFrom: from,
          RequestedAt: "2026-11-28T06:00:00Z",
          BackfillStatus: "PROCESSING",
        },
      });
    }
    const keys = Array.isArray(body.TagKeys) ? (body.TagKeys as string[]) : undefined;
    const listed = account.costAllocationTags.filter(
      (t) =>
        (keys === undefined || keys.includes(t.TagKey)) &&
        (body.Status === undefined || body.Status === t.Status) &&
        (body.Type === undefined || body.Type === t.Type),
    );
    const max = typeof body.MaxResults === "number" ? body.MaxResults : 100;
    const listing = JSON.stringify([keys ?? null, body.Status ?? null, body.Type ?? null]);
    const offset = readPageToken(body.NextToken, listing);
    if (offset === undefined) return jsonError(400, "InvalidNextTokenException", "Invalid token");
    const size = Math.min(max, options.pageSize ?? max);
    return jsonResponse(200, {
      CostAllocationTags: listed.slice(offset, offset + size),
      ...(offset + size < listed.length ? { NextToken: pageToken(offset + size, listing) } : {}),
    });
  };
  return Object.assign(handler, { backfills });
}
