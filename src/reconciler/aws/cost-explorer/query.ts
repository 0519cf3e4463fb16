/**
 * The Cost Explorer request for a `CostQuery`, and the query a reconciliation run needs.
 */
import type { Expression, GetCostAndUsageCommandInput } from "@aws-sdk/client-cost-explorer";

import { principalRouteKey } from "../../attribution";
import { COST_METRICS, DEFAULT_COST_METRIC } from "../../cost-metrics";
import type { CostMetric } from "../../cost-metrics";
import { periodFor } from "../../period";
import type { CostQuery } from "../../ports";
import type { Registry } from "../../../registry";
import { isCalendarDate } from "../../../util/dates";

/** A query that cannot be sent: the message names the field and what to write. */
export class CostQueryError extends Error {
  override readonly name = "CostQueryError";
}

/** Throws `CostQueryError` for a query Cost Explorer would refuse, before any billable call. */
export function checkQuery(query: CostQuery): void {
  for (const field of ["start", "end"] as const) {
    if (!isCalendarDate(query[field])) {
      throw new CostQueryError(
        `cost query ${field} "${query[field]}" is not a calendar date: write it as YYYY-MM-DD`,
      );
    }
  }
  if (query.start >= query.end) {
    throw new CostQueryError(
      `cost query start ${query.start} must be before end ${query.end} (end is exclusive)`,
    );
  }
  if (!COST_METRICS.includes(query.metric)) {
    throw new CostQueryError(
      `cost query metric "${String(query.metric)}" is not one of ${COST_METRICS.join(", ")}`,
    );
  }
  if (query.tagKey.length === 0 || query.tagKey.includes("$")) {
    throw new CostQueryError(
      `cost query tagKey "${query.tagKey}" must be a non-empty cost allocation tag key without "$"`,
    );
  }
  const principal = query.principalTagKey;
  if (
    principal !== null &&
    (principal.length === 0 || principal.includes("$") || principal === query.tagKey)
  ) {
    throw new CostQueryError(
      `cost query principalTagKey "${principal}" must be a cost allocation tag key without "$", other than tagKey (iamPrincipal/${query.tagKey}), or null`,
    );
  }
}

/**
 * GetCostAndUsage input: DAILY, one metric, grouped by [TAG <tagKey>, DIMENSION SERVICE],
 * optionally narrowed to one linked account (how the LINKED_ACCOUNT option works: Cost Explorer
 * allows two GroupBy keys and TAG + SERVICE use both, so accounts are separate filtered queries).
 */
export function costAndUsageInput(
  query: CostQuery,
  account?: string,
  nextPageToken?: string,
): GetCostAndUsageCommandInput {
  const filter: Expression | undefined =
    account === undefined
      ? undefined
      : { Dimensions: { Key: "LINKED_ACCOUNT", Values: [account] } };
  return {
    TimePeriod: { Start: query.start, End: query.end },
    Granularity: "DAILY",
    Metrics: [query.metric],
    GroupBy: [
      { Type: "TAG", Key: query.tagKey },
      { Type: "DIMENSION", Key: "SERVICE" },
    ],
    ...(filter === undefined ? {} : { Filter: filter }),
    ...(nextPageToken === undefined ? {} : { NextPageToken: nextPageToken }),
  };
}

/**
 * The one query a reconciliation run on `runDate` needs: the month before the reported month
 * and the reported month up to the last complete day (see `periodFor`), with the registry's
 * workflow tag key.
 *
 * @example
 * reconciliationQuery(registry, "2027-03-15")
 * // { start: "2027-02-01", end: "2027-03-15", metric: "UnblendedCost", tagKey: "workflow",
 * //   principalTagKey: "iamPrincipal/workflow", groupByAccount: false }
 */
export function reconciliationQuery(
  registry: Registry,
  runDate: string,
  options: { readonly metric?: CostMetric; readonly groupByAccount?: boolean } = {},
): CostQuery {
  const period = periodFor(runDate);
  return {
    start: period.lastMonthStart,
    end: period.end,
    metric: options.metric ?? DEFAULT_COST_METRIC,
    tagKey: registry.settings.tagKeys.workflow,
    principalTagKey: principalRouteKey(registry.settings),
    groupByAccount: options.groupByAccount ?? false,
  };
}
