/** The audit's and the doctor's reports for people: tables, fixes, and what was not checked. */
import type { AuditReport, DoctorReport } from "../audit";
import { printable } from "../util/printable";
import { styler } from "./io";
import type { Io } from "./io";
import { renderTable } from "./table";

const SOURCE_LABEL: Readonly<Record<AuditReport["source"], string>> = {
  "resource-explorer": "Resource Explorer",
  "tagging-api": "the Tagging API",
};

function iacLabel(iac: AuditReport["resources"][number]["iac"]): string {
  switch (iac.kind) {
    case "managed":
      return `managed (${printable(iac.stack)})`;
    case "outside":
      return "OUTSIDE IaC";
    case "not-checked":
      return "-";
  }
}

export function renderAudit(report: AuditReport, io: Io, calls: Record<string, number>): string {
  const style = styler(io);
  const s = report.summary;
  const regions = report.regions.kind === "all" ? "all regions" : report.regions.regions.join(", ");
  const lines = [
    style(
      "bold",
      `Audit: ${s.resources} AI resource(s) from ${SOURCE_LABEL[report.source]} (${regions}), ${s.mandatory} mandatory and ${s.advisory} advisory finding(s)${s.stackExports > 0 ? `, ${s.outsideIac} outside IaC` : ""}`,
    ),
    "",
  ];
  if (report.resources.length > 0) {
    const rows = report.resources.map((r) => {
      const worst = r.findings[0];
      return [
        printable(`${r.type.split(":").slice(1).join(":")} ${r.name}`),
        r.region,
        r.iac.kind === "outside" ? style("red", iacLabel(r.iac)) : iacLabel(r.iac),
        printable(r.owner ?? "-"),
        worst === undefined
          ? style("green", "ok")
          : worst.enforcement === "mandatory"
            ? style("red", `mandatory: ${worst.policy}`)
            : style("yellow", `advisory: ${worst.policy}`),
      ];
    });
    lines.push(
      renderTable(
        [
          { header: "RESOURCE" },
          { header: "REGION" },
          { header: "IAC" },
          { header: "OWNER" },
          { header: "RESULT" },
        ],
        rows,
      ),
      "",
    );
    for (const r of report.resources) {
      for (const finding of r.findings) {
        lines.push(
          `${finding.enforcement === "mandatory" ? "x" : "!"} ${printable(r.arn)}`,
          `    ${printable(finding.message)}`,
        );
      }
      if (r.iac.kind === "outside") {
        lines.push(
          `x ${printable(r.arn)}`,
          `    made outside IaC: no given stack export manages it. Import it (\`pulumi import ${r.type} ${printable(r.name)} ${printable(r.name)}\`) or delete it if it is a leftover.`,
        );
      }
    }
    lines.push("");
  }
  if (report.unrecognised.length > 0) {
    lines.push(`Unrecognised (${report.unrecognised.length}), listed, not judged:`);
    for (const u of report.unrecognised)
      lines.push(`  ${printable(u.arn)}: ${printable(u.reason)}`);
    lines.push("");
  }
  for (const note of report.notes) lines.push(`note: ${printable(note)}`);
  for (const n of report.notChecked)
    lines.push(style("yellow", `not checked: ${printable(n.what)}: ${printable(n.reason)}`));
  lines.push(`API calls: ${callsLine(calls)}`);
  lines.push(
    "",
    !report.complete
      ? style("yellow", "INCOMPLETE: some of the account could not be checked (see above)")
      : report.passed
        ? style(
            "green",
            "PASSED: every AI resource passes the pack's rules" +
              (s.stackExports > 0 ? " and is managed by a stack" : ""),
          )
        : style("red", "FAILED: a resource has a mandatory finding or was made outside IaC"),
  );
  return lines.join("\n");
}

export function callsLine(calls: Record<string, number>): string {
  const entries = Object.entries(calls);
  return entries.length === 0 ? "none" : entries.map(([action, n]) => `${action} x${n}`).join(", ");
}

const MARK = { ok: "ok", warning: "warning", error: "error", unchecked: "not checked" } as const;

export function renderDoctor(report: DoctorReport, io: Io, calls: Record<string, number>): string {
  const style = styler(io);
  const colour = { ok: "green", warning: "yellow", error: "red", unchecked: "yellow" } as const;
  const s = report.summary;
  const lines = [
    style(
      "bold",
      `Doctor: ${s.error} error(s), ${s.warning} warning(s), ${s.unchecked} not checked, ${s.ok} ok`,
    ),
    "",
  ];
  let check = "";
  for (const item of report.items) {
    if (item.check !== check) {
      check = item.check;
      lines.push(style("bold", check));
    }
    lines.push(
      `  [${style(colour[item.status], MARK[item.status])}] ${printable(item.subject)}: ${printable(item.message)}`,
    );
    if (item.status === "warning" || item.status === "error")
      lines.push(`      fix: ${printable(item.fix)}`);
  }
  if (report.backfill !== undefined) {
    lines.push("", `backfill from ${report.backfill.from}: ${printable(report.backfill.status)}`);
  }
  lines.push("", `API calls: ${callsLine(calls)}`);
  lines.push(
    "",
    !report.complete
      ? style("yellow", "INCOMPLETE: some checks could not run (see above)")
      : report.passed
        ? style("green", "PASSED: the attribution plumbing has no error")
        : style("red", "FAILED: fix the errors above"),
  );
  return lines.join("\n");
}
