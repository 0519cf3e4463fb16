/**
 * Cost data for the local Cost Explorer: what the bill "contains", one day at a time.
 *
 * A dataset answers `day(date)` lazily, so the local endpoint can serve a synthetic month of a
 * million rows page by page without ever holding it in memory. Tests also read a dataset
 * directly to compute the totals they expect, independently of the Cost Explorer path.
 *
 * `syntheticDataset` builds the standard test/demo/benchmark bill: N workflows x D days x S
 * services, plus the awkward cases a real bill has (untagged spend, an unregistered tag value, a
 * case variant of a registered id, credits, an estimated current month).
 */
import { addDays } from "../util/dates";

/** One line of the bill: the cost of one service, for one tag value (or pair), on one day. */
export interface DatasetRow {
  /** `YYYY-MM-DD` */
  readonly date: string;
  /** The value of the dataset's tag key, or null when the resource carries no such tag. */
  readonly tag: string | null;
  /**
   * The value of the caller's principal tag (`iamPrincipal/<tagKey>`: the tag of the IAM role
   * or user that called Bedrock), or null / absent when the caller carried none or the line is
   * not a model call. Absent in datasets written before the principal route.
   */
  readonly principalTag?: string | null;
  /** The SERVICE dimension value, verbatim. */
  readonly service: string;
  /** The LINKED_ACCOUNT (12 digits). */
  readonly account: string;
  /** The USAGE_TYPE dimension value (e.g. USE1-Claude3Haiku-input-tokens); absent = none. */
  readonly usageType?: string;
  /** Decimal text; the cost for every cost metric unless `amounts` says otherwise. */
  readonly amount: string;
  /** Per-metric amounts (e.g. AmortizedCost differing from UnblendedCost). */
  readonly amounts?: Readonly<Partial<Record<string, string>>>;
}

export interface CostDataset {
  readonly name: string;
  /** The cost allocation tag key the rows' `tag` belongs to (e.g. "workflow"). */
  readonly tagKey: string;
  /** Currency code of every cost amount, e.g. "USD". */
  readonly unit: string;
  /** Days on or after this date are `Estimated` (not final yet); undefined = all final. */
  readonly estimatedFrom?: string;
  /** Account id -> name, as GetDimensionValues(LINKED_ACCOUNT) describes accounts. */
  readonly accountNames?: Readonly<Record<string, string>>;
  /** The rows of one day, deterministic (the same every call). Days without data yield none. */
  day(date: string): Iterable<DatasetRow>;
}

/** A dataset held in memory: for hand-written fixtures and the bundled demo. */
export function datasetFromRows(options: {
  readonly name: string;
  readonly tagKey: string;
  readonly unit?: string;
  readonly estimatedFrom?: string;
  readonly accountNames?: Readonly<Record<string, string>>;
  readonly rows: readonly DatasetRow[];
}): CostDataset {
  const byDate = new Map<string, DatasetRow[]>();
  for (const row of options.rows) {
    const list = byDate.get(row.date);
    if (list === undefined) byDate.set(row.date, [row]);
    else list.push(row);
  }
  return {
    name: options.name,
    tagKey: options.tagKey,
    unit: options.unit ?? "USD",
    ...(options.estimatedFrom === undefined ? {} : { estimatedFrom: options.estimatedFrom }),
    ...(options.accountNames === undefined ? {} : { accountNames: options.accountNames }),
    day: (date) => byDate.get(date) ?? [],
  };
}

/** Every row of `dataset` from `start` (inclusive) to `end` (exclusive), day by day. */
export function* datasetRows(
  dataset: CostDataset,
  start: string,
  end: string,
): Generator<DatasetRow> {
  for (let date = start; date < end; date = addDays(date, 1)) yield* dataset.day(date);
}

// ---------------------------------------------------------------------------------------------
// Synthetic bills

/**
 * Services a synthetic workflow uses, AI first: a workflow's bill is mostly model calls, with
 * the plumbing around them. Beyond this list, more Marketplace model editions are invented.
 */
