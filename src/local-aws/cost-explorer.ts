/**
 * A local Cost Explorer: `GetCostAndUsage` and `GetDimensionValues` over a `CostDataset`,
 * speaking the real AWS JSON 1.1 protocol so the real SDK v3 client can be pointed at it.
 *
 * Wire format, as the SDK's `AwsJson1_1Protocol` expects it:
 * - request: `POST /`, `X-Amz-Target: AWSInsightsIndexService.<Operation>`,
 *   `Content-Type: application/x-amz-json-1.1`, SigV4-signed for the service `ce`;
 * - success: 200 with the output shape as JSON;
 * - error: 4xx/5xx with `{"__type": "<Code>", "message": "..."}`; the SDK takes the code from
 *   `__type` (dropping any `namespace#` prefix) and builds the modelled exception, e.g.
 *   `LimitExceededException` or `InvalidNextTokenException`.
 *
 * Pages: AWS does not publish Cost Explorer's page size, so it is an option (`groupsPerPage`,
 * counted in groups). A day whose groups straddle two pages appears on both, with the rest of its
 * groups, as the real service does. Every day of the period appears, with `Groups: []` when it
 * had no cost. The next-page token is opaque to clients; here it encodes the position and a
 * fingerprint of the request, so a changed request is refused (`RequestChangedException`) and a
 * forged one is invalid (`InvalidNextTokenException`).
 *
 * Lines: each dataset row is a line with a resource tag (or none) and a caller's principal tag
 * (or none), so `GroupBy` on `TAG <key>` or `TAG iamPrincipal/<key>` and the `Filter`
 * expressions the query plan sends (`Tags` `EQUALS` / `ABSENT`, `And`, `Or`, `Not`,
 * `Dimensions`) are evaluated on the lines, as AWS evaluates them on its line items.
 *
 * Faults are injected per request number (1-based, counting requests to this handler only):
 * throttling, a 500, an invalid next token, a slow answer, a reset after the 200's headers, a
 * 200 with any body (malformed, or a hand-made page).
 */
import { createHash, randomUUID } from "node:crypto";

import { add, parseAmount, toString } from "../util/decimal";
import type { Amount } from "../util/decimal";
import { addDays, isCalendarDate } from "../util/dates";
import type { CostDataset, DatasetRow } from "./datasets";
import type { LocalRequest, LocalResponse, ServiceHandler } from "./types";

export const CE_TARGET_PREFIX = "AWSInsightsIndexService.";
const JSON_11 = "application/x-amz-json-1.1";

/** A fault injected in place of (or on top of) the normal answer. */
export type CostExplorerFault =
  /** Cost Explorer's own rate limit: 400 `LimitExceededException`. */
  | { readonly kind: "limit-exceeded" }
  /** The front door's throttle: 400 `ThrottlingException` (with a `namespace#` prefix). */
  | { readonly kind: "throttling" }
  /** An internal failure: 500 by default (or 502/503). */
  | { readonly kind: "server-error"; readonly status?: 500 | 502 | 503 }
  /** Refuse the request's next-page token as AWS does when one expires or is corrupted. */
  | { readonly kind: "invalid-next-token" }
  /** Answer normally, but only after `delayMs` (past a client's deadline). */
  | { readonly kind: "slow"; readonly delayMs: number }
  /** Answer normally, but reset the connection after the 200's headers (mid-body). */
  | { readonly kind: "reset-after-headers" }
  /**
   * A 200 with exactly this body (text, sent as is): a malformed answer (`""`, `"{}"`,
   * `'{"ResultsByTime":null}'`) or a hand-made page (a chosen `NextPageToken`, for cycles).
   */
  | { readonly kind: "body"; readonly body: string };

export interface CostExplorerHandlerOptions {
  /** Groups per GetCostAndUsage page (default 5,000; AWS does not publish its own). */
  readonly groupsPerPage?: number;
  /**
   * Faults by request number (1-based, GetCostAndUsage and GetDimensionValues together), as a
   * table or a function of the number (for long runs: a fault on every request).
   */
  readonly faults?:
    | Readonly<Record<number, CostExplorerFault>>
    | ((request: number) => CostExplorerFault | undefined);
}

