/**
 * The Cost Explorer query plan: the GetCostAndUsage requests whose answers give exactly the
 * numbers of the attribution rule (`../../attribution`), with the SERVICE breakdown kept for both
 * routes and the conflicts visible.
 *
 * Cost Explorer cannot list lines and groups by at most two keys, and the rule needs three
 * things per line (resource tag, principal tag, service). So:
 *
 *   Q1  GroupBy [TAG <key>, SERVICE], DAILY              resource-tagged spend, by service
 *       (the single query of the resource-only plan, unchanged; with the principal route on,
 *       its `<key>$` rows are held back, because Q2 splits exactly that spend)
 *   Q2  Filter Tags <key> ABSENT,                        spend without a resource tag, by the
 *       GroupBy [TAG iamPrincipal/<key>, SERVICE], DAILY caller's tag and service
 *   Q3  Filter And [Not <key> ABSENT,                    lines with both tags, per pair of
 *                   Not iamPrincipal/<key> ABSENT],      values: the conflicts (evidence only;
 *       GroupBy [TAG <key>, TAG iamPrincipal/<key>],     their money is in Q1). The reported
 *       MONTHLY over the reported month                  month only, so one period.
 *
 * Q1 and Q2 run once per linked account with `--by-account` (And-ed with the account filter);
 * Q3 once. Requests per run, each page $0.01 (`P(Q)` = the pages Cost Explorer splits Q's answer
 * into, at least 1 even when empty; `L` = GetDimensionValues pages listing the accounts, 0
 * without `--by-account`; accounts = 1 without it):
 *
 *   principal route off:  R = L + sum over accounts of P(Q1)
 *   principal route on:   R = L + sum over accounts of (P(Q1) + P(Q2)) + P(Q3)   (>= 3)
 *
 * Why not fewer: the service breakdown (which also decides what is AI spend) takes one of the two
 * GroupBy keys, so each route needs its own query; and a pair of tag values takes both keys, so
 * conflicts need a third. Q1 could be narrowed to resource-tagged lines (`Not ABSENT`), saving
 * its `<key>$` groups (one per day and service with untagged spend; a fraction of a page); it is
 * kept as the proven request instead, and its held-back `<key>$` rows check Q2: per day and
 * service, Q2 must add up to what Q1 saw untagged, or the run fails (`PlanMismatchError`) rather
 * than lose or double spend if `ABSENT` ever meant something else than the `<key>$` group.
 */
import type { Expression, GetCostAndUsageCommandInput } from "@aws-sdk/client-cost-explorer";

import type { CostQuery, CostRow, TagPairSpend } from "../../ports";
import { addDays } from "../../../util/dates";
import {
  add,
  compare,
  isNegative,
  negate,
  parseAmount,
  subtract,
  toString,
  ZERO,
} from "../../../util/decimal";
import type { Amount } from "../../../util/decimal";
import { MalformedResponseError, parseCostPage, parseTagPairPage } from "./parse";
import { costAndUsageInput } from "./query";

type Page = Parameters<typeof parseCostPage>[0];

/** One query of the plan (a query may take several pages). */
export type PlanStep =
  /** Q1: [TAG <key>, SERVICE], optionally for one linked account. */
  | { readonly kind: "resource-tag"; readonly account: string | undefined }
  /** Q2: lines without the resource tag, [TAG iamPrincipal/<key>, SERVICE]. */
  | { readonly kind: "principal-tag"; readonly account: string | undefined }
  /** Q3: lines with both tags, [TAG <key>, TAG iamPrincipal/<key>], the reported month. */
  | { readonly kind: "tag-pairs" };

/**
 * The queries of a run, in order. `accounts` is `[undefined]` without `--by-account`.
 *
 * @example
 * queryPlan({ ...query, principalTagKey: "iamPrincipal/workflow" }, [undefined]).map((s) => s.kind);
 * // ["resource-tag", "principal-tag", "tag-pairs"]
 */
export function queryPlan(query: CostQuery, accounts: readonly (string | undefined)[]): PlanStep[] {
  if (query.principalTagKey === null) {
    return accounts.map((account) => ({ kind: "resource-tag", account }));
  }
  return [
    ...accounts.flatMap((account): PlanStep[] => [
      { kind: "resource-tag", account },
      { kind: "principal-tag", account },
    ]),
    { kind: "tag-pairs" },
  ];
}

/** The fewest requests the plan makes: one page per query (`R` above with every `P` = 1). */
export function minimumRequests(principalRoute: boolean, accounts: number): number {
  return principalRoute ? 2 * accounts + 1 : accounts;
}

const absent = (key: string): Expression => ({ Tags: { Key: key, MatchOptions: ["ABSENT"] } });
const accountFilter = (account: string): Expression => ({
  Dimensions: { Key: "LINKED_ACCOUNT", Values: [account] },
});

/** First day of the reported month: the month of the last queried day. */
export function reportedMonthStart(query: Pick<CostQuery, "start" | "end">): string {
  const first = `${addDays(query.end, -1).slice(0, 7)}-01`;
  return first > query.start ? first : query.start;
}

function principalKeyOf(query: CostQuery): string {
  if (query.principalTagKey === null) {
    throw new Error("the principal route is off: this plan has no principal-tag query");
  }
  return query.principalTagKey;
}

