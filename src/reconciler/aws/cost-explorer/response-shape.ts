/**
 * The documented shape of a Cost Explorer answer, checked before anything is read from it. The
 * SDK deserialises whatever a 200 carried: an empty body, `{}`, `ResultsByTime: null` or a
 * result without `Groups` all arrive as an output whose fields are simply absent, and reading
 * absent as "no rows" turns a broken answer into a month of zero spend. Here absent is a
 * `MalformedResponseError` naming the field, which the source retries like any other fault and
 * reports if it persists.
 *
 * What is required, and why it can be (GetCostAndUsage grouped by two keys, DAILY):
 * - `ResultsByTime`: a list (Cost Explorer sends one result per day of the period, the days
 *   without cost included, so a page always has at least one);
 * - each result: `TimePeriod` with `Start` and `End`, and `Groups` as a list (`[]` for a day
 *   without cost: with `GroupBy` the service sends the list even when it is empty);
 * - each group: `Keys` (a list of strings) and `Metrics` (an object).
 *
 * GetDimensionValues (LINKED_ACCOUNT, with `--by-account`): `DimensionValues` a list, each with
 * a non-empty `Value`, and at least one account over the listing (the reconciler's own account
 * has cost in any period it runs: no accounts means the answer lost them, and querying none
 * would report no spend at all).
 *
 * Field-level reading (keys, amounts, the currency) is `./parse`.
 */
import type {
  GetCostAndUsageCommandOutput,
  GetDimensionValuesCommandOutput,
} from "@aws-sdk/client-cost-explorer";

/** A response that does not have the documented shape; the message says where. */
export class MalformedResponseError extends Error {
  override readonly name = "MalformedResponseError";
}

/** The output's type with every field possibly anything (what a hostile 200 can deserialise to). */
type Untrusted = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is Untrusted =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const shown = (value: unknown): string =>
  value === undefined ? "absent" : `${JSON.stringify(value)?.slice(0, 80) ?? String(value)}`;

/** Throws `MalformedResponseError` unless `output` has GetCostAndUsage's documented shape. */
export function checkCostAndUsageShape(output: GetCostAndUsageCommandOutput): void {
  const untrusted = output as unknown as Untrusted;
  const results = untrusted["ResultsByTime"];
  if (!Array.isArray(results)) {
    throw new MalformedResponseError(
      `GetCostAndUsage: ResultsByTime is ${shown(results)}, not a list of results (an empty or truncated answer)`,
    );
  }
  if (results.length === 0) {
    throw new MalformedResponseError(
      "GetCostAndUsage: ResultsByTime is empty (a DAILY answer has one result per day)",
    );
  }
  for (const [r, result] of (results as unknown[]).entries()) {
    const where = `GetCostAndUsage: ResultsByTime[${r}]`;
    if (!isObject(result)) throw new MalformedResponseError(`${where} is ${shown(result)}`);
    const period = result["TimePeriod"];
    if (
      !isObject(period) ||
      typeof period["Start"] !== "string" ||
      typeof period["End"] !== "string"
    ) {
      throw new MalformedResponseError(`${where}: TimePeriod is ${shown(period)}`);
    }
    const groups = result["Groups"];
    if (!Array.isArray(groups)) {
      throw new MalformedResponseError(
        `${where} (${period["Start"]}): Groups is ${shown(groups)}, not a list (a grouped answer always has one)`,
      );
    }
    for (const [g, group] of (groups as unknown[]).entries()) {
      const at = `${where} (${period["Start"]}) Groups[${g}]`;
      if (!isObject(group)) throw new MalformedResponseError(`${at} is ${shown(group)}`);
      const keys = group["Keys"];
      if (!Array.isArray(keys) || !keys.every((k) => typeof k === "string")) {
        throw new MalformedResponseError(`${at}: Keys is ${shown(keys)}`);
      }
      if (!isObject(group["Metrics"])) {
        throw new MalformedResponseError(`${at}: Metrics is ${shown(group["Metrics"])}`);
      }
    }
  }
  const token = untrusted["NextPageToken"];
  if (token !== undefined && token !== null && typeof token !== "string") {
    throw new MalformedResponseError(`GetCostAndUsage: NextPageToken is ${shown(token)}`);
  }
}

/**
 * The account ids of one GetDimensionValues page; throws `MalformedResponseError` unless it has
 * the documented shape.
 */
export function accountsOf(output: GetDimensionValuesCommandOutput): string[] {
  const values = (output as unknown as Untrusted)["DimensionValues"];
  if (!Array.isArray(values)) {
    throw new MalformedResponseError(
      `GetDimensionValues: DimensionValues is ${shown(values)}, not a list of accounts`,
    );
  }
  return (values as unknown[]).map((value, i) => {
    const id = isObject(value) ? value["Value"] : undefined;
    if (typeof id !== "string" || id === "") {
      throw new MalformedResponseError(
        `GetDimensionValues: DimensionValues[${i}] has no Value (${shown(value)})`,
      );
    }
    return id;
  });
}
