/**
 * A recorded AWS account for the audit and the doctor: its AI resources (with their tags, and
 * whether they ever had any), its cost allocation tag keys, its CUR exports and its IAM. The
 * local Resource Explorer, Tagging API, Cost Explorer tag calls, Data Exports and IAM serve it,
 * each in its real protocol; `AccountFaults` breaks chosen calls the way AWS does.
 */
import type { IamDetails } from "../audit";
import type { LocalRequest, LocalResponse } from "./types";

export interface AccountResource {
  readonly arn: string;
  /** The region (`global` for global resources). */
  readonly region: string;
  readonly tags: Readonly<Record<string, string>>;
  /**
   * Had tags once, all removed since: the Tagging API still lists it (with no tags). A resource
   * that never had tags is invisible to the Tagging API.
   */
  readonly onceTagged?: boolean;
}

export interface AccountTagKey {
  readonly TagKey: string;
  readonly Type: "UserDefined" | "AWSGenerated";
  readonly Status: "Active" | "Inactive";
  readonly LastUpdatedDate?: string;
  readonly LastUsedDate?: string;
}

export interface AccountExport {
  readonly arn: string;
  readonly name: string;
  readonly query: string;
  readonly tableConfigurations: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly format: "PARQUET" | "TEXT_OR_CSV";
  readonly statusCode?: "HEALTHY" | "UNHEALTHY";
  readonly statusReason?: string;
}

export interface AccountInventory {
  readonly account: string;
  readonly resources: readonly AccountResource[];
  /** Where the Resource Explorer aggregator index is; absent: Resource Explorer not set up. */
  readonly aggregatorRegion?: string;
  /** The aggregator's region has a default view (default true when there is an index). */
  readonly defaultView?: boolean;
  /** The default view includes the tags property (default true). */
  readonly viewIncludesTags?: boolean;
  readonly costAllocationTags: readonly AccountTagKey[];
  readonly exports: readonly AccountExport[];
  readonly iam: IamDetails;
}

/** Faults, by IAM action (`tag:GetResources`). */
export interface AccountFaults {
  /** Actions refused with access denied. */
  readonly denied?: readonly string[];
  /** How many of each action's first requests are throttled. */
  readonly throttled?: Readonly<Record<string, number>>;
  /** Opt-in regions the account has not enabled: every regional call there is refused. */
  readonly disabledRegions?: readonly string[];
}

/** What went wrong with a request, decided before it is served. */
export type Refusal = "denied" | "throttled" | "region-not-enabled";

/** Decides the faults of each request, counting requests per action. */
export function faultPlan(faults: AccountFaults = {}) {
  const seen = new Map<string, number>();
  return (action: string, region: string | undefined): Refusal | undefined => {
    const n = (seen.get(action) ?? 0) + 1;
    seen.set(action, n);
    if (region !== undefined && faults.disabledRegions?.includes(region) === true) {
      return "region-not-enabled";
    }
    if (n <= (faults.throttled?.[action] ?? 0)) return "throttled";
    if (faults.denied?.includes(action) === true) return "denied";
    return undefined;
  };
}

/** The region and service of a SigV4 signature's credential scope. */
export function signingScope(
  request: LocalRequest,
): { readonly region: string; readonly service: string } | undefined {
  const authorization = request.headers["authorization"] ?? "";
  const match = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/.exec(
    authorization,
  );
  return match === null ? undefined : { region: match[1]!, service: match[2]! };
}

const JSON_11 = "application/x-amz-json-1.1";

export function jsonResponse(status: number, body: unknown): LocalResponse {
  return { status, headers: { "content-type": JSON_11 }, body: JSON.stringify(body) };
}

/** A JSON 1.1 error: the SDK reads the code from `__type`. */
export function jsonError(status: number, type: string, message: string): LocalResponse {
  return jsonResponse(status, { __type: type, message });
}

/**
 * What AWS says for each refusal, in every protocol (each protocol has its own codes and status):
 * the caller is the audit's own session.
 */
export const REFUSAL_WORDING = {
  denied: (account: string, action: string) =>
    `User: arn:aws:sts::${account}:assumed-role/auditor/session is not authorized to perform: ${action}`,
  throttled: "Rate exceeded",
  invalidToken: "The security token included in the request is invalid.",
} as const;

/** A JSON 1.1 error for a refusal, worded as AWS words it. */
export function jsonRefusal(refusal: Refusal, action: string, account: string): LocalResponse {
  switch (refusal) {
    case "denied":
      return jsonError(400, "AccessDeniedException", REFUSAL_WORDING.denied(account, action));
    case "throttled":
      return jsonError(400, "ThrottlingException", REFUSAL_WORDING.throttled);
    case "region-not-enabled":
      return jsonError(400, "UnrecognizedClientException", REFUSAL_WORDING.invalidToken);
  }
}

/** The JSON 1.1 operation a request asks for, when it has this target prefix. */
export function jsonOperation(request: LocalRequest, prefix: string): string | undefined {
  const target = request.headers["x-amz-target"];
  if (request.method !== "POST" || target === undefined || !target.startsWith(prefix)) {
    return undefined;
  }
  return target.slice(prefix.length);
}

export function parseJsonBody(request: LocalRequest): Record<string, unknown> {
  const text = request.body.toString("utf8");
  if (text === "") return {};
  const parsed = JSON.parse(text) as unknown;
  return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

/** An opaque page token: the offset, with a check that it was made for this listing. */
export function pageToken(offset: number, listing: string): string {
  return Buffer.from(JSON.stringify({ offset, listing })).toString("base64");
}

export function readPageToken(token: unknown, listing: string): number | undefined {
  if (typeof token !== "string" || token === "") return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as {
      offset?: unknown;
      listing?: unknown;
    };
    return parsed.listing === listing && typeof parsed.offset === "number"
      ? parsed.offset
      : undefined;
  } catch {
    return undefined;
  }
}
