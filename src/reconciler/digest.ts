/**
 * The messages people receive: one digest per owner covering all their workflows, and one
 * summary for the unowned-spend contact. Plain text that reads well in an email client
 * (short lines, no markup), with a subject that names the most serious flag. Pure.
 */
import { ownerAuditLines, unownedAuditLines } from "./digest-audit";
import {
  formatCostPerAccepted,
  formatItemCount,
  formatRatio,
  formatReworkAndExceptions,
  formatShare,
  quoteUntrusted,
  unregisteredHint,
} from "./format";
import { bySeverity, SEVERITY_RANK } from "./severity";
import type { Severity } from "./severity";
import type { Flag, Report, WorkflowReport } from "./types";
import type { Registry } from "../registry";
import { formatMoney } from "../util/money";
import { printable } from "../util/printable";
import { wrap } from "../util/wrap";

/** SNS rejects a longer subject. */
export const SUBJECT_LIMIT = 100;

/** SNS rejects a message larger than 256 KiB (UTF-8 bytes; message attributes count too). */
export const MESSAGE_LIMIT_BYTES = 262_144;

/** Kept free for the subject and the message attributes, which share the limit. */
const ATTRIBUTE_ROOM_BYTES = 4_096;

export interface Message {
  /** Digest for a workflow owner, or the summary for the unowned-spend contact. */
  readonly kind: "owner-digest" | "unowned-summary" | "reviewer-alert";
  /** The email address (SNS `owner` message attribute: the subscription filter matches it). */
  readonly recipient: string;
  readonly subject: string;
  readonly body: string;
  /** Workflow ids the message covers (for logs: ids, never addresses). */
  readonly workflowIds: readonly string[];
}

/** Every message of a run: one per owner (registry order), then the unowned summary. */
export function composeMessages(report: Report, registry: Registry): Message[] {
  const byOwner = new Map<string, WorkflowReport[]>();
  for (const workflow of report.workflows) {
    const list = byOwner.get(workflow.owner) ?? [];
    list.push(workflow);
    byOwner.set(workflow.owner, list);
  }
  const messages: Message[] = [];
  for (const [owner, workflows] of byOwner)
    messages.push(ownerDigest(report, registry, owner, workflows));
  messages.push(...reviewerAlerts(report));
  messages.push(unownedSummary(report, registry));
  return messages;
}

/**
 * The flags that name someone besides the owner (`alsoTo`: the reviewer of a review queue),
 * one message per such person who does not already get them in an owner digest.
 */
function reviewerAlerts(report: Report): Message[] {
  const byRecipient = new Map<string, { flag: Flag; workflow: WorkflowReport }[]>();
  for (const workflow of report.workflows) {
    for (const flag of workflow.flags) {
      for (const recipient of flag.alsoTo ?? []) {
        if (recipient === workflow.owner) continue;
        const list = byRecipient.get(recipient) ?? [];
        list.push({ flag, workflow });
        byRecipient.set(recipient, list);
      }
    }
  }
  const month = report.period.start.slice(0, 7);
  return [...byRecipient].map(([recipient, flags]) => {
    const ids = [...new Set(flags.map((f) => f.workflow.id))];
    const lines = [
      `Review triggers, ${describePeriod(report)}.`,
      `You receive this as the reviewer named in the registry for ${ids.join(", ")}; the owner has it too.`,
      "",
    ];
    for (const { flag, workflow } of flags) {
      lines.push(
        ...wrapBullet(
          `- [${SEVERITY_LABEL[flag.severity]}] ${workflow.id} (owner ${workflow.owner}): ${flag.message}`,
        ),
      );
    }
    lines.push("");
    return {
      kind: "reviewer-alert" as const,
      recipient,
      subject: subjectLine(flags, "review triggers", month),
      body: fitBody(lines, footer(report)),
      workflowIds: ids,
    };
  });
}

const SEVERITY_LABEL: Readonly<Record<Severity, string>> = {
  critical: "CRITICAL",
  warning: "WARNING",
  info: "INFO",
};

