/**
 * What the digests say about the report's `audit` and `health` sections: an owner reads their
 * own AI resources that need action (made outside IaC, or failing a mandatory rule), found by
 * the resources' own tags; the unowned-spend contact reads the resources whose tags name
 * nobody who gets a digest, and the attribution plumbing's errors with their fixes.
 */
import type { Report, ReportAuditResource } from "./types";
import { printable } from "../util/printable";
import { wrap } from "../util/wrap";

const WIDTH = 76;

/** What a resource made outside IaC needs, the one wording of the digests and the HTML report. */
export const OUTSIDE_IAC_FIX =
  "made outside IaC (no stack manages it): import it into a stack or delete it";
const LISTED = 20;

function resourceLines(resources: readonly ReportAuditResource[]): string[] {
  const lines: string[] = [];
  for (const r of resources.slice(0, LISTED)) {
    const why = [
      ...(r.outsideIac ? [OUTSIDE_IAC_FIX] : []),
      ...r.findings.filter((f) => f.enforcement === "mandatory").map((f) => f.message),
    ];
    lines.push(`- ${printable(r.arn)}`);
    for (const reason of why) {
      lines.push(
        ...wrap(printable(reason), WIDTH - 4, { breakWords: true }).map((l) => `    ${l}`),
      );
    }
  }
  if (resources.length > LISTED)
    lines.push(`- and ${resources.length - LISTED} more (see the report's audit section)`);
  return lines;
}

/** The owner's own resources that need action; none when the report has no audit. */
export function ownerAuditLines(report: Report, owner: string): string[] {
  const mine = (report.audit?.needsAction ?? []).filter((r) => r.owner === owner);
  if (mine.length === 0) return [];
  return ["YOUR AI RESOURCES THAT NEED ACTION (account audit)", ...resourceLines(mine), ""];
}

/** For the unowned-spend contact: resources nobody's digest names, and the plumbing's errors. */
export function unownedAuditLines(report: Report, digestOwners: ReadonlySet<string>): string[] {
  const lines: string[] = [];
  const audit = report.audit;
  if (audit !== undefined) {
    const orphans = audit.needsAction.filter((r) => r.owner === null || !digestOwners.has(r.owner));
    lines.push(
      `ACCOUNT AUDIT: ${audit.resources} AI resource(s), ${audit.needsAction.length} need action${audit.complete ? "" : " (incomplete)"}`,
    );
    if (orphans.length > 0) {
      lines.push("Resources whose tags name no digest recipient:", ...resourceLines(orphans));
    }
    for (const note of audit.notes)
      lines.push(...wrap(`note: ${printable(note)}`, WIDTH, { breakWords: true }));
    lines.push("");
  }
  const health = report.health;
  if (health !== undefined) {
    const bad = health.items.filter((i) => i.status !== "ok");
    lines.push(
      `ATTRIBUTION PLUMBING: ${bad.length === 0 ? "no problem found" : `${bad.length} item(s)`}`,
    );
    for (const item of bad) {
      lines.push(
        ...wrap(
          `- [${item.status}] ${printable(item.subject)}: ${printable(item.message)}`,
          WIDTH,
          { breakWords: true },
        ).map((l, i) => (i === 0 ? l : `  ${l}`)),
      );
      if (item.fix !== null)
        lines.push(
          ...wrap(`fix: ${printable(item.fix)}`, WIDTH - 4, { breakWords: true }).map(
            (l) => `    ${l}`,
          ),
        );
    }
    lines.push("");
  }
  return lines;
}