const METRICS = new Set([
  "AmortizedCost",
  "BlendedCost",
  "NetAmortizedCost",
  "NetUnblendedCost",
  "NormalizedUsageAmount",
  "UnblendedCost",
  "UsageQuantity",
]);
const USAGE_METRICS = new Set(["UsageQuantity", "NormalizedUsageAmount"]);

/** All dimensions Cost Explorer groups by; the local endpoint serves the ones its data has. */
const DIMENSIONS = new Set([
  "AZ",
  "INSTANCE_TYPE",
  "LEGAL_ENTITY_NAME",
  "INVOICING_ENTITY",
  "LINKED_ACCOUNT",
  "OPERATION",
  "PLATFORM",
  "PURCHASE_TYPE",
  "SERVICE",
  "TENANCY",
  "RECORD_TYPE",
  "USAGE_TYPE",
  "REGION",
  "DATABASE_ENGINE",
  "BILLING_ENTITY",
  "RESERVATION_ID",
  "SAVINGS_PLAN_ARN",
  "SAVINGS_PLANS_TYPE",
  "CACHE_ENGINE",
  "DEPLOYMENT_OPTION",
  "INSTANCE_TYPE_FAMILY",
  "OPERATING_SYSTEM",
  "PAYMENT_OPTION",
  "RESOURCE_ID",
  "SCOPE",
  "SUBSCRIPTION_ID",
]);
const SERVED_DIMENSIONS = new Set(["SERVICE", "LINKED_ACCOUNT", "USAGE_TYPE"]);

/** A request the service refuses: becomes a JSON 1.1 error response. */
class ServiceFault extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

type GroupBy = { readonly type: "TAG" | "DIMENSION"; readonly key: string };

interface CostRequest {
  readonly start: string;
  readonly end: string;
  readonly granularity: "DAILY" | "MONTHLY";
  readonly metrics: readonly string[];
  readonly groupBy: readonly GroupBy[];
  readonly filter: RowFilter;
  readonly token: string | undefined;
  /** Fingerprint of everything but the token: a token only fits the request that made it. */
  readonly fingerprint: string;
}

type RowFilter = (row: DatasetRow, tagKey: string) => boolean;

/**
 * The Cost Explorer handler for `startLocalAws`.
 *
 * @example
 * const aws = await startLocalAws([costExplorerHandler(syntheticDataset({...}), { groupsPerPage: 500 })]);
 */
