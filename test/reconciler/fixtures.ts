/** Shared test data for the reconciler suites: a small registry and an in-memory cost source. */
import { parseRegistry } from "../../src/registry";
import type { Registry } from "../../src/registry";
import type {
  CostFetch,
  CostQuery,
  CostRow,
  CostSource,
  FetchStats,
  TagPairSpend,
} from "../../src/reconciler";

export const REGISTRY_TEXT = `version: 1
settings:
  currency: USD
  unownedSpendContact: finops@example.com
  unownedShareAlert: 0.05
workflows:
  support-triage:
    description: Triage tickets
    owner: dana@example.com
    stage: run-rate
    risk: medium
    budget: { monthly: 1000, forecastAlert: 100 }
    review: { share: 0.2, minutesPerItem: 2, hourlyRate: 60 }
    volume:
      itemsPerMonth: 30000
      metric: { namespace: Support/Triage, name: TicketsTriaged }
    triggers: { growth: 2.0 }
  invoice-matching:
    description: Match invoices
    owner: priya@example.com
    stage: run-rate
    risk: high
    budget: { monthly: 500 }
    review: { share: 0.5, minutesPerItem: 3, hourlyRate: 80 }
    volume: { itemsPerMonth: 3000 }
  memo-pilot:
    description: Board memo experiment
    owner: dana@example.com
    stage: learning
    reviewBy: 2026-11-15
    risk: medium
  quiet-one:
    description: Registered, never tagged
    owner: sam@example.com
    stage: learning
    reviewBy: 2027-06-30
    risk: low
`;

export function testRegistry(text = REGISTRY_TEXT): Registry {
  return parseRegistry(text, "workflows.yaml");
}

/** A row with a resource tag (`tag`) and no principal tag unless `extra` says otherwise. */
export function row(
  date: string,
  tag: string | null,
  service: string,
  amount: string,
  extra: Partial<CostRow> = {},
): CostRow {
  return {
    date,
    resourceTag: tag,
    principalTag: null,
    service,
    amount,
    unit: "USD",
    estimated: false,
    ...extra,
  };
}

/**
 * A CostSource over fixed rows, `pageSize` rows a page (and `tagPairs`, as a grouped source
 * reports them); records the queries it was asked.
 */
export function memorySource(
  rows: readonly CostRow[],
  pageSize = 100,
  tagPairs: readonly TagPairSpend[] = [],
): CostSource & { queries: CostQuery[] } {
  const queries: CostQuery[] = [];
  return {
    name: "memory",
    kind: "cost-explorer",
    queries,
    fetch(query): CostFetch {
      queries.push(query);
      const stats: FetchStats = { requests: 0, retries: 0, pages: 0, rows: 0 };
      return {
        stats,
        tagPairs,
        async *[Symbol.asyncIterator]() {
          for (let i = 0; i < Math.max(rows.length, 1); i += pageSize) {
            stats.requests += 1;
            stats.pages += 1;
            const page = rows.slice(i, i + pageSize);
            stats.rows += page.length;
            yield page;
          }
        },
      };
    },
  };
}