/** Short subject phrase per flag kind. */
function headline(flag: Flag, workflow?: WorkflowReport): string {
  const id = workflow?.id ?? "";
  switch (flag.kind) {
    case "over-budget":
      return `${id} over budget (${formatShare(workflow?.budgetUsed ?? 0)} used)`;
    case "forecast-over-budget":
      return `${id} forecast over budget`;
    case "growth":
      return `${id} spend up ${formatRatio(workflow?.growth ?? 0)} week on week`;
    case "past-review-date":
      return `${id} past its review date`;
    case "no-spend":
      return `${id} shows no spend`;
    case "unowned-share":
      return "unowned AI spend above the alert";
    case "unregistered-tag":
      return "unregistered workflow tag values";
    case "currency-mismatch":
      return "spend in another currency left out";
    case "estimated-data":
      return "figures still estimated";
    case "attribution-conflict":
      return workflow === undefined
        ? "spend tagged for one workflow, called by another"
        : `${id} spend tagged for one workflow, called by another`;
    case "outcomes-unmeasured":
      return `${id} outcomes not measured`;
    case "nothing-accepted":
      return `${id} had no accepted output`;
    case "cheap-model-dearer":
      return `${id} cheapest model dearer per accepted outcome`;
    case "review-queue":
      return `${id} review queue needs a person`;
    case "unit-price-change":
      return `${id} unit price changed`;
    case "rework-rate":
      return `${id} rework above expected`;
    case "renewal-due":
      return `${id} renewal due`;
  }
}

/**
 * `[CRITICAL] contract-drafting over budget (112% used) +2 more - AI spend 2026-11`, cut to
 * SNS's 100 characters and its character set (printable ASCII).
 */
export function subjectLine(
  flags: readonly { flag: Flag; workflow?: WorkflowReport }[],
  fallback: string,
  month: string,
): string {
  const serious = flags.filter((f) => f.flag.severity !== "info");
  const ranked = [...serious].sort(
    (a, b) => SEVERITY_RANK[a.flag.severity] - SEVERITY_RANK[b.flag.severity],
  );
  const top = ranked[0];
  const suffix = ` - AI spend ${month}`;
  let text: string;
  if (top === undefined) {
    text = `${fallback}${suffix}`;
  } else {
    const more = ranked.length > 1 ? ` +${ranked.length - 1} more` : "";
    text = `[${SEVERITY_LABEL[top.flag.severity]}] ${headline(top.flag, top.workflow)}${more}${suffix}`;
  }
  const printable = text.replace(/[^\x20-\x7e]/g, "?");
  return printable.length <= SUBJECT_LIMIT
    ? printable
    : `${printable.slice(0, SUBJECT_LIMIT - 3)}...`;
}