/** The GetCostAndUsage input of one page of `step`. */
export function stepInput(
  query: CostQuery,
  step: PlanStep,
  nextPageToken?: string,
): GetCostAndUsageCommandInput {
  const token = nextPageToken === undefined ? {} : { NextPageToken: nextPageToken };
  switch (step.kind) {
    case "resource-tag":
      return costAndUsageInput(query, step.account, nextPageToken);
    case "principal-tag": {
      const filter =
        step.account === undefined
          ? absent(query.tagKey)
          : { And: [accountFilter(step.account), absent(query.tagKey)] };
      return {
        TimePeriod: { Start: query.start, End: query.end },
        Granularity: "DAILY",
        Metrics: [query.metric],
        GroupBy: [
          { Type: "TAG", Key: principalKeyOf(query) },
          { Type: "DIMENSION", Key: "SERVICE" },
        ],
        Filter: filter,
        ...token,
      };
    }
    case "tag-pairs": {
      const principal = principalKeyOf(query);
      return {
        TimePeriod: { Start: reportedMonthStart(query), End: query.end },
        Granularity: "MONTHLY",
        Metrics: [query.metric],
        GroupBy: [
          { Type: "TAG", Key: query.tagKey },
          { Type: "TAG", Key: principal },
        ],
        Filter: { And: [{ Not: absent(query.tagKey) }, { Not: absent(principal) }] },
        ...token,
      };
    }
  }
}

/** Q2 does not add up to the spend Q1 saw without the resource tag: the split cannot be trusted. */
export class PlanMismatchError extends MalformedResponseError {}

/**
 * How far Q2's sum for one day and service may be from Q1's: Cost Explorer rounds each group's
 * amount, and Q2 splits one Q1 group into several (about 1e-10 each at worst), so exact equality
 * is not promised. A cent is far above rounding and far below a lost line that matters.
 */
export const PLAN_CHECK_TOLERANCE = "0.01";

/**
 * One run of the plan: turns each page into the rows to hand on, collects Q3's tag pairs, and
 * checks after each account's Q2 that it covered Q1's untagged spend.
 */
export class PlanRun {
  readonly tagPairs: TagPairSpend[] = [];
  /** Per `account|date|service|unit`: Q1's untagged spend, minus Q2's (settles at 0). */
  private readonly open = new Map<string, Amount>();
  private readonly tolerance = parseAmount(PLAN_CHECK_TOLERANCE);

  constructor(private readonly query: CostQuery) {}

  /** Rows of one page of `step`. Throws `MalformedResponseError` (or `PlanMismatchError`). */
  rowsOf(step: PlanStep, page: Page): readonly CostRow[] {
    const { query } = this;
    switch (step.kind) {
      case "resource-tag": {
        const rows = parseCostPage(page, query, step.account);
        if (query.principalTagKey === null) return rows;
        // Q2 splits this spend by caller: hand on only the resource-tagged rows.
        const tagged: CostRow[] = [];
        for (const row of rows) {
          if (row.resourceTag !== null) tagged.push(row);
          else this.settle(row, +1);
        }
        return tagged;
      }
      case "principal-tag": {
        const principal = principalKeyOf(query);
        const rows = parseCostPage(
          page,
          { tagKey: principal, metric: query.metric },
          step.account,
          "principalTag",
        );
        for (const row of rows) this.settle(row, -1);
        return rows;
      }
      case "tag-pairs":
        this.tagPairs.push(
          ...parseTagPairPage(page, {
            resourceKey: query.tagKey,
            principalKey: principalKeyOf(query),
            metric: query.metric,
          }),
        );
        return [];
    }
  }

  /** After the last page of `step`. Throws `PlanMismatchError` when Q2 missed or added spend. */
  endStep(step: PlanStep): void {
    if (step.kind !== "principal-tag") return;
    const mismatches: string[] = [];
    for (const [key, difference] of this.open) {
      const magnitude = isNegative(difference) ? negate(difference) : difference;
      if (compare(magnitude, this.tolerance) > 0) {
        const [account, date, service, unit] = key.split("\u0000") as [
          string,
          string,
          string,
          string,
        ];
        mismatches.push(
          `${date} ${JSON.stringify(service)}${account === "" ? "" : ` (account ${account})`}: ${toString(difference)} ${unit}`,
        );
      }
    }
    this.open.clear();
    if (mismatches.length > 0) {
      const key = this.query.tagKey;
      throw new PlanMismatchError(
        `the spend without the tag "${key}" does not add up: grouped by ${principalKeyOf(this.query)} (Filter ${key} ABSENT) it differs from the "${key}$" groups by more than ${PLAN_CHECK_TOLERANCE} on ${mismatches.length} day(s) x service(s), e.g. ${mismatches.slice(0, 3).join("; ")} (untagged minus split); no partial result was used. Run again; if it persists, set settings.principalTags: false to read resource tags only`,
      );
    }
  }

  private settle(row: CostRow, sign: 1 | -1): void {
    const key = `${row.account ?? ""}\u0000${row.date}\u0000${row.service}\u0000${row.unit}`;
    const amount = parseAmount(row.amount);
    const so = this.open.get(key) ?? ZERO;
    this.open.set(key, sign === 1 ? add(so, amount) : subtract(so, amount));
  }
}
