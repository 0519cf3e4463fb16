/**
 * One GetCostAndUsage page -> normalised cost rows, respecting the real format:
 * - group keys come in `GroupDefinitions` order; the tag key is `<tagKey>$<value>`, and
 *   `<tagKey>$` (nothing after the `$`) is spend without the tag: `null`. A principal tag's key
 *   keeps its prefix in full (`iamPrincipal/workflow$invoice-matching`, `iamPrincipal/workflow$`),
 *   and a value may itself hold `$` or `/`: only the known `<key>$` prefix is stripped;
 * - amounts stay the decimal strings Cost Explorer sent (summed exactly later), negatives
 *   (credits, refunds) included;
 * - `Estimated` belongs to the time period: every row of an estimated day is marked;
 * - the currency (`Unit`) is kept per row, so a mixed currency is reported, never summed.
 */
import type { GetCostAndUsageCommandOutput } from "@aws-sdk/client-cost-explorer";

import type { AttributionRoute } from "../../attribution";
import type { CostQuery, CostRow, TagPairSpend } from "../../ports";
import { parseCostAmount } from "../../../util/cost-amount";
import { addDays } from "../../../util/dates";
import { AmountError } from "../../../util/decimal";
import { checkCostAndUsageShape, MalformedResponseError } from "./response-shape";

export { MalformedResponseError };

type Page = Pick<GetCostAndUsageCommandOutput, "GroupDefinitions" | "ResultsByTime">;

/**
 * Rows of one page grouped by [TAG `query.tagKey`, SERVICE]; `route` says which route that tag
 * key is (`query.tagKey` is then the principal tag key, `iamPrincipal/...`). Throws
 * `MalformedResponseError` naming the offending period and group: for a page without the
 * documented shape (`./response-shape`), and for an amount that is not a decimal within a bill's
 * bounds (`util/cost-amount`: no amount reaches a report as Infinity).
 */
export function parseCostPage(
  page: Page,
  query: Pick<CostQuery, "tagKey" | "metric">,
  account?: string,
  route: AttributionRoute = "resourceTag",
): CostRow[] {
  checkCostAndUsageShape(page as GetCostAndUsageCommandOutput);
  const { tagIndex, serviceIndex } = keyPositions(page, query.tagKey);
  const prefix = `${query.tagKey}$`;
  const rows: CostRow[] = [];
  for (const [r, result] of (page.ResultsByTime ?? []).entries()) {
    const where = `ResultsByTime[${r}]`;
    const start = result.TimePeriod?.Start;
    const end = result.TimePeriod?.End;
    if (start === undefined || end === undefined || addDays(start, 1) !== end) {
      throw new MalformedResponseError(
        `${where}: expected a one-day TimePeriod (DAILY), got ${JSON.stringify(result.TimePeriod)}`,
      );
    }
    const estimated = result.Estimated === true;
    for (const [g, group] of (result.Groups ?? []).entries()) {
      const at = `${where} (${start}) Groups[${g}]`;
      const keys = group.Keys ?? [];
      const tagKey = keys[tagIndex];
      const service = keys[serviceIndex];
      if (keys.length !== 2 || tagKey === undefined || service === undefined) {
        throw new MalformedResponseError(
          `${at}: expected 2 keys [tag, service], got ${JSON.stringify(keys)}`,
        );
      }
      const value = tagValue(tagKey, prefix, at);
      const { amount, unit } = metricOf(group, query.metric, at);
      rows.push({
        date: start,
        resourceTag: route === "resourceTag" ? value : null,
        principalTag: route === "principalTag" ? value : null,
        service,
        ...(account === undefined ? {} : { account }),
        amount,
        unit,
        estimated,
      });
    }
  }
  return rows;
}

/** The value of a `<key>$<value>` group key, null for `<key>$`; the error names the key. */
function tagValue(groupKey: string, prefix: string, at: string): string | null {
  if (!groupKey.startsWith(prefix)) {
    throw new MalformedResponseError(
      `${at}: tag key ${JSON.stringify(groupKey)} does not start with "${prefix}"`,
    );
  }
  const value = groupKey.slice(prefix.length);
  return value === "" ? null : value;
}

