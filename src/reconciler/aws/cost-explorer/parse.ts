/**
 * One GetCostAndUsage page -> normalised cost rows, respecting the real format:
 * - group keys come in `GroupDefinitions` order; the tag key is `<tagKey>$<value>`, and
 *   `<tagKey>$` (nothing after the `$`) is spend without the tag: `tag: null`;
 * - amounts stay the decimal strings Cost Explorer sent (summed exactly later), negatives
 *   (credits, refunds) included;
 * - `Estimated` belongs to the time period: every row of an estimated day is marked;
 * - the currency (`Unit`) is kept per row, so a mixed currency is reported, never summed.
 */
import type { GetCostAndUsageCommandOutput } from "@aws-sdk/client-cost-explorer";

import type { CostQuery, CostRow } from "../../ports";
import { parseCostAmount } from "../../../util/cost-amount";
import { addDays } from "../../../util/dates";
import { AmountError } from "../../../util/decimal";
import { checkCostAndUsageShape, MalformedResponseError } from "./response-shape";

export { MalformedResponseError };

type Page = Pick<GetCostAndUsageCommandOutput, "GroupDefinitions" | "ResultsByTime">;

/**
 * Rows of one page. Throws `MalformedResponseError` naming the offending period and group: for a
 * page without the documented shape (`./response-shape`), and for an amount that is not a
 * decimal within a bill's bounds (`util/cost-amount`: no amount reaches a report as Infinity).
 */
export function parseCostPage(
  page: Page,
  query: Pick<CostQuery, "tagKey" | "metric">,
  account?: string,
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
      if (!tagKey.startsWith(prefix)) {
        throw new MalformedResponseError(
          `${at}: tag key ${JSON.stringify(tagKey)} does not start with "${prefix}"`,
        );
      }
      const metric = group.Metrics?.[query.metric];
      const amount = metric?.Amount;
      const unit = metric?.Unit;
      if (amount === undefined || unit === undefined || unit.length === 0) {
        throw new MalformedResponseError(`${at}: no ${query.metric} Amount and Unit`);
      }
      try {
        parseCostAmount(amount);
      } catch (error) {
        if (!(error instanceof AmountError)) throw error;
        throw new MalformedResponseError(`${at}: ${query.metric} ${error.message}`);
      }
      const value = tagKey.slice(prefix.length);
      rows.push({
        date: start,
        tag: value === "" ? null : value,
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