export function costExplorerHandler(
  dataset: CostDataset,
  options: CostExplorerHandlerOptions = {},
): ServiceHandler {
  const groupsPerPage = options.groupsPerPage ?? 5_000;
  if (!Number.isInteger(groupsPerPage) || groupsPerPage < 1) {
    throw new RangeError(`groupsPerPage must be a whole number >= 1, got ${groupsPerPage}`);
  }
  let requestNumber = 0;
  // Consecutive pages usually start in the same period: keep its aggregation for the next page.
  let cached: { key: string; groups: readonly Group[] } | undefined;

  function periodGroups(request: CostRequest, periodStart: string, periodEnd: string): Group[] {
    const key = `${request.fingerprint}|${periodStart}`;
    if (cached?.key === key) return cached.groups as Group[];
    const groups = aggregate(dataset, request, periodStart, periodEnd);
    cached = { key, groups };
    return groups;
  }

  function getCostAndUsage(body: unknown): LocalResponse {
    const request = readCostRequest(body);
    const periods = periodsOf(request);
    let position = { period: 0, offset: 0 };
    if (request.token !== undefined) position = readToken(request.token, request.fingerprint);
    if (position.period >= periods.length) {
      throw new ServiceFault("InvalidNextTokenException", "The pagination token is invalid.");
    }
    const results: unknown[] = [];
    let room = groupsPerPage;
    let next: { period: number; offset: number } | undefined;
    for (let p = position.period; p < periods.length; p++) {
      const [start, end] = periods[p]!;
      const groups = periodGroups(request, start, end);
      const offset = p === position.period ? position.offset : 0;
      const taken = groups.slice(offset, offset + room);
      room -= taken.length;
      results.push({
        TimePeriod: { Start: start, End: end },
        Total: {},
        Groups: taken.map((group) => ({
          Keys: group.keys,
          Metrics: Object.fromEntries(
            request.metrics.map((metric, m) => [
              metric,
              {
                Amount: amountText(group.amounts[m]),
                Unit: USAGE_METRICS.has(metric) ? "N/A" : dataset.unit,
              },
            ]),
          ),
        })),
        Estimated: dataset.estimatedFrom !== undefined && end > dataset.estimatedFrom,
      });
      if (offset + taken.length < groups.length) {
        next = { period: p, offset: offset + taken.length };
        break;
      }
      if (room === 0 && p + 1 < periods.length) {
        next = { period: p + 1, offset: 0 };
        break;
      }
    }
    return json(200, {
      GroupDefinitions: request.groupBy.map((g) => ({ Type: g.type, Key: g.key })),
      ResultsByTime: results,
      DimensionValueAttributes: [],
      ...(next === undefined ? {} : { NextPageToken: writeToken(next, request.fingerprint) }),
    });
  }

  function getDimensionValues(body: unknown): LocalResponse {
    const input = asObject(body, "request");
    const { start, end } = readTimePeriod(input);
    const dimension = input["Dimension"];
    if (typeof dimension !== "string" || !DIMENSIONS.has(dimension)) {
      throw new ServiceFault(
        "ValidationException",
        `Dimension ${JSON.stringify(dimension)} is not valid`,
      );
    }
    if (!SERVED_DIMENSIONS.has(dimension)) {
      throw new ServiceFault(
        "ValidationException",
        `local endpoint: GetDimensionValues serves ${[...SERVED_DIMENSIONS].join(", ")}, not ${dimension}`,
      );
    }
    const maxResults = input["MaxResults"] ?? 1000;
    if (typeof maxResults !== "number" || !Number.isInteger(maxResults) || maxResults < 1) {
      throw new ServiceFault("ValidationException", "MaxResults must be a positive integer");
    }
    const fingerprint = fingerprintOf({ start, end, dimension, maxResults });
    const token = input["NextPageToken"];
    const offset =
      token === undefined ? 0 : readToken(String(token), fingerprint, "dimension").offset;
    const values = new Set<string>();
    for (let date = start; date < end; date = addDays(date, 1)) {
      for (const row of dataset.day(date)) {
        values.add(dimension === "SERVICE" ? row.service : row.account);
      }
    }
    const sorted = [...values].sort();
    const page = sorted.slice(offset, offset + maxResults);
    const nextOffset = offset + page.length;
    return json(200, {
      DimensionValues: page.map((value) => ({
        Value: value,
        Attributes:
          dimension === "LINKED_ACCOUNT"
            ? { description: dataset.accountNames?.[value] ?? value }
            : {},
      })),
      ReturnSize: page.length,
      TotalSize: sorted.length,
      ...(nextOffset < sorted.length
        ? { NextPageToken: writeToken({ period: 0, offset: nextOffset }, fingerprint, "dimension") }
        : {}),
    });
  }

  return async (request: LocalRequest): Promise<LocalResponse | undefined> => {
    const target = request.headers["x-amz-target"];
    if (target === undefined || !target.startsWith(CE_TARGET_PREFIX)) return undefined;
    requestNumber += 1;
    const faults = options.faults;
    const fault = typeof faults === "function" ? faults(requestNumber) : faults?.[requestNumber];
    try {
      checkEnvelope(request);
      const operation = target.slice(CE_TARGET_PREFIX.length);
      if (fault?.kind === "body") {
        return { status: 200, headers: json(200, {}).headers, body: fault.body };
      }
      if (fault !== undefined && fault.kind !== "slow" && fault.kind !== "reset-after-headers") {
        return faultResponse(fault);
      }
      const body = parseBody(request.body);
      let response: LocalResponse;
      if (operation === "GetCostAndUsage") response = getCostAndUsage(body);
      else if (operation === "GetDimensionValues") response = getDimensionValues(body);
      else {
        throw new ServiceFault(
          "UnknownOperationException",
          `local endpoint: Cost Explorer operation ${operation} is not served (GetCostAndUsage, GetDimensionValues are)`,
        );
      }
      if (fault?.kind === "reset-after-headers") return { ...response, resetAfterHeaders: true };
      return fault?.kind === "slow" ? { ...response, delayMs: fault.delayMs } : response;
    } catch (error) {
      if (error instanceof ServiceFault) {
        return json(error.status, { __type: error.type, message: error.message });
      }
      throw error;
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Aggregation

interface Group {
  readonly keys: readonly string[];
  /**
   * Per requested metric (same order): the amount text while the group has one row (most
   * groups: sent verbatim, nothing parsed), the exact sum once a second row arrives.
   */
  readonly amounts: (string | Amount)[];
}

/** The dataset's rows of one period, filtered and summed per group key, sorted by keys. */
function aggregate(
  dataset: CostDataset,
  request: CostRequest,
  periodStart: string,
  periodEnd: string,
): Group[] {
  const groups = new Map<string, Group>();
  const { groupBy, metrics } = request;
  for (let date = periodStart; date < periodEnd; date = addDays(date, 1)) {
    for (const row of dataset.day(date)) {
      if (!request.filter(row, dataset.tagKey)) continue;
      // Built without an array per row: this loop runs over every row of a large bill.
      let id = "";
      for (let g = 0; g < groupBy.length; g++)
        id += `${groupKey(groupBy[g]!, row, dataset.tagKey)}\u0000`;
      let group = groups.get(id);
      const texts = metrics.map(
        (metric) => row.amounts?.[metric] ?? (USAGE_METRICS.has(metric) ? "0" : row.amount),
      );
      if (group === undefined) {
        group = { keys: groupBy.map((g) => groupKey(g, row, dataset.tagKey)), amounts: texts };
        groups.set(id, group);
        continue;
      }
      for (let m = 0; m < texts.length; m++) {
        const so = group.amounts[m]!;
        group.amounts[m] = add(
          typeof so === "string" ? parseAmount(so) : so,
          parseAmount(texts[m]!),
        );
      }
    }
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, group]) => group);
}

/** An amount as Cost Explorer writes it. */
function amountText(amount: string | Amount | undefined): string {
  if (amount === undefined) return "0";
  return typeof amount === "string" ? amount : toString(amount);
}

/**
 * AWS's prefix for the tags it copies from the calling IAM principal onto Bedrock lines: the
 * caller's `workflow` tag is the key `iamPrincipal/workflow`, and its group keys keep the prefix
 * (`iamPrincipal/workflow$invoice-matching`). Written here, not imported from the core, so
 * this double states what AWS does on its own.
 */
const PRINCIPAL_PREFIX = "iamPrincipal/";

/**
 * A line's value for a tag key ("" when it has none): the dataset's key is the resource tag
 * `row.tag`, `iamPrincipal/<key>` the caller's `row.principalTag`; any other key, none.
 */
function tagValue(key: string, row: DatasetRow, tagKey: string): string {
  if (key === tagKey) return row.tag ?? "";
  if (key.length === PRINCIPAL_PREFIX.length + tagKey.length && key === PRINCIPAL_PREFIX + tagKey) {
    return row.principalTag ?? "";
  }
  return "";
}

/** `workflow$support-triage`, `workflow$` (untagged), or a dimension's value. */
function groupKey(group: GroupBy, row: DatasetRow, tagKey: string): string {
  // Spend tagged with another key is untagged as far as this key is concerned.
  if (group.type === "TAG") return `${group.key}$${tagValue(group.key, row, tagKey)}`;
  if (group.key === "USAGE_TYPE") return row.usageType ?? "";
  return group.key === "SERVICE" ? row.service : row.account;
}

function periodsOf(request: CostRequest): [string, string][] {
  const periods: [string, string][] = [];
  if (request.granularity === "DAILY") {
    for (let date = request.start; date < request.end; date = addDays(date, 1)) {
      periods.push([date, addDays(date, 1)]);
    }
    return periods;
  }
  let start = request.start;
  while (start < request.end) {
    const [y, m] = start.split("-").map(Number) as [number, number];
    const nextMonth = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
    const end = nextMonth < request.end ? nextMonth : request.end;
    periods.push([start, end]);
    start = end;
  }
  return periods;
}

// ---------------------------------------------------------------------------------------------
// Request validation (messages modelled on the real service's)

function checkEnvelope(request: LocalRequest): void {
  if (request.method !== "POST" || request.path !== "/") {
    throw new ServiceFault(
      "UnknownOperationException",
      `Cost Explorer is served at POST /, not ${request.method} ${request.path}`,
    );
  }
  const contentType = request.headers["content-type"] ?? "";
  if (!contentType.startsWith(JSON_11)) {
    throw new ServiceFault(
      "SerializationException",
      `Content-Type must be ${JSON_11}, got ${JSON.stringify(contentType)}`,
    );
  }
  const authorization = request.headers["authorization"] ?? "";
  if (
    !authorization.startsWith("AWS4-HMAC-SHA256 ") ||
    !authorization.includes("/ce/aws4_request")
  ) {
    throw new ServiceFault(
      "MissingAuthenticationTokenException",
      "Request is missing a SigV4 Authorization header for the service ce",
      403,
    );
  }
}

function parseBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8")) as unknown;
  } catch {
    throw new ServiceFault("SerializationException", "Request body is not valid JSON");
  }
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ServiceFault("ValidationException", `${what} must be an object`);
  }
  return value as Record<string, unknown>;
}