type Group = NonNullable<NonNullable<Page["ResultsByTime"]>[number]["Groups"]>[number];

function metricOf(group: Group, metric: string, at: string): { amount: string; unit: string } {
  const value = group.Metrics?.[metric];
  const amount = value?.Amount;
  const unit = value?.Unit;
  if (amount === undefined || unit === undefined || unit.length === 0) {
    throw new MalformedResponseError(`${at}: no ${metric} Amount and Unit`);
  }
  try {
    parseCostAmount(amount);
  } catch (error) {
    if (!(error instanceof AmountError)) throw error;
    throw new MalformedResponseError(`${at}: ${metric} ${error.message}`);
  }
  return { amount, unit };
}

/**
 * Tag pairs of one page grouped by [TAG `resourceKey`, TAG `principalKey`] (any granularity):
 * the spend of each pair of values per period. Throws `MalformedResponseError` naming the group.
 */
export function parseTagPairPage(
  page: Page,
  keys: { readonly resourceKey: string; readonly principalKey: string; readonly metric: string },
): TagPairSpend[] {
  checkCostAndUsageShape(page as GetCostAndUsageCommandOutput);
  let resourceIndex = 0;
  let principalIndex = 1;
  const definitions = page.GroupDefinitions;
  if (definitions !== undefined && definitions.length > 0) {
    resourceIndex = definitions.findIndex((d) => d.Type === "TAG" && d.Key === keys.resourceKey);
    principalIndex = definitions.findIndex((d) => d.Type === "TAG" && d.Key === keys.principalKey);
    if (resourceIndex < 0 || principalIndex < 0) {
      throw new MalformedResponseError(
        `GroupDefinitions ${JSON.stringify(definitions)} do not include TAG ${keys.resourceKey} and TAG ${keys.principalKey}`,
      );
    }
  }
  const pairs: TagPairSpend[] = [];
  for (const [r, result] of (page.ResultsByTime ?? []).entries()) {
    const start = result.TimePeriod?.Start;
    const end = result.TimePeriod?.End;
    if (start === undefined || end === undefined || !(start < end)) {
      throw new MalformedResponseError(
        `ResultsByTime[${r}]: expected a TimePeriod with Start before End, got ${JSON.stringify(result.TimePeriod)}`,
      );
    }
    for (const [g, group] of (result.Groups ?? []).entries()) {
      const at = `ResultsByTime[${r}] (${start}) Groups[${g}]`;
      const groupKeys = group.Keys ?? [];
      const resource = groupKeys[resourceIndex];
      const principal = groupKeys[principalIndex];
      if (groupKeys.length !== 2 || resource === undefined || principal === undefined) {
        throw new MalformedResponseError(
          `${at}: expected 2 keys [resource tag, principal tag], got ${JSON.stringify(groupKeys)}`,
        );
      }
      const resourceTag = tagValue(resource, `${keys.resourceKey}$`, at);
      const principalTag = tagValue(principal, `${keys.principalKey}$`, at);
      const { amount, unit } = metricOf(group, keys.metric, at);
      // A pair needs both values; the plan's filter asks for exactly those lines.
      if (resourceTag === null || principalTag === null) continue;
      pairs.push({ start, end, resourceTag, principalTag, amount, unit });
    }
  }
  return pairs;
}

/** Where the tag and the service sit in `Keys`, from `GroupDefinitions` (request order if absent). */
function keyPositions(page: Page, tagKey: string): { tagIndex: number; serviceIndex: number } {
  const definitions = page.GroupDefinitions;
  if (definitions === undefined || definitions.length === 0)
    return { tagIndex: 0, serviceIndex: 1 };
  const tagIndex = definitions.findIndex((d) => d.Type === "TAG" && d.Key === tagKey);
  const serviceIndex = definitions.findIndex((d) => d.Type === "DIMENSION" && d.Key === "SERVICE");
  if (tagIndex < 0 || serviceIndex < 0) {
    throw new MalformedResponseError(
      `GroupDefinitions ${JSON.stringify(definitions)} do not include TAG ${tagKey} and DIMENSION SERVICE`,
    );
  }
  return { tagIndex, serviceIndex };
}
