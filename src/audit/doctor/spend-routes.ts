/**
 * How the period's AI spend was attributed, route by route, from a reconciliation report, and
 * what could attribute the unowned rest, largest first: with CUR the untagged IAM principals
 * that called Bedrock (one untagged gateway role puts every call through it on nobody) and the
 * untagged resource ids (the CUR report's `unownedBy`); with
 * Cost Explorer, which has neither, the services.
 */
import type { Registry } from "../../registry";
import type { RankingRest, Report } from "../../reconciler";
import { formatShare } from "../../reconciler";
import { formatMoney } from "../../util/money";
import { printable } from "../../util/printable";
import type { DoctorItem } from "./item";

/** How many candidates each ranking names. */
const RANKED = 5;

/** The first day of the period with spend, or the period's first day. */
export function firstSpendDay(report: Report): string {
  const days = report.workflows.flatMap((w) =>
    w.daily.filter((d) => d.amount > 0).map((d) => d.date),
  );
  return days.sort()[0] ?? report.period.start;
}

export function spendRouteItems(report: Report, registry: Registry): DoctorItem[] {
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
  const ranked = rankings(report, money);
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
  money: (amount: number) => string,
): { what: string; fix: (tagKey: string) => string } {
  const list = (entries: readonly { name: string; spend: number }[], rest?: RankingRest) => {
    const sorted = [...entries].sort((a, b) => b.spend - a.spend || a.name.localeCompare(b.name));
    const named = sorted.slice(0, RANKED).map((e) => `${printable(e.name)} ${money(e.spend)}`);
    const count = sorted.length - RANKED + (rest?.count ?? 0);
    if (count > 0) {
      const spend = sorted.slice(RANKED).reduce((so, e) => so + e.spend, rest?.spend ?? 0);
      named.push(`${count} more ${money(spend)}`);
    }
    return named.join(", ");
  };
  if (report.source === "cur") {
    const by = report.unownedBy;
    const principals = list(
      by.principals.map((p) => ({ name: p.principal, spend: p.spend })),
      by.principalsRest,
    );
    const resources = list(
      by.resources.map((r) => ({ name: `${r.resourceId} (${r.service})`, spend: r.spend })),
      by.resourcesRest,
    );
    const without = (amount: number, what: string) =>
      amount === 0 ? "" : ` (${money(amount)} on lines naming no ${what})`;
    return {
      what: `Unowned by caller: ${principals || "none"}${without(by.withoutPrincipal, "caller")}; by resource: ${resources || "none"}${without(by.withoutResource, "resource")}`,
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