function readTimePeriod(input: Record<string, unknown>): { start: string; end: string } {
  if (input["TimePeriod"] === undefined) {
    throw new ServiceFault("ValidationException", "TimePeriod is required");
  }
  const period = asObject(input["TimePeriod"], "TimePeriod");
  const start = period["Start"];
  const end = period["End"];
  for (const [name, value] of [
    ["Start", start],
    ["End", end],
  ] as const) {
    if (typeof value !== "string" || !isCalendarDate(value)) {
      throw new ServiceFault(
        "ValidationException",
        `TimePeriod.${name} ${JSON.stringify(value)} is not a valid date: use yyyy-MM-dd`,
      );
    }
  }
  if ((start as string) >= (end as string)) {
    throw new ServiceFault(
      "ValidationException",
      "Start date (and hour) should be before end date (and hour)",
    );
  }
  return { start: start as string, end: end as string };
}

function readCostRequest(body: unknown): CostRequest {
  const input = asObject(body, "request");
  const { start, end } = readTimePeriod(input);
  const granularity = input["Granularity"];
  if (granularity !== "DAILY" && granularity !== "MONTHLY") {
    throw new ServiceFault(
      "ValidationException",
      granularity === "HOURLY"
        ? "local endpoint: HOURLY granularity is not served (DAILY, MONTHLY are)"
        : `Granularity must be one of DAILY, MONTHLY, HOURLY, got ${JSON.stringify(granularity)}`,
    );
  }
  const metrics = input["Metrics"];
  if (!Array.isArray(metrics) || metrics.length === 0) {
    throw new ServiceFault("ValidationException", "Metrics is required");
  }
  const invalid = metrics.filter((m) => typeof m !== "string" || !METRICS.has(m));
  if (invalid.length > 0) {
    throw new ServiceFault("ValidationException", `Invalid metrics: ${invalid.join(", ")}`);
  }
  const rawGroupBy = input["GroupBy"] ?? [];
  if (!Array.isArray(rawGroupBy))
    throw new ServiceFault("ValidationException", "GroupBy must be a list");
  if (rawGroupBy.length > 2) {
    throw new ServiceFault(
      "ValidationException",
      `GroupBy accepts at most 2 group definitions, got ${rawGroupBy.length}`,
    );
  }
  const groupBy = rawGroupBy.map((raw, i): GroupBy => {
    const g = asObject(raw, `GroupBy[${i}]`);
    const type = g["Type"];
    const key = g["Key"];
    if (typeof key !== "string" || key.length === 0) {
      throw new ServiceFault("ValidationException", `GroupBy[${i}].Key is required`);
    }
    if (type === "TAG") return { type, key };
    if (type === "DIMENSION") {
      if (!DIMENSIONS.has(key)) {
        throw new ServiceFault("ValidationException", `Invalid group by dimension: ${key}`);
      }
      if (!SERVED_DIMENSIONS.has(key)) {
        throw new ServiceFault(
          "ValidationException",
          `local endpoint: grouping by ${key} is not served (SERVICE, LINKED_ACCOUNT, USAGE_TYPE and TAG are)`,
        );
      }
      return { type, key };
    }
    throw new ServiceFault(
      "ValidationException",
      type === "COST_CATEGORY"
        ? "local endpoint: grouping by COST_CATEGORY is not served"
        : `GroupBy[${i}].Type must be DIMENSION, TAG or COST_CATEGORY, got ${JSON.stringify(type)}`,
    );
  });
  const ids = groupBy.map((g) => `${g.type}:${g.key}`);
  if (new Set(ids).size !== ids.length) {
    throw new ServiceFault("ValidationException", "GroupBy contains a duplicate group definition");
  }
  const filter = readFilter(input["Filter"]);
  const token = input["NextPageToken"];
  if (token !== undefined && typeof token !== "string") {
    throw new ServiceFault("ValidationException", "NextPageToken must be a string");
  }
  const fingerprint = fingerprintOf({
    start,
    end,
    granularity,
    metrics,
    groupBy,
    filter: input["Filter"] ?? null,
    view: input["BillingViewArn"] ?? null,
  });
  return { start, end, granularity, metrics, groupBy, filter, token, fingerprint };
}