export const SYNTHETIC_SERVICES: readonly string[] = [
  "Amazon Bedrock",
  "Claude 3 Haiku (Amazon Bedrock Edition)",
  "Amazon SageMaker",
  "Amazon Bedrock Service",
  "Amazon Textract",
  "Amazon Comprehend",
  "Claude Sonnet 4.5 (Amazon Bedrock Edition)",
  "Amazon Transcribe",
  "AWS Lambda",
  "Amazon Simple Storage Service",
  "Amazon DynamoDB",
  "AmazonCloudWatch",
  "Amazon Simple Queue Service",
  "AWS Step Functions",
  "Amazon API Gateway",
  "Amazon Elastic Compute Cloud - Compute",
  "Amazon OpenSearch Service",
  "AWS Key Management Service",
  "Amazon Simple Notification Service",
  "AWS Glue",
];

export interface SyntheticOptions {
  /** First day, `YYYY-MM-DD`. */
  readonly start: string;
  /** Number of days. */
  readonly days: number;
  /** Workflow ids, or a count (ids `wf-0001`, `wf-0002`, ...). */
  readonly workflows: readonly string[] | number;
  /** Services per workflow: the first S of `SYNTHETIC_SERVICES` (and invented ones beyond). */
  readonly services: number;
  readonly tagKey?: string;
  readonly unit?: string;
  /** Default: the first day of the month of the last day (the current month is estimated). */
  readonly estimatedFrom?: string;
  /** Linked accounts; workflows are spread across them. Default one account. */
  readonly accounts?: readonly string[];
  /** Varies the amounts; the same seed gives the same bill. */
  readonly seed?: number;
  /**
   * The awkward cases of a real bill, each on by default; set false to leave one out.
   * - untagged: spend with no workflow tag, on an AI service and on a non-AI service, daily;
   * - unregistered: spend tagged `shadow-experiment`, a value no registry lists, daily;
   * - caseVariant: spend tagged with the first workflow's id in Title-Case, daily;
   * - credits: on the 1st of each month, a credit larger than that day's charge on the first
   *   workflow's first service, so the day's amount is negative.
   */
  readonly extras?: Partial<
    Record<
      "untagged" | "unregistered" | "caseVariant" | "credits" | "conflict" | "principalTypo",
      boolean
    >
  >;
  /**
   * Model calls attributed by the caller's principal tag too (default false: resource tags
   * only, as bills before 2026-04). On, each workflow's Bedrock services alternate between
   * on-demand calls by its role (principal tag only: the common case) and calls through its
   * application inference profile (resource tag, and the same principal tag); with the extras
   * (only then): `conflict`, the first workflow's profile called daily by the second workflow's
   * role; `principalTypo`, a role tagged with the first id minus its last letter; and the
   * untagged lines come from an untagged gateway role (neither tag).
   */
  readonly principalRoute?: boolean;
}

/** A service whose lines a caller's principal tag reaches (Bedrock and its Marketplace models). */
function isModelService(service: string): boolean {
  return service.includes("Bedrock");
}

/** The tag value the synthetic bill uses for spend no registry lists. */
export const UNREGISTERED_VALUE = "shadow-experiment";

/** "support-triage" -> "Support-Triage": how a hand-typed tag drifts from a registered id. */
export function titleCaseVariant(id: string): string {
  return id.replace(
    /(^|[-_ ])([a-z])/g,
    (_, separator: string, letter: string) => separator + letter.toUpperCase(),
  );
}

/**
 * A deterministic synthetic bill, generated lazily a day at a time (the 1.2 M-row benchmark bill
 * never exists in memory at once).
 *
 * @example
 * const bill = syntheticDataset({ start: "2027-01-01", days: 45, workflows: ["support-triage"], services: 4 });
 */