function ownerDigest(
  report: Report,
  registry: Registry,
  owner: string,
  workflows: readonly WorkflowReport[],
): Message {
  const currency = report.currency;
  const money = (amount: number) => formatMoney(amount, currency);
  const month = report.period.start.slice(0, 7);
  const flags = workflows.flatMap((workflow) => workflow.flags.map((flag) => ({ flag, workflow })));
  const total = workflows.reduce((sum, w) => sum + w.spend, 0);
  const subject = subjectLine(
    flags,
    `${workflows.length} workflow(s), ${money(total)}, nothing to act on`,
    month,
  );

  const lines: string[] = [
    `AI spend by workflow, ${describePeriod(report)}.`,
    `You own ${workflows.length} workflow(s) in the registry (${registry.source}).`,
    "",
  ];
  const attention = flags.filter((f) => f.flag.severity !== "info");
  if (attention.length > 0) {
    lines.push("NEEDS ATTENTION");
    const ranked = bySeverity(attention.map((f) => f.flag));
    for (const flag of ranked) {
      const workflow = attention.find((f) => f.flag === flag)!.workflow;
      lines.push(
        ...wrapBullet(`- [${SEVERITY_LABEL[flag.severity]}] ${workflow.id}: ${flag.message}`),
      );
    }
    lines.push("");
  } else {
    lines.push("Nothing needs your attention.", "");
  }

  lines.push(...ownerAuditLines(report, owner));
  for (const workflow of workflows) {
    const registered = registry.workflows.find((w) => w.id === workflow.id);
    lines.push(`${workflow.id} (${workflow.stage})`);
    const row = (label: string, value: string) => lines.push(`  ${label.padEnd(26)}${value}`);
    const budget =
      workflow.budget === null
        ? ""
        : `  of ${money(workflow.budget)} (${formatShare(workflow.budgetUsed ?? 0)})`;
    row("Cloud spend this month", `${money(workflow.spend)}${budget}`);
    row("Projected month end", money(workflow.projectedSpend));
    row("Last month", money(workflow.lastMonthSpend));
    row(
      "Last 7 days vs 7 before",
      workflow.growth === null ? "no spend the week before" : formatRatio(workflow.growth),
    );
    if (registered?.review !== undefined) {
      const items =
        workflow.items === null
          ? "no volume in the registry"
          : `${formatItemCount(workflow.items)} items, ${workflow.reviewCostBasis}`;
      row("Human review", `${money(workflow.reviewCost)} (${items})`);
    }
    row("Fully loaded", money(workflow.fullyLoaded));
    if (workflow.costPerItem !== null) row("Cost per item", money(workflow.costPerItem));
    const outcomes = workflow.outcomes;
    if (outcomes !== null) {
      row("Cost per accepted outcome", formatCostPerAccepted(outcomes, currency));
      row("Rework / exceptions", formatReworkAndExceptions(outcomes, currency));
      if (outcomes.basisReason !== null) {
        lines.push(
          ...wrap(`Outcomes estimated: ${outcomes.basisReason}.`, BULLET_WIDTH - 2, {
            breakWords: false,
          }).map((l) => `  ${l}`),
        );
      }
    }
    const unseen = budgetBlindShare(workflow);
    if (unseen !== null) {
      row("By resource tag", money(workflow.attribution.resourceTag));
      row("By caller's role tag", money(workflow.attribution.principalTag));
      const watchers =
        workflow.budget === null
          ? "its anomaly monitor filters"
          : "its AWS budget and anomaly monitor filter";
      const note = `${formatShare(unseen)} of this spend reached the workflow through the tag of the IAM role or user that called the model, not a resource tag: ${watchers} on resource tags and cannot see it. This digest is the full picture.`;
      lines.push(...wrap(note, BULLET_WIDTH - 2, { breakWords: false }).map((l) => `  ${l}`));
    }
    const services = Object.entries(workflow.spendByService).sort(([, a], [, b]) => b - a);
    if (services.length > 0) {
      lines.push("  By service:");
      for (const [service, amount] of services) {
        lines.push(`    ${quoteUntrusted(service).slice(1, -1).padEnd(40)} ${money(amount)}`);
      }
    }
    lines.push("");
  }
  return {
    kind: "owner-digest",
    recipient: owner,
    subject,
    body: fitBody(lines, footer(report)),
    workflowIds: workflows.map((w) => w.id),
  };
}

function unownedSummary(report: Report, registry: Registry): Message {
  const money = (amount: number) => formatMoney(amount, report.currency);
  const month = report.period.start.slice(0, 7);
  const unregisteredTotal = report.unregistered.reduce((sum, u) => sum + u.spend, 0);
  const subject = subjectLine(
    report.flags.map((flag) => ({ flag })),
    `${formatShare(report.totals.attributedShare)} of AI spend attributed`,
    month,
  );
  const lines: string[] = [
    `AI spend nobody owns, ${describePeriod(report)}.`,
    `You receive this as the unowned-spend contact of the registry (${registry.source}).`,
    "",
    `  ${"AI spend".padEnd(26)}${money(report.totals.aiSpend)}`,
    `  ${"Attributed to workflows".padEnd(26)}${formatShare(report.totals.attributedShare)}`,
    `  ${"Unowned (untagged)".padEnd(26)}${money(report.unowned.spend)}`,
    `  ${"Unregistered tag values".padEnd(26)}${money(unregisteredTotal)}`,
    `  ${"All cloud spend".padEnd(26)}${money(report.totals.spend)}`,
    "",
    "  AI spend by the tag that attributed it",
    `  ${"  Resource tag".padEnd(26)}${money(report.attribution.resourceTag)}`,
    `  ${registry.settings.principalTags ? "  Caller's role tag".padEnd(26) + money(report.attribution.principalTag) : "  Caller's role tag".padEnd(26) + "not read (settings.principalTags: false)"}`,
    `  ${"  Neither".padEnd(26)}${money(report.attribution.none)}`,
    "",
  ];
  if (report.flags.length > 0) {
    lines.push("FLAGS");
    for (const flag of report.flags)
      lines.push(...wrapBullet(`- [${SEVERITY_LABEL[flag.severity]}] ${flag.message}`));
    lines.push("");
  }
  const services = Object.entries(report.unowned.byService).sort(([, a], [, b]) => b - a);
  if (services.length > 0) {
    lines.push("UNTAGGED AI SPEND BY SERVICE");
    for (const [service, amount] of services) {
      lines.push(`  ${quoteUntrusted(service).slice(1, -1).padEnd(40)} ${money(amount)}`);
    }
    lines.push("");
  }
  if (report.unregistered.length > 0) {
    lines.push("UNREGISTERED TAG VALUES");
    for (const entry of report.unregistered) {
      const hint = entry.suggestion === null ? "" : `  ${unregisteredHint(entry)}`;
      const where = entry.route === "principalTag" ? " (caller's role tag)" : "";
      lines.push(
        `  ${quoteUntrusted(entry.value).padEnd(40)} ${money(entry.spend)}${where}${hint}`,
      );
    }
    lines.push("");
  }
  lines.push(...unownedAuditLines(report, new Set(report.workflows.map((w) => w.owner))));
  if (report.attribution.conflicts.length > 0) {
    lines.push("ATTRIBUTION CONFLICTS (counted under the resource tag)");
    for (const conflict of report.attribution.conflicts) {
      lines.push(
        `  resource ${quoteUntrusted(conflict.resourceTag)}, caller ${quoteUntrusted(conflict.principalTag)}: ${money(conflict.spend)}`,
      );
    }
    lines.push("");
  }
  return {
    kind: "unowned-summary",
    recipient: registry.settings.unownedSpendContact,
    subject,
    body: fitBody(lines, footer(report)),
    workflowIds: [],
  };
}

