/**
 * The scheduled account checks (src/audit/aws/scheduled.ts), loaded only when switched on and
 * only on first use: they run the pack's rules, which bring the registry's schema library with
 * them, and the handler's own bundle stays without it. Bundled, the module is a file of its own
 * beside the handler (`account-checks.js`, see stacks/components/handler-bundle.ts).
 */
import type { Report } from "..";
import type { AccountChecksDependencies } from "../../audit/aws/scheduled";
import { LAMBDA_ENVIRONMENT as VARS } from "./deployment-contract";
import { ConfigError } from "./config";

export type AccountChecks = (report: Report, today: string) => Promise<Report>;

/** On (the default) or off, from the function's environment; a bad value fails the cold start. */
export function accountChecksEnabled(env: Readonly<Record<string, string | undefined>>): boolean {
  const flag = env[VARS.accountChecks.name] || String(VARS.accountChecks.default);
  if (flag !== "true" && flag !== "false") {
    throw new ConfigError(
      `invalid reconciler configuration:\n  ${VARS.accountChecks.name}: must be "true" or "false"`,
    );
  }
  return flag === "true";
}

export function accountChecksRunner(deps: AccountChecksDependencies): AccountChecks {
  if (!accountChecksEnabled(deps.env)) return async (report) => report;
  let loaded: Promise<AccountChecks> | undefined;
  return async (report, today) => {
    loaded ??= import("../../audit/aws/scheduled.js").then((m) => m.scheduledAccountChecks(deps));
    return (await loaded)(report, today);
  };
}
