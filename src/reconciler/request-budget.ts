/**
 * What Cost Explorer requests cost, and how many one reconciliation may make. AWS charges
 * USD 0.01 per request; a page-token cycle or a runaway answer would otherwise page until the
 * deadline (tens of thousands of requests in two minutes). The budget stops a fetch well
 * before that and says what it spent.
 *
 * The default, from the registry's size (W workflows) and the accounts queried (A, 1 without
 * `groupByAccount`):
 *
 *   groups per query  = 62 days x (10 services x 2W tag values + 200 untagged services)
 *   pages per query   = ceil(groups / 1,000)
 *   budget            = A x (2 x pages + 10) + ceil(A / 1,000)
 *
 * Why each number: a query spans at most 62 days (the month reported and the one before); a
 * workflow's spend rarely touches more than a few services, 10 is generous, and the tag values
 * are doubled for unregistered and case-variant values; untagged spend spreads over every
 * service in use, 200 is more than most organisations run. AWS does not publish its page size
 * (the local endpoint uses 5,000 groups): 1,000 makes the estimate generous. Twice the pages
 * plus 10 leaves room for retries; the listing of accounts is one request per 1,000. For 10
 * workflows that is 60 requests (USD 0.60) a run, where a small organisation needs 1 to 3.
 */

/** USD per Cost Explorer API request. */
export const CE_REQUEST_PRICE_USD = 0.01;

/** A budget for callers that know nothing of the registry (USD 10). */
export const DEFAULT_MAX_REQUESTS = 1_000;

/** What `requests` Cost Explorer requests cost, USD. */
export function ceRequestCost(requests: number): number {
  return Math.round(requests * CE_REQUEST_PRICE_USD * 100) / 100;
}

/** The default request budget (see the module comment). */
export function ceRequestBudget(workflows: number, accounts = 1): number {
  const groups = 62 * (10 * 2 * Math.max(1, workflows) + 200);
  const pages = Math.ceil(groups / 1_000);
  const queries = Math.max(1, accounts);
  return queries * (2 * pages + 10) + Math.ceil(queries / 1_000);
}
