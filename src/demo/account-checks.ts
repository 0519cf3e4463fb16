/**
 * The demo's audit and doctor stages: the recorded account (`examples/audit/account.json`)
 * served by the local Resource Explorer, Tagging API, Cost Explorer tag calls, Data Exports and
 * IAM, read with the real SDK clients, compared with the shipped stack export, and the doctor
 * given the demo's own reconciliation report.
 */
import { readFileSync } from "node:fs";
import { managedIndex } from "../audit";
import type { AuditReport, DoctorReport } from "../audit";
import { Caller, createAuditClients, runAudit, runDoctor } from "../audit/aws";
import type { CallCounts } from "../audit/aws";
import { readPulumiDocument } from "../check";
import type { Report } from "../reconciler";
import type { Registry } from "../registry";
import type { AccountInventory } from "../local-aws/account";
import { accountHandlers } from "../local-aws/account-handlers";
import { startLocalAws } from "../local-aws/server";

export interface AccountChecksResult {
  readonly audit: AuditReport;
  readonly doctor: DoctorReport;
  readonly auditCalls: CallCounts;
  readonly doctorCalls: CallCounts;
}

export async function runAccountChecks(options: {
  readonly registry: Registry;
  readonly today: string;
  readonly accountFile: string;
  readonly stackExportFile: string;
  /** As the output names it. */
  readonly stackExportName: string;
  readonly report: Report;
}): Promise<AccountChecksResult> {
  const account = JSON.parse(readFileSync(options.accountFile, "utf8")) as AccountInventory;
  const aws = await startLocalAws(accountHandlers(account).handlers);
  try {
    const clients = createAuditClients({
      region: "us-east-1",
      endpoint: aws.endpoint,
      credentials: { accessKeyId: "AKIDDEMO", secretAccessKey: "demo-secret" },
    });
    const stack = readPulumiDocument(
      readFileSync(options.stackExportFile),
      options.stackExportName,
    );
    const auditCaller = new Caller();
    const audit = await runAudit(clients, auditCaller, {
      registry: options.registry,
      today: options.today,
      regions: { kind: "all" },
      managed: managedIndex([{ source: options.stackExportName, read: stack }]),
    });
    const doctorCaller = new Caller();
    const doctor = await runDoctor(clients, doctorCaller, {
      registry: options.registry,
      today: options.today,
      report: options.report,
      ...(account.exports[0] === undefined ? {} : { curExportArn: account.exports[0].arn }),
    });
    return { audit, doctor, auditCalls: auditCaller.counts, doctorCalls: doctorCaller.counts };
  } finally {
    await aws.close();
  }
}