/**
 * Filters the local endpoint understands: `Dimensions` (SERVICE, LINKED_ACCOUNT), `Tags` with
 * `EQUALS` values or `ABSENT` (on the dataset's tag key and its caller's key
 * `iamPrincipal/<key>`), and `And`, `Or`, `Not` over them, evaluated on every line.
 */
function readFilter(raw: unknown): RowFilter {
  if (raw === undefined) return () => true;
  return readExpression(raw, "Filter");
}

const TAG_MATCH_OPTIONS = new Set(["EQUALS", "ABSENT", "CASE_SENSITIVE"]);
const DIMENSION_MATCH_OPTIONS = new Set(["EQUALS", "CASE_SENSITIVE"]);

function readExpression(raw: unknown, path: string): RowFilter {
  const filter = asObject(raw, path);
  const keys = Object.keys(filter).filter((key) => filter[key] !== undefined);
  if (keys.length !== 1) {
    throw new ServiceFault(
      "ValidationException",
      "Expression has more than one roots. Only one root operator is allowed for each expression: And, Or, Not, Dimensions, Tags, CostCategories",
    );
  }
  const root = keys[0]!;
  if (root === "And" || root === "Or") {
    const list = filter[root];
    if (!Array.isArray(list) || list.length === 0) {
      throw new ServiceFault(
        "ValidationException",
        `${path}.${root} must be a list of expressions`,
      );
    }
    const parts = list.map((item, i) => readExpression(item, `${path}.${root}[${i}]`));
    return root === "And"
      ? (row, tagKey) => parts.every((part) => part(row, tagKey))
      : (row, tagKey) => parts.some((part) => part(row, tagKey));
  }
  if (root === "Not") {
    const inner = readExpression(filter["Not"], `${path}.Not`);
    return (row, tagKey) => !inner(row, tagKey);
  }
  if (root === "Dimensions") {
    const d = asObject(filter["Dimensions"], `${path}.Dimensions`);
    const key = d["Key"];
    readMatchOptions(d["MatchOptions"], DIMENSION_MATCH_OPTIONS, `${path}.Dimensions`);
    const values = readValues(d["Values"], `${path}.Dimensions.Values`);
    if (key === "SERVICE") return (row) => values.has(row.service);
    if (key === "LINKED_ACCOUNT") return (row) => values.has(row.account);
    throw new ServiceFault(
      "ValidationException",
      `local endpoint: filtering on ${String(key)} is not served (SERVICE, LINKED_ACCOUNT are)`,
    );
  }
  if (root === "Tags") {
    const t = asObject(filter["Tags"], `${path}.Tags`);
    const key = t["Key"];
    if (typeof key !== "string" || key.length === 0) {
      throw new ServiceFault("ValidationException", `${path}.Tags.Key is required`);
    }
    const options = readMatchOptions(t["MatchOptions"], TAG_MATCH_OPTIONS, `${path}.Tags`);
    if (options.has("ABSENT")) {
      if (options.has("EQUALS")) {
        throw new ServiceFault(
          "ValidationException",
          `${path}.Tags.MatchOptions: ABSENT and EQUALS cannot be combined`,
        );
      }
      return (row, tagKey) => tagValue(key, row, tagKey) === "";
    }
    const values = readValues(t["Values"], `${path}.Tags.Values`);
    return (row, tagKey) => {
      const value = tagValue(key, row, tagKey);
      return value !== "" && values.has(value);
    };
  }
  throw new ServiceFault(
    "ValidationException",
    `local endpoint: ${path}.${root} is not served (And, Or, Not, Dimensions, Tags are)`,
  );
}

