/**
 * The CUR 2.0 `CostSource`: the one CUR query (`./query`) run on a `CurEngine` (DuckDB over a
 * local copy of an export, or Athena over the Glue table), its rows handed to the core as cost
 * rows. Pure: the engine is the only thing that touches files or AWS.
 *
 * Each row keeps both tags of its lines (resource tag and the caller's principal tag), so the
 * core applies the one attribution rule (`attribute`) per line and finds the conflicts itself:
 * nothing is decided here. What this module adds is what a usage type says about tokens
 * (`lineUsage`): the model and token class of model lines, and the Bedrock lines whose usage
 * type no parser rule reads (counted and named in the report, never guessed). Each row also
 * hands over its usage type and usage amount (the unit-price trigger's figures, summed by the
 * core: no query of their own) and, on lines with neither tag, the caller and the resource id
 * (the unowned rankings).
 *
 * Not in CUR, so not in the rows: the linked-account grouping (refused: the query does not group
 * by account) and Cost Explorer's `Estimated` flag (a CUR period is overwritten while AWS revises
 * it; its rows are reported as they stand).
 *
 * @example
 * const engine = await DuckDbCurEngine.open("./cur-export");
 * const report = await runReconciliation({ registry, source: curCostSource(engine), runDate });
 */
import { toString } from "../../util/decimal";
import type { AiServiceCategory } from "../ai-services";
import type { CostFetch, CostRow, CostSource, FetchStats, LineUsage } from "../ports";
import type { CurEngine, CurQueryStats } from "./engine";
import { curQuery, CurQueryError } from "./query";
import type { CurRow } from "./rows";

/** Rows per page handed to the aggregator: progress and memory, not billing (CUR has no pages). */
export const CUR_PAGE_ROWS = 5_000;

/** The services whose usage types must name a token class: Bedrock's own and its Marketplace models. */
const TOKEN_BILLED: ReadonlySet<AiServiceCategory> = new Set([
  "bedrock-first-party",
  "bedrock-marketplace-model",
]);

/**
 * What a row's usage type says about tokens: a model and a token class with its token count, or
 * for a Bedrock line that names none we know, `unread` with the reason; undefined for any other
 * line (EC2, Lambda, SageMaker hours: not token usage, and not expected to be).
 */
export function lineUsage(row: CurRow): LineUsage | undefined {
  if (row.usage.kind === "tokens" && row.model !== null && row.tokens !== null) {
    return {
      kind: "tokens",
      model: row.model,
      tokenClass: row.usage.tokenClass,
      tokens: toString(row.tokens),
    };
  }
  if (row.serviceClass.kind !== "ai" || !TOKEN_BILLED.has(row.serviceClass.category)) {
    return undefined;
  }
  const reason =
    row.usage.kind === "unknown"
      ? row.usage.reason
      : row.pricingUnit.kind === "unknown"
        ? row.pricingUnit.reason
        : "no token count";
  return { kind: "unread", usageType: row.usageType, reason };
}

/**
 * One CUR row as the core's cost row. With the principal route off (`principalRoute` false) the
 * caller's tag is dropped, as the Cost Explorer source never asks for it.
 */
export function costRowOf(row: CurRow, principalRoute: boolean): CostRow {
  const usage = lineUsage(row);
  return {
    date: row.date,
    resourceTag: row.resourceTag,
    principalTag: principalRoute ? row.principalTag : null,
    service: row.service,
    amount: toString(row.cost),
    unit: row.currency,
    estimated: false,
    lineItems: row.lineItems,
    usageType: row.usageType,
    usageAmount: toString(row.usageAmount),
    ...(usage === undefined ? {} : { usage }),
    ...(row.unattributedPrincipal === null ? {} : { principal: row.unattributedPrincipal }),
    ...(row.unattributedResource === null ? {} : { resourceId: row.unattributedResource }),
  };
}

export interface CurSourceOptions {
  /** Rows per page handed to the aggregator (default `CUR_PAGE_ROWS`). */
  readonly pageRows?: number;
}

/** The CUR cost source over `engine`. The engine's lifetime (closing DuckDB) is the caller's. */
export function curCostSource(engine: CurEngine, options: CurSourceOptions = {}): CostSource {
  const pageRows = options.pageRows ?? CUR_PAGE_ROWS;
  if (!Number.isInteger(pageRows) || pageRows < 1) {
    throw new RangeError(`pageRows must be a whole number >= 1, got ${pageRows}`);
  }
  return {
    name: `cur-${engine.name}`,
    kind: "cur",
    fetch(query, fetchOptions = {}): CostFetch {
      if (query.groupByAccount) {
        throw new CurQueryError(
          "the CUR source does not group by linked account: leave out the account grouping (--by-account), or use Cost Explorer for it",
        );
      }
      const expected = `iamPrincipal/${query.tagKey}`;
      if (query.principalTagKey !== null && query.principalTagKey !== expected) {
        throw new CurQueryError(
          `the CUR source reads the caller's tag as tags['${expected}'], not ${JSON.stringify(query.principalTagKey)}`,
        );
      }
      // Throws for bad dates, and for a metric CUR has no column for (AmortizedCost).
      const cur = curQuery({
        start: query.start,
        end: query.end,
        metric: query.metric,
        tagKey: query.tagKey,
      });
      const principalRoute = query.principalTagKey !== null;
      const stats: FetchStats = { requests: 0, retries: 0, pages: 0, rows: 0 };
      let ran: CurQueryStats | undefined;
      let started = false;
      return {
        stats,
        tagPairs: [],
        get query() {
          return ran;
        },
        async *[Symbol.asyncIterator]() {
          if (started) throw new Error("a CostFetch can be iterated once: call fetch() again");
          started = true;
          const result = await engine.run(
            cur,
            fetchOptions.signal === undefined ? {} : { signal: fetchOptions.signal },
          );
          ran = result.stats;
          for (let from = 0; from < result.rows.length; from += pageRows) {
            const page = result.rows
              .slice(from, from + pageRows)
              .map((row) => costRowOf(row, principalRoute));
            stats.pages += 1;
            stats.rows += page.length;
            fetchOptions.onPage?.(stats.pages, page.length);
            yield page;
          }
        },
      };
    },
  };
}
