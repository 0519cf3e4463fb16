/**
 * Stage 3 of the demo: what the stack program would create for the registry, read from the
 * resources it registers under Pulumi's mocks (`stacks/preview.ts`; no CLI, no AWS). The listing
 * is plain data, so the terminal, `--json` and the tests read the same thing.
 */
import type { RegisteredResource } from "../../stacks/preview";

export const TYPES = {
  budget: "aws:budgets/budget:Budget",
  anomalyMonitor: "aws:costexplorer/anomalyMonitor:AnomalyMonitor",
  anomalySubscription: "aws:costexplorer/anomalySubscription:AnomalySubscription",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  topicSubscription: "aws:sns/topicSubscription:TopicSubscription",
} as const;

export interface BudgetListing {
  readonly name: string;
  /** The workflow whose tag the budget filters on, or null when it filters on none. */
  readonly workflow: string | null;
  /** The monthly limit as AWS receives it (decimal text). */
  readonly limit: string;
  readonly currency: string;
  /** One per notification, e.g. "80% actual", "100% forecast". */
  readonly thresholds: readonly string[];
  /** Email addresses, then SNS topics (by name), each once. */
  readonly subscribers: readonly string[];
}

export interface AnomalyMonitorListing {
  readonly name: string;
  /** "workflow=support-triage": the cost allocation tag it watches. */
  readonly watches: string;
}

export interface AnomalySubscriptionListing {
  readonly name: string;
  readonly frequency: string;
  readonly subscribers: readonly string[];
  /** Smallest total impact reported, e.g. ">= 120", or null when every anomaly is. */
  readonly minimumImpact: string | null;
}

export interface AlarmListing {
  readonly name: string;
  /** "AWS/Lambda Errors Sum >= 1 over 3600 s", "... < 1 over 26 x 3600 s" (every period) */
  readonly condition: string;
  readonly description: string;
}

export interface SubscriptionListing {
  /** The topic's name (the last part of its ARN). */
  readonly topic: string;
  readonly protocol: string;
  readonly endpoint: string;
  /** The filter policy (JSON text), or null when the endpoint receives every message. */
  readonly filter: string | null;
}

export interface StackListing {
  /** Every resource the program registers, components included. */
  readonly resources: number;
  readonly budgets: readonly BudgetListing[];
  readonly anomalyMonitors: readonly AnomalyMonitorListing[];
  readonly anomalySubscriptions: readonly AnomalySubscriptionListing[];
  readonly alarms: readonly AlarmListing[];
  readonly subscriptions: readonly SubscriptionListing[];
  /** The other cloud resources, by type token: how many of each. */
  readonly others: Readonly<Record<string, number>>;
}

/**
 * Run the stack program under mocks for the registry at `registryPath` and list it. The Pulumi
 * SDK and the AWS provider take a second or two to load, so they are loaded here, on demand,
 * and never by the CLI's other commands.
 */
export async function previewStackListing(
  registryPath: string,
  cwd: string,
): Promise<StackListing> {
  const { previewStack } = await import("../../stacks/preview.js");
  return listStack(await previewStack(registryPath, { bundle: false, cwd }));
}

/** The listing of registered resources, each section sorted by name (stable output). */
export function listStack(resources: readonly RegisteredResource[]): StackListing {
  const of = (type: string) =>
    resources.filter((r) => r.type === type).sort((a, b) => compare(a.name, b.name));
  const listed = new Set<string>(Object.values(TYPES));
  const others: Record<string, number> = {};
  for (const r of resources) {
    if (!r.custom || listed.has(r.type)) continue;
    others[r.type] = (others[r.type] ?? 0) + 1;
  }
  return {
    resources: resources.length,
    budgets: of(TYPES.budget).map(budget),
    anomalyMonitors: of(TYPES.anomalyMonitor).map(anomalyMonitor),
    anomalySubscriptions: of(TYPES.anomalySubscription).map(anomalySubscription),
    alarms: of(TYPES.alarm).map(alarm),
    subscriptions: of(TYPES.topicSubscription)
      .map(subscription)
      .sort((a, b) => compare(a.topic, b.topic) || compare(a.endpoint, b.endpoint)),
    others: Object.fromEntries(Object.entries(others).sort(([a], [b]) => compare(a, b))),
  };
}

