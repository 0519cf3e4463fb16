/**
 * `UsageTypeSource` on Cost Explorer: the unit-price trigger's one extra query, made only when
 * a workflow sets `triggers.unitPrice`.
 *
 *   Q4  GroupBy [TAG <key>, USAGE_TYPE], MONTHLY, Metrics [<cost metric>, UsageQuantity],
 *       Filter <key> not ABSENT, from the first day of last month to the run date
 *
 * Two months of (workflow, usage type) groups: usually one page, so one request ($0.01) more a
 * run, which the plan can afford; it is counted in the report's `ceRequests`. It reads the
 * resource-tag route only: spend attributed by the caller's principal tag has the same unit
 * prices (a usage type's price does not depend on who called), so leaving it out changes the
 * weights, not the prices compared.
 */
import { GetCostAndUsageCommand } from "@aws-sdk/client-cost-explorer";
import type { CostExplorerClient } from "@aws-sdk/client-cost-explorer";
import { abortableSleep } from "./deadline";
import { backoffDelay, classifyError, DEFAULT_RETRY } from "./retry";
import type { RetryPolicy } from "./retry";
import type { UsageTypeMonth, UsageTypeSource } from "../../ports";

const USAGE_METRIC = "UsageQuantity";

export interface UsageTypeSourceOptions {
  readonly retry?: RetryPolicy;
  readonly random?: () => number;
  /** Most pages to read (a runaway answer stops here with an error, not a bill). */
  readonly maxPages?: number;
}

export function costExplorerUsageTypes(
  client: CostExplorerClient,
  options: UsageTypeSourceOptions = {},
): UsageTypeSource {
  const retry = options.retry ?? DEFAULT_RETRY;
  const random = options.random ?? Math.random;
  const maxPages = options.maxPages ?? 20;
  return {
    name: "cost-explorer-usage-types",
    async fetch(query, fetchOptions) {
      const signal = fetchOptions?.signal ?? new AbortController().signal;
      const months: UsageTypeMonth[] = [];
      let requests = 0;
      let token: string | undefined;
      let pages = 0;
      do {
        if (pages >= maxPages) {
          throw new Error(
            `Cost Explorer usage types: more than ${maxPages} pages; the unit-price query stopped there`,
          );
        }
        const input = {
          TimePeriod: { Start: query.start, End: query.end },
          Granularity: "MONTHLY" as const,
          Metrics: [query.metric, USAGE_METRIC],
          GroupBy: [
            { Type: "TAG" as const, Key: query.tagKey },
            { Type: "DIMENSION" as const, Key: "USAGE_TYPE" },
          ],
          Filter: { Not: { Tags: { Key: query.tagKey, MatchOptions: ["ABSENT" as const] } } },
          ...(token === undefined ? {} : { NextPageToken: token }),
        };
        let attempt = 0;
        for (;;) {
          attempt += 1;
          requests += 1;
          try {
            const output = await client.send(new GetCostAndUsageCommand(input), {
              abortSignal: signal,
            });
            for (const result of output.ResultsByTime ?? []) {
              const month = result.TimePeriod?.Start;
              if (month === undefined) continue;
              for (const group of result.Groups ?? []) {
                const [tag, usageType] = group.Keys ?? [];
                const value = tag?.slice(query.tagKey.length + 1);
                if (value === undefined || value === "" || usageType === undefined) continue;
                months.push({
                  workflowId: value,
                  usageType,
                  month,
                  cost: group.Metrics?.[query.metric]?.Amount ?? "0",
                  usage: group.Metrics?.[USAGE_METRIC]?.Amount ?? "0",
                });
              }
            }
            token = output.NextPageToken === "" ? undefined : output.NextPageToken;
            break;
          } catch (error) {
            const kind = classifyError(error);
            const transient = kind === "throttle" || kind === "server" || kind === "network";
            if (!transient || attempt >= retry.maxAttempts) throw error;
            await abortableSleep(backoffDelay(attempt, retry, random), signal);
          }
        }
        pages += 1;
      } while (token !== undefined);
      return { months, requests };
    },
  };
}
