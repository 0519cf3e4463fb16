/**
 * A local AWS Resource Explorer (`resource-explorer-2`, REST JSON): `POST /ListIndexes` and
 * `POST /Search` over an `AccountInventory`.
 *
 * As AWS: only the aggregator index sees every region, so Search in another region returns that
 * region's resources only; without a default view Search answers 401 UnauthorizedException;
 * tags are in `Properties` only when the view includes them; `QueryString` filters `service:`
 * and `region:` (the same prefix ORed, different prefixes ANDed); pages of `MaxResults` (at
 * most 1,000) with an opaque `NextToken`. Errors carry the code in `x-amzn-errortype`.
 */
import type { AccountFaults, AccountInventory, AccountResource, Refusal } from "./account";
import {
  faultPlan,
  pageToken,
  parseJsonBody,
  readPageToken,
  REFUSAL_WORDING,
  signingScope,
} from "./account";
import type { LocalRequest, LocalResponse, ServiceHandler } from "./types";

export interface ResourceExplorerOptions {
  readonly faults?: AccountFaults;
  /** Resources per Search page when the request asks for more (to exercise paging). */
  readonly pageSize?: number;
}

function restResponse(status: number, body: unknown): LocalResponse {
  return {
    status,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  };
}

function restError(status: number, code: string, message: string): LocalResponse {
  return {
    status,
    headers: { "content-type": "application/json", "x-amzn-errortype": code },
    body: JSON.stringify({ message }),
  };
}

function refusal(kind: Refusal, action: string, account: string): LocalResponse {
  switch (kind) {
    case "denied":
      return restError(403, "AccessDeniedException", REFUSAL_WORDING.denied(account, action));
    case "throttled":
      return restError(429, "ThrottlingException", REFUSAL_WORDING.throttled);
    case "region-not-enabled":
      return restError(403, "UnrecognizedClientException", REFUSAL_WORDING.invalidToken);
  }
}

/** `service:bedrock region:us-east-1` -> the filter. Unknown prefixes match nothing. */
function queryFilter(query: string): (resource: AccountResource, service: string) => boolean {
  const byPrefix = new Map<string, string[]>();
  for (const token of query.split(/\s+/).filter((t) => t !== "")) {
    const colon = token.indexOf(":");
    const prefix = colon < 0 ? "" : token.slice(0, colon).toLowerCase();
    const value = colon < 0 ? token : token.slice(colon + 1);
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), value.toLowerCase()]);
  }
  return (resource, service) =>
    [...byPrefix].every(([prefix, values]) => {
      if (prefix === "service") return values.includes(service);
      if (prefix === "region") return values.includes(resource.region);
      return false;
    });
}

function serviceOf(arn: string): string {
  return arn.split(":")[2] ?? "";
}

function resourceTypeOf(arn: string): string {
  const resource = arn.split(":").slice(5).join(":");
  return `${serviceOf(arn)}:${resource.split(/[/:]/)[0] ?? ""}`;
}

export function resourceExplorerHandler(
  account: AccountInventory,
  options: ResourceExplorerOptions = {},
): ServiceHandler {
  const fault = faultPlan(options.faults);
  return (request: LocalRequest): LocalResponse | undefined => {
    const scope = signingScope(request);
    if (scope?.service !== "resource-explorer-2" || request.method !== "POST") return undefined;
    const operation = request.path.replace(/^\//, "");
    const action = `resource-explorer-2:${operation}`;
    const refused = fault(action, scope.region);
    if (refused !== undefined) return refusal(refused, action, account.account);
    const body = parseJsonBody(request);
    if (operation === "ListIndexes") {
      const aggregator = account.aggregatorRegion;
      const wanted = body.Type;
      const indexes =
        aggregator === undefined || (wanted !== undefined && wanted !== "AGGREGATOR")
          ? []
          : [
              {
                Region: aggregator,
                Arn: `arn:aws:resource-explorer-2:${aggregator}:${account.account}:index/local-aggregator`,
                Type: "AGGREGATOR",
              },
            ];
      return restResponse(200, { Indexes: indexes });
    }
    if (operation !== "Search") {
      return restError(
        404,
        "ResourceNotFoundException",
        `local Resource Explorer: ${operation} is not served`,
      );
    }
    const hasIndex = account.aggregatorRegion === scope.region;
    if (!hasIndex || account.defaultView === false) {
      return restError(
        401,
        "UnauthorizedException",
        "The request failed because there is no default view in this Region",
      );
    }
    const query = typeof body.QueryString === "string" ? body.QueryString : "";
    if (query.length > 1280) {
      return restError(400, "ValidationException", "QueryString must be at most 1280 characters");
    }
    const max = typeof body.MaxResults === "number" ? body.MaxResults : 1000;
    if (max < 1 || max > 1000) {
      return restError(400, "ValidationException", "MaxResults must be between 1 and 1000");
    }
    const matches = queryFilter(query);
    const listed = account.resources.filter((r) => matches(r, serviceOf(r.arn)));
    const offset = readPageToken(body.NextToken, query);
    if (offset === undefined) {
      return restError(400, "ValidationException", "The NextToken is not valid");
    }
    const size = Math.min(max, options.pageSize ?? max);
    const page = listed.slice(offset, offset + size);
    const next = offset + size < listed.length ? pageToken(offset + size, query) : undefined;
    return restResponse(200, {
      Count: { Complete: listed.length <= 1000, TotalResources: Math.min(listed.length, 1000) },
      Resources: page.map((r) => ({
        Arn: r.arn,
        LastReportedAt: "2026-11-27T06:00:00Z",
        OwningAccountId: account.account,
        Region: r.region,
        ResourceType: resourceTypeOf(r.arn),
        Service: serviceOf(r.arn),
        Properties:
          account.viewIncludesTags === false
            ? []
            : [
                {
                  Name: "tags",
                  LastReportedAt: "2026-11-27T06:00:00Z",
                  Data: Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })),
                },
              ],
      })),
      ViewArn: `arn:aws:resource-explorer-2:${scope.region}:${account.account}:view/default/local`,
      ...(next === undefined ? {} : { NextToken: next }),
    });
  };
}
