/**
 * How the period's AI spend was attributed, route by route, from a reconciliation report, and
 * what could attribute the unowned rest, largest first: with CUR the untagged IAM principals
 * that called Bedrock (one untagged gateway role puts every call through it on nobody) and the
 * untagged resource ids; with Cost Explorer, which has neither, the services.
 */
import type { Registry } from "../../registry";
import type { Report } from "../../reconciler";
import { formatShare } from "../../reconciler";
import { formatMoney } from "../../util/money";
import { printable } from "../../util/printable";
import type { DoctorItem } from "./item";

/** Unowned spend by what could attribute it, when the cost source can tell (CUR lines). */
export interface UnownedBreakdown {
  /** Callers whose principal tags were missing, by ARN. */
  readonly principals: readonly { readonly arn: string; readonly spend: number }[];
  /** Billed resources without a workflow tag, by resource id. */
  readonly resources: readonly { readonly id: string; readonly spend: number }[];
}

/** How many candidates each ranking names. */
const RANKED = 5;

/** The first day of the period with spend, or the period's first day. */
export function firstSpendDay(report: Report): string {
  const days = report.workflows.flatMap((w) =>
    w.daily.filter((d) => d.amount > 0).map((d) => d.date),
  );
  return days.sort()[0] ?? report.period.start;
}

export function spendRouteItems(
  report: Report,
  registry: Registry,
  breakdown?: UnownedBreakdown,
): DoctorItem[] {
  const money = (amount: number) => formatMoney(amount, report.currency);
  const ai = report.totals.aiSpend;
  const share = (amount: number) => (ai > 0 ? amount / ai : 0);
  const { resourceTag, principalTag, none } = report.attribution;
  const routes = `${formatShare(share(resourceTag))} by resource tag (${money(resourceTag)}), ${formatShare(share(principalTag))} by the caller's principal tag (${money(principalTag)}), ${formatShare(share(none))} unowned (${money(none)})`;
  const items: DoctorItem[] = [];
  const subject = `AI spend ${report.period.start} to ${report.period.end}`;
  if (ai === 0) {
    return [
      {
        check: "spend-routes",
        status: "ok",
        subject,
        message: "no AI spend in the period",
      },
    ];
  }
  const tagKey = registry.settings.tagKeys.workflow;
  const over = share(none) > registry.settings.unownedShareAlert;
  if (none === 0) {
    items.push({ check: "spend-routes", status: "ok", subject, message: routes });
    return items;
  }
  const ranked = rankings(report, breakdown, money);
  items.push({
    check: "spend-routes",
    status: over ? "error" : "warning",
    subject,
    message: `${routes}${over ? `, above the ${formatShare(registry.settings.unownedShareAlert)} alert` : ""}. ${ranked.what}`,
    fix: ranked.fix(tagKey),
  });
  return items;
}

function rankings(
  report: Report,
  breakdown: UnownedBreakdown | undefined,
  money: (amount: number) => string,
): { what: string; fix: (tagKey: string) => string } {
  const list = (entries: readonly { name: string; spend: number }[]) =>
    [...entries]
      .sort((a, b) => b.spend - a.spend || a.name.localeCompare(b.name))
      .slice(0, RANKED)
      .map((e) => `${printable(e.name)} ${money(e.spend)}`)
      .join(", ");
  if (breakdown !== undefined) {
    const principals = list(breakdown.principals.map((p) => ({ name: p.arn, spend: p.spend })));
    const resources = list(breakdown.resources.map((r) => ({ name: r.id, spend: r.spend })));
    return {
      what: `Unowned by caller: ${principals || "none"}; by resource: ${resources || "none"}`,
      fix: (tagKey) =>
        `tag the callers above (\`aws iam tag-role --role-name <name> --tags Key=${tagKey},Value=<workflow id>\`, or an STS session tag) and the resources above with ${tagKey}=<workflow id>, largest first`,
    };
  }
  const services = list(
    Object.entries(report.unowned.byService).map(([name, spend]) => ({ name, spend })),
  );
  return {
    what: `Unowned by service: ${services || "none"} (Cost Explorer cannot say which caller or resource; the CUR cost source can)`,
    fix: (tagKey) =>
      `tag the AI resources of those services, and the IAM roles and users that call Bedrock, with ${tagKey}=<workflow id>; run \`ai-spend-guard audit\` for the untagged resources and \`ai-spend-guard doctor\` for the untagged invokers`,
  };
}