function readMatchOptions(raw: unknown, allowed: ReadonlySet<string>, path: string): Set<string> {
  if (raw === undefined) return new Set(["EQUALS"]);
  if (!Array.isArray(raw) || raw.some((o) => typeof o !== "string" || !allowed.has(o))) {
    throw new ServiceFault(
      "ValidationException",
      `${path}.MatchOptions ${JSON.stringify(raw)}: GetCostAndUsage accepts ${[...allowed].join(", ")} here`,
    );
  }
  return new Set(raw as string[]);
}

function readValues(raw: unknown, what: string): Set<string> {
  if (!Array.isArray(raw) || raw.some((v) => typeof v !== "string")) {
    throw new ServiceFault("ValidationException", `${what} must be a list of strings`);
  }
  return new Set(raw as string[]);
}

// ---------------------------------------------------------------------------------------------
// Tokens and responses

function fingerprintOf(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("base64url").slice(0, 16);
}

function writeToken(
  position: { period: number; offset: number },
  fingerprint: string,
  kind = "cost",
): string {
  return Buffer.from(
    JSON.stringify({ k: kind, f: fingerprint, p: position.period, o: position.offset }),
  ).toString("base64url");
}

function readToken(
  token: string,
  fingerprint: string,
  kind = "cost",
): { period: number; offset: number } {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    decoded = undefined;
  }
  const t = decoded as { k?: unknown; f?: unknown; p?: unknown; o?: unknown } | undefined;
  if (
    typeof t !== "object" ||
    t === null ||
    t.k !== kind ||
    typeof t.p !== "number" ||
    typeof t.o !== "number" ||
    !Number.isInteger(t.p) ||
    !Number.isInteger(t.o) ||
    t.p < 0 ||
    t.o < 0
  ) {
    throw new ServiceFault("InvalidNextTokenException", "The pagination token is invalid.");
  }
  if (t.f !== fingerprint) {
    throw new ServiceFault(
      "RequestChangedException",
      "Your request parameters changed between pages. Try again with the old parameters or without a pagination token.",
    );
  }
  return { period: t.p, offset: t.o };
}

function faultResponse(
  fault: Exclude<CostExplorerFault, { kind: "slow" | "reset-after-headers" | "body" }>,
): LocalResponse {
  switch (fault.kind) {
    case "limit-exceeded":
      return json(400, { __type: "LimitExceededException", message: "Rate exceeded" });
    case "throttling":
      return json(400, {
        __type: "com.amazon.coral.availability#ThrottlingException",
        message: "Rate exceeded",
      });
    case "server-error":
      return json(fault.status ?? 500, {
        __type: "com.amazon.coral.service#InternalFailure",
        message: "We encountered an internal error. Please try again.",
      });
    case "invalid-next-token":
      return json(400, {
        __type: "InvalidNextTokenException",
        message: "The pagination token is invalid.",
      });
  }
}

function json(status: number, body: unknown): LocalResponse {
  return {
    status,
    headers: {
      "content-type": JSON_11,
      "x-amzn-requestid": randomUUID(),
    },
    body: JSON.stringify(body),
  };
}