/**
 * The message text: `lines` then `footer`, cut so that SNS accepts it. Tag values are anyone's
 * to write, so thousands of long unregistered values would otherwise make a summary SNS
 * refuses on every retry. Whole lines are kept from the top (totals and the most serious flags
 * come first), and a note says how many were left out and where the rest is.
 */
export function fitBody(
  rawLines: readonly string[],
  rawFooter: readonly string[],
  limit = MESSAGE_LIMIT_BYTES - ATTRIBUTE_ROOM_BYTES,
): string {
  // The last word on what reaches an inbox: every line neutralised (registry strings, flag
  // messages and bill values alike), so no value can start a line or reorder one.
  const lines = rawLines.map((line) => printable(line));
  const footer = rawFooter.map((line) => printable(line));
  const size = (text: string) => Buffer.byteLength(text, "utf8");
  const whole = [...lines, ...footer].join("\n");
  if (size(whole) <= limit) return whole;
  const note = (left: number) =>
    `... ${left} more ${left === 1 ? "line" : "lines"} left out to fit one message: see report.json for everything.`;
  // Room for the footer and the longest note, each on its own line.
  let used = size(footer.join("\n")) + size(note(lines.length)) + 2;
  let kept = 0;
  for (const line of lines) {
    const next = used + size(line) + 1;
    if (next > limit) break;
    used = next;
    kept += 1;
  }
  return [...lines.slice(0, kept), note(lines.length - kept), "", ...footer].join("\n");
}

/**
 * Wraps a bullet at 76 characters with a hanging indent: plain-text mail is read in narrow
 * panes, and some clients do not re-flow long lines. A long word (an address, a quoted tag
 * value) is kept whole.
 */
function wrapBullet(text: string): string[] {
  return wrap(text, BULLET_WIDTH, { indent: "  ", breakWords: false });
}

/**
 * Share of a workflow's spend its AWS budget cannot see (the budget filters on the resource
 * tag; principal-tag spend reaches the workflow only here), or null when there is none.
 */
export function budgetBlindShare(workflow: WorkflowReport): number | null {
  const unseen = workflow.attribution.principalTag;
  if (unseen === 0 || workflow.spend <= 0) return null;
  return unseen / workflow.spend;
}

/** Width of a digest line. */
export const BULLET_WIDTH = 76;

function describePeriod(report: Report): string {
  const last = new Date(Date.parse(`${report.period.end}T00:00:00Z`) - 86_400_000)
    .toISOString()
    .slice(0, 10);
  return `${report.period.start} to ${last} (month to date, ${report.currency})`;
}

function footer(report: Report): string[] {
  return [
    "--",
    `Cost Explorer ${report.metric}; Cost Explorer requests this run: ${report.ceRequests}.`,
    "Review cost = items x share checked x minutes per item / 60 x hourly rate.",
    "Generated by ai-spend-guard from the workflow registry.",
  ];
}
