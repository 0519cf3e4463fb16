/**
 * A local Resource Groups Tagging API (JSON 1.1, `ResourceGroupsTaggingAPI_20170126.GetResources`)
 * over an `AccountInventory`, region by region (the region of the request's signature).
 *
 * As AWS: it lists only resources that carry tags or once did (those with none left come back
 * with `Tags: []`); a resource never tagged is not there. `ResourceTypeFilters` takes `service`
 * or `service:type`; `ResourceARNList` (at most 100) looks resources up; pages of
 * `ResourcesPerPage` (at most 100) with `PaginationToken`, "" when done.
 */
import type { AccountFaults, AccountInventory, AccountResource } from "./account";
import {
  faultPlan,
  jsonError,
  jsonOperation,
  jsonRefusal,
  jsonResponse,
  pageToken,
  parseJsonBody,
  readPageToken,
  signingScope,
} from "./account";
import type { LocalRequest, LocalResponse, ServiceHandler } from "./types";

export const TAGGING_TARGET_PREFIX = "ResourceGroupsTaggingAPI_20170126.";

export interface TaggingOptions {
  readonly faults?: AccountFaults;
  /** Resources per page when the request asks for more (to exercise paging). */
  readonly pageSize?: number;
}

function visible(resource: AccountResource): boolean {
  return Object.keys(resource.tags).length > 0 || resource.onceTagged === true;
}

function typeMatches(arn: string, filters: readonly string[]): boolean {
  const parts = arn.split(":");
  const service = parts[2] ?? "";
  const type = (parts.slice(5).join(":").split(/[/:]/)[0] ?? "").toLowerCase();
  return filters.some((f) => {
    const [s, t] = f.toLowerCase().split(":");
    return s === service && (t === undefined || t === type);
  });
}

export function taggingHandler(
  account: AccountInventory,
  options: TaggingOptions = {},
): ServiceHandler {
  const fault = faultPlan(options.faults);
  return (request: LocalRequest): LocalResponse | undefined => {
    const operation = jsonOperation(request, TAGGING_TARGET_PREFIX);
    if (operation === undefined) return undefined;
    const region = signingScope(request)?.region ?? "us-east-1";
    const action = `tag:${operation}`;
    const refused = fault(action, region);
    if (refused !== undefined) return jsonRefusal(refused, action, account.account);
    if (operation !== "GetResources") {
      return jsonError(
        400,
        "InvalidParameterException",
        `local Tagging API: ${operation} is not served`,
      );
    }
    const body = parseJsonBody(request);
    const inRegion = account.resources.filter((r) => r.region === region && visible(r));
    const arns = Array.isArray(body.ResourceARNList)
      ? (body.ResourceARNList as string[])
      : undefined;
    if (arns !== undefined && arns.length > 100) {
      return jsonError(400, "InvalidParameterException", "ResourceARNList takes at most 100 ARNs");
    }
    const filters = Array.isArray(body.ResourceTypeFilters)
      ? (body.ResourceTypeFilters as string[])
      : undefined;
    const listed = inRegion.filter(
      (r) =>
        (arns === undefined || arns.includes(r.arn)) &&
        (filters === undefined || typeMatches(r.arn, filters)),
    );
    const perPage = typeof body.ResourcesPerPage === "number" ? body.ResourcesPerPage : 100;
    if (perPage < 1 || perPage > 100) {
      return jsonError(400, "InvalidParameterException", "ResourcesPerPage must be from 1 to 100");
    }
    const listing = `${region}|${JSON.stringify(filters ?? null)}|${JSON.stringify(arns ?? null)}`;
    const offset = readPageToken(body.PaginationToken, listing);
    if (offset === undefined) {
      return jsonError(400, "PaginationTokenExpiredException", "The pagination token is not valid");
    }
    const size = Math.min(perPage, options.pageSize ?? perPage);
    const page = listed.slice(offset, offset + size);
    return jsonResponse(200, {
      PaginationToken: offset + size < listed.length ? pageToken(offset + size, listing) : "",
      ResourceTagMappingList: page.map((r) => ({
        ResourceARN: r.arn,
        Tags: Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })),
      })),
    });
  };
}
