/**
 * The audit and the doctor in the scheduled run: after each reconciliation, cheap calls only
 * (Resource Explorer or the Tagging API, ListCostAllocationTags, GetExport when the cost source
 * is CUR, GetAccountAuthorizationDetails; never the backfill), their findings put in the
 * report's `audit` and `health` sections. They never fail the run: a check that cannot run says
 * so in its section, and the reconciliation's outputs go out as without them.
 */
import type { Registry } from "../../registry";
import type { Report, ReportStore } from "../../reconciler";
import { accountChecksEnabled } from "../../reconciler/aws/account-checks-loader";
import { LAMBDA_ENVIRONMENT as VARS } from "../../reconciler/aws/deployment-contract";
import { readPulumiDocument } from "../../check";
import { managedIndex } from "../managed";
import type { StackState } from "../managed";
import { failedAudit, failedHealth, reportAuditOf, reportHealthOf } from "../report-sections";
import { Caller } from "./calls";
import type { CallOptions } from "./calls";
import { createAuditClients } from "./clients";
import type { AuditClients } from "./clients";
import { runAudit } from "./audit";
import { runDoctor } from "./doctor";

export interface AccountChecksConfig {
  readonly enabled: boolean;
  readonly stackExportKeys: readonly string[];
  readonly curExportArn: string | undefined;
}

/** The settings, from the function's environment (the switch itself is the loader's). */
export function readAccountChecksConfig(
  env: Readonly<Record<string, string | undefined>>,
): AccountChecksConfig {
  const keys = (env[VARS.stackExportKeys.name] ?? "")
    .split(",")
    .map((k) => k.trim())
    .filter((k) => k !== "");
  return {
    enabled: accountChecksEnabled(env),
    stackExportKeys: keys,
    curExportArn: env[VARS.curExportArn.name] || undefined,
  };
}

export interface AccountChecksDependencies {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly registry: Registry;
  /** The report bucket: where the stack exports are read from. */
  readonly store: Pick<ReportStore, "get">;
  readonly clients?: AuditClients;
  readonly callOptions?: CallOptions;
  readonly log: { warn(message: string, attributes?: Record<string, unknown>): void };
}

/** A short retry budget: the run's outputs come first. */
const SCHEDULED_RETRY = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 4_000 };

/** Returns what the handler calls on each computed report (the report, with the sections). */
export function scheduledAccountChecks(
  deps: AccountChecksDependencies,
): (report: Report, today: string) => Promise<Report> {
  const config = readAccountChecksConfig(deps.env);
  if (!config.enabled) return async (report) => report;
  const clients =
    deps.clients ?? createAuditClients({ region: deps.env.AWS_REGION ?? "us-east-1" });
  return async (report, today) => {
    const caller = new Caller({ retry: SCHEDULED_RETRY, ...deps.callOptions });
    const why = (error: unknown) => (error instanceof Error ? error.message : String(error));
    let audit;
    try {
      const states = await stackStates(deps.store, config.stackExportKeys);
      audit = reportAuditOf(
        await runAudit(clients, caller, {
          registry: deps.registry,
          today,
          regions: { kind: "all" },
          ...(states.length === 0 ? {} : { managed: managedIndex(states) }),
        }),
      );
    } catch (error) {
      deps.log.warn("the account audit could not run", { error: why(error) });
      audit = failedAudit(why(error));
    }
    let health;
    try {
      health = reportHealthOf(
        await runDoctor(clients, caller, {
          registry: deps.registry,
          today,
          report,
          ...(config.curExportArn === undefined ? {} : { curExportArn: config.curExportArn }),
        }),
      );
    } catch (error) {
      deps.log.warn("the attribution doctor could not run", { error: why(error) });
      health = failedHealth(why(error));
    }
    return { ...report, audit, health };
  };
}

async function stackStates(
  store: Pick<ReportStore, "get">,
  keys: readonly string[],
): Promise<StackState[]> {
  const states: StackState[] = [];
  for (const key of keys) {
    const text = await store.get(key);
    if (text === undefined)
      throw new Error(`stack export s3 key ${key} does not exist (${VARS.stackExportKeys.name})`);
    states.push({ source: key, read: readPulumiDocument(text, key) });
  }
  return states;
}
