/**
 * The audit's and the doctor's results as the reconciliation report carries them (`audit` and
 * `health`, the JSON contract), and what the digests say about them: each owner gets their own
 * resources that need action, the unowned-spend contact gets the rest and the plumbing errors.
 */
import type { ReportAudit, ReportHealth } from "../reconciler";
import type { DoctorReport } from "./doctor";
import type { AuditReport } from "./inventory";

export function reportAuditOf(audit: AuditReport): ReportAudit {
  return {
    source: audit.source,
    complete: audit.complete,
    resources: audit.summary.resources,
    unrecognised: audit.summary.unrecognised,
    iacChecked: audit.summary.stackExports > 0,
    needsAction: audit.resources
      .filter(
        (r) => r.iac.kind === "outside" || r.findings.some((f) => f.enforcement === "mandatory"),
      )
      .map((r) => ({
        arn: r.arn,
        type: r.type,
        region: r.region,
        owner: r.owner,
        outsideIac: r.iac.kind === "outside",
        findings: r.findings.map((f) => ({
          policy: f.policy,
          enforcement: f.enforcement,
          message: f.message,
        })),
      })),
    notes: [...audit.notes, ...audit.notChecked.map((n) => `${n.what}: ${n.reason}`)],
  };
}

/** The section when the audit could not run at all: never a silent absence. */
export function failedAudit(reason: string): ReportAudit {
  return {
    source: "none",
    complete: false,
    resources: 0,
    unrecognised: 0,
    iacChecked: false,
    needsAction: [],
    notes: [`the audit could not run: ${reason}`],
  };
}

export function reportHealthOf(doctor: DoctorReport): ReportHealth {
  return {
    complete: doctor.complete,
    items: doctor.items.map((item) => ({
      check: item.check,
      status: item.status,
      subject: item.subject,
      message: item.message,
      fix: item.status === "warning" || item.status === "error" ? item.fix : null,
    })),
  };
}

export function failedHealth(reason: string): ReportHealth {
  return {
    complete: false,
    items: [
      {
        check: "health",
        status: "unchecked",
        subject: "attribution plumbing",
        message: `the doctor could not run: ${reason}`,
        fix: null,
      },
    ],
  };
}
