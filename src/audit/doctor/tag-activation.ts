/**
 * Are the workflow and owner tag keys active cost allocation tags, as resource tags and,
 * separately, as the calling principal's tags (`iamPrincipal/<key>`)? An inactive key leaves
 * spend unattributed; a key activated after the period's first spend left that spend untagged
 * unless a backfill is requested (`StartCostAllocationTagBackfill`, from a month's first day,
 * no further back than twelve months).
 */
import type { Registry } from "../../registry";
import { principalTagKey } from "../../reconciler/attribution";
import { addDays } from "../../util/dates";
import type { DoctorItem } from "./item";

/** A key as `ListCostAllocationTags` returns it. */
export interface CostAllocationTagInfo {
  readonly key: string;
  readonly status: "Active" | "Inactive";
  /** When its status last changed (`YYYY-MM-DD...`), if AWS says. */
  readonly lastUpdated?: string;
  /** When it was last seen on a bill line (`YYYY-MM-DD...`), if AWS says. */
  readonly lastUsed?: string;
}

/** The keys attribution needs: the registry's workflow and owner keys, on both routes. */
export function attributionTagKeys(
  registry: Registry,
): { readonly key: string; readonly route: "resource" | "principal" }[] {
  const { workflow, owner } = registry.settings.tagKeys;
  return [
    { key: workflow, route: "resource" },
    { key: owner, route: "resource" },
    { key: principalTagKey(workflow), route: "principal" },
    { key: principalTagKey(owner), route: "principal" },
  ];
}

/** The first day of the month `date` is in, as Cost Explorer's backfill wants it. */
export function backfillStart(date: string, today: string): string {
  const month = `${date.slice(0, 7)}-01`;
  // "Dates can't precede the previous twelve months."
  const earliest = `${addDays(`${today.slice(0, 7)}-15`, -365).slice(0, 7)}-01`;
  return `${month < earliest ? earliest : month}T00:00:00Z`;
}

export function backfillCommand(from: string): string {
  return `aws ce start-cost-allocation-tag-backfill --backfill-from ${from}`;
}

/**
 * One item per key. `firstSpend` is the first day of spend the keys must cover (the report's
 * first day with spend, or the period's first day).
 */
export function tagActivationItems(
  registry: Registry,
  tags: readonly CostAllocationTagInfo[],
  firstSpend: string,
  today: string,
): DoctorItem[] {
  const byKey = new Map(tags.map((t) => [t.key, t] as const));
  return attributionTagKeys(registry).map(({ key, route }) => {
    const subject = key;
    const found = byKey.get(key);
    const kind = route === "principal" ? "IAM principal tag" : "resource tag";
    const activate = `aws ce update-cost-allocation-tags-status --cost-allocation-tags-status TagKey=${key},Status=Active (or the stack's cost allocation tags, from the management account)`;
    if (found === undefined) {
      return {
        check: "tag-activation",
        status: "warning",
        subject,
        message:
          route === "principal"
            ? `${kind} key "${key}" is not listed yet: AWS lists it only after a role or user tagged "${key.slice(key.indexOf("/") + 1)}" has called Bedrock (allow 24 h), so principal-tag attribution cannot work until then`
            : `${kind} key "${key}" is not listed: no billed resource has carried it yet (AWS lists a key up to 24 h after it first appears)`,
        fix:
          route === "principal"
            ? `tag the IAM roles and users that call Bedrock with "${key.slice(key.indexOf("/") + 1)}", then, once the key is listed, ${activate}`
            : `tag the AI resources with "${key}", then, once the key is listed, ${activate}`,
      } satisfies DoctorItem;
    }
    if (found.status !== "Active") {
      return {
        check: "tag-activation",
        status: "error",
        subject,
        message: `${kind} key "${key}" is inactive: Cost Explorer and CUR leave it out, so spend it would attribute counts as unowned`,
        fix: activate,
      } satisfies DoctorItem;
    }
    const activated = found.lastUpdated?.slice(0, 10);
    if (activated !== undefined && activated > firstSpend) {
      const from = backfillStart(firstSpend, today);
      return {
        check: "tag-activation",
        status: "warning",
        subject,
        message: `${kind} key "${key}" was activated on ${activated}, after the first spend of the period (${firstSpend}): spend before ${activated} does not carry it`,
        fix: `request a backfill: ${backfillCommand(from)} (or run \`ai-spend-guard doctor --fix\`; once every 24 hours)`,
        backfillFrom: from,
      } satisfies DoctorItem;
    }
    return {
      check: "tag-activation",
      status: "ok",
      subject,
      message: `${kind} key "${key}" is active${activated === undefined ? "" : ` since ${activated}`}`,
    } satisfies DoctorItem;
  });
}

/** The earliest backfill date the items ask for (one request backfills every key). */
export function backfillRequest(items: readonly DoctorItem[]): string | undefined {
  const dates = items.flatMap((item) =>
    item.status === "warning" && item.backfillFrom !== undefined ? [item.backfillFrom] : [],
  );
  return dates.sort()[0];
}