interface Notification {
  readonly notificationType?: string;
  readonly threshold?: number;
  readonly thresholdType?: string;
  readonly subscriberEmailAddresses?: readonly string[];
  readonly subscriberSnsTopicArns?: readonly string[];
}

function budget(r: RegisteredResource): BudgetListing {
  const inputs = r.inputs;
  const notifications = (inputs.notifications as readonly Notification[] | undefined) ?? [];
  const filters = (inputs.costFilters as readonly { name?: string; values?: string[] }[]) ?? [];
  const tagFilter = filters.find((f) => f.name === "TagKeyValue")?.values?.[0];
  const emails = notifications.flatMap((n) => n.subscriberEmailAddresses ?? []);
  const topics = notifications.flatMap((n) => (n.subscriberSnsTopicArns ?? []).map(arnName));
  return {
    name: text(inputs.name, r.name),
    // `user:workflow$support-triage`: the value after the `$`.
    workflow: tagFilter === undefined ? null : tagFilter.slice(tagFilter.indexOf("$") + 1),
    limit: text(inputs.limitAmount, "?"),
    currency: text(inputs.limitUnit, ""),
    thresholds: notifications.map(
      (n) =>
        `${n.threshold ?? "?"}${n.thresholdType === "ABSOLUTE_VALUE" ? "" : "%"} ${
          n.notificationType === "FORECASTED" ? "forecast" : "actual"
        }`,
    ),
    subscribers: [...new Set([...emails, ...topics])],
  };
}

function anomalyMonitor(r: RegisteredResource): AnomalyMonitorListing {
  let watches = "?";
  try {
    const spec = JSON.parse(text(r.inputs.monitorSpecification, "{}")) as {
      Tags?: { Key?: string; Values?: string[] };
    };
    if (spec.Tags?.Key !== undefined)
      watches = `${spec.Tags.Key}=${(spec.Tags.Values ?? []).join("|")}`;
  } catch {
    // An unparseable specification is shown as "?" rather than failing the listing.
  }
  return { name: text(r.inputs.name, r.name), watches };
}

function anomalySubscription(r: RegisteredResource): AnomalySubscriptionListing {
  const subscribers = (r.inputs.subscribers as readonly { address?: string }[] | undefined) ?? [];
  const dimension = (
    r.inputs.thresholdExpression as { dimension?: { values?: string[] } } | undefined
  )?.dimension;
  const impact = dimension?.values?.[0];
  return {
    name: text(r.inputs.name, r.name),
    frequency: text(r.inputs.frequency, "?"),
    subscribers: subscribers.map((s) => (s.address === undefined ? "?" : arnName(s.address))),
    minimumImpact: impact === undefined ? null : `>= ${impact}`,
  };
}

const COMPARISONS: Readonly<Record<string, string>> = {
  GreaterThanOrEqualToThreshold: ">=",
  GreaterThanThreshold: ">",
  LessThanThreshold: "<",
  LessThanOrEqualToThreshold: "<=",
};

function alarm(r: RegisteredResource): AlarmListing {
  const i = r.inputs;
  const comparison = text(i.comparisonOperator, "?");
  const periods =
    typeof i.evaluationPeriods === "number" && i.evaluationPeriods > 1
      ? `${i.evaluationPeriods} x `
      : "";
  return {
    name: text(i.name, r.name),
    condition: `${text(i.namespace, "?")} ${text(i.metricName, "?")} ${text(i.statistic, "?")} ${
      COMPARISONS[comparison] ?? comparison
    } ${String(i.threshold ?? "?")} over ${periods}${String(i.period ?? "?")} s`,
    description: text(i.alarmDescription, ""),
  };
}

function subscription(r: RegisteredResource): SubscriptionListing {
  return {
    topic: arnName(text(r.inputs.topic, "?")),
    protocol: text(r.inputs.protocol, "?"),
    endpoint: text(r.inputs.endpoint, "?"),
    filter: typeof r.inputs.filterPolicy === "string" ? r.inputs.filterPolicy : null,
  };
}

/** `arn:aws:sns:us-east-1:123456789012:reconciler-alerts` -> `reconciler-alerts`. */
function arnName(arn: string): string {
  return arn.startsWith("arn:") ? arn.slice(arn.lastIndexOf(":") + 1) : arn;
}

function text(value: unknown, fallback: string): string {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : fallback;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
