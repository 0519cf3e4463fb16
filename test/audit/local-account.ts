/** The shipped account inventory served by the local AWS, for the audit's integration tests. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { accountHandlers } from "../../src/local-aws/account-handlers";
import type { AccountFaults, AccountInventory } from "../../src/local-aws/account";
import { startLocalAws } from "../../src/local-aws/server";
import { memoryIo } from "../helpers/io";

export const ROOT = join(__dirname, "..", "..");
export const ACCOUNT_FILE = join(ROOT, "examples", "audit", "account.json");
export const STACK_EXPORT = join(ROOT, "examples", "audit", "stack-export.json");
export const REGISTRY = join(ROOT, "workflows.yaml");
import { CREDENTIALS } from "../reconciler/aws-fixture";

export { CREDENTIALS };

export function shippedAccount(): AccountInventory {
  return JSON.parse(readFileSync(ACCOUNT_FILE, "utf8")) as AccountInventory;
}

export async function localAccount(
  account: AccountInventory = shippedAccount(),
  options: { faults?: AccountFaults; pageSize?: number } = {},
) {
  const served = accountHandlers(account, options);
  const aws = await startLocalAws(served.handlers);
  return { aws, billingTags: served.billingTags, account };
}

export function awsIo(endpoint: string, cwd: string) {
  return memoryIo({
    cwd,
    today: "2026-11-28",
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    },
  });
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

/** The shipped stack export's text. */
export function stackExportOf(): string {
  return readFileSync(STACK_EXPORT, "utf8");
}