export function syntheticDataset(options: SyntheticOptions): CostDataset {
  if (!Number.isInteger(options.days) || options.days < 1) {
    throw new RangeError(`syntheticDataset: days must be a whole number >= 1, got ${options.days}`);
  }
  if (!Number.isInteger(options.services) || options.services < 1) {
    throw new RangeError(
      `syntheticDataset: services must be a whole number >= 1, got ${options.services}`,
    );
  }
  const workflows =
    typeof options.workflows === "number"
      ? Array.from({ length: options.workflows }, (_, i) => `wf-${String(i + 1).padStart(4, "0")}`)
      : options.workflows;
  if (workflows.length === 0) throw new RangeError("syntheticDataset: no workflows");
  const services = Array.from({ length: options.services }, (_, i) =>
    i < SYNTHETIC_SERVICES.length
      ? SYNTHETIC_SERVICES[i]!
      : `Synthetic Model ${i + 1 - SYNTHETIC_SERVICES.length} (Amazon Bedrock Edition)`,
  );
  const accounts = options.accounts ?? ["111122223333"];
  if (accounts.length === 0) throw new RangeError("syntheticDataset: no accounts");
  const seed = options.seed ?? 1;
  const extras = {
    untagged: true,
    unregistered: true,
    caseVariant: true,
    credits: true,
    conflict: true,
    principalTypo: true,
  };
  const principalRoute = options.principalRoute === true;
  Object.assign(extras, options.extras);
  const end = addDays(options.start, options.days);
  const lastDay = addDays(end, -1);
  const estimatedFrom = options.estimatedFrom ?? `${lastDay.slice(0, 7)}-01`;
  const first = workflows[0]!;
  const modelServices = services.map(isModelService);

  function* day(date: string): Generator<DatasetRow> {
    if (date < options.start || date >= end) return;
    const dayKey = hash(seed, date.charCodeAt(8) * 10 + date.charCodeAt(9), hashText(date));
    for (let w = 0; w < workflows.length; w++) {
      const tag = workflows[w]!;
      const account = accounts[w % accounts.length]!;
      // Workflows differ in size (a few large, many small), services in share of the bill.
      const scale = 1 + (hash(seed, w, 7) % 40);
      for (let s = 0; s < services.length; s++) {
        const units = (hash(dayKey, w, s) % 1_000_000) * scale * 1_000 + (hash(seed, s, w) % 997);
        const service = services[s]!;
        const amount = fixed10(units);
        if (principalRoute && modelServices[s]) {
          // Even: on-demand calls by the workflow's role; odd: through its inference profile.
          if (s % 2 === 0) yield { date, tag: null, principalTag: tag, service, account, amount };
          else yield { date, tag, principalTag: tag, service, account, amount };
        } else {
          yield { date, tag, service, account, amount };
        }
      }
    }
    const account = accounts[0]!;
    if (extras.untagged) {
      yield { date, tag: null, service: services[0]!, account, amount: "3.2500000001" };
      yield {
        date,
        tag: null,
        service: "Amazon Elastic Compute Cloud - Compute",
        account,
        amount: "11.0000000000",
      };
    }
    if (extras.unregistered) {
      yield { date, tag: UNREGISTERED_VALUE, service: services[0]!, account, amount: "1.5" };
    }
    if (extras.caseVariant && titleCaseVariant(first) !== first) {
      yield { date, tag: titleCaseVariant(first), service: services[0]!, account, amount: "0.75" };
    }
    if (extras.credits && date.endsWith("-01")) {
      yield { date, tag: first, service: services[0]!, account, amount: "-5000.0000000000" };
    }
    const second = workflows[1];
    if (principalRoute && extras.conflict && second !== undefined) {
      yield {
        date,
        tag: first,
        principalTag: second,
        service: services[0]!,
        account,
        amount: "2.25",
      };
    }
    if (principalRoute && extras.principalTypo && first.length > 2) {
      yield {
        date,
        tag: null,
        principalTag: first.slice(0, -1),
        service: services[0]!,
        account,
        amount: "0.5",
      };
    }
  }

  return {
    name: `synthetic ${workflows.length} workflows x ${options.days} days x ${services.length} services`,
    tagKey: options.tagKey ?? "workflow",
    unit: options.unit ?? "USD",
    estimatedFrom,
    accountNames: Object.fromEntries(accounts.map((id, i) => [id, `account-${i + 1}`])),
    day,
  };
}

/** A non-negative integer of units x 10^-10 as Cost Explorer writes it: "12.3456789012". */
function fixed10(units: number): string {
  const text = String(units).padStart(11, "0");
  return `${text.slice(0, -10)}.${text.slice(-10)}`;
}

/** A small, fast integer hash (not cryptographic): deterministic amounts without a table. */
function hash(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (b + 0x165667b1), 0xc2b2ae35);
  h = Math.imul(h ^ (c + 0x27d4eb2f), 0x85ebca6b);
  h ^= h >>> 15;
  return h >>> 0;
}

function hashText(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
