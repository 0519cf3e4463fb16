/**
 * Who receives an owner digest: one email subscription per owner, filtered on the `owner`
 * message attribute so that each owner receives only their own digest. The registry's
 * unowned-spend contact is a recipient too: the reconciler addresses unowned spend to it.
 */
import type { Registry } from "../../src/registry";
import { workflowsByOwner } from "../../src/registry";
// The deployment contract itself, not the `aws` index: it loads no AWS SDK.
import { OWNER_ATTRIBUTE } from "../../src/reconciler/aws/deployment-contract";

export interface DigestRecipient {
  readonly email: string;
  /** The workflows this address owns (empty for an unowned-spend contact that owns none). */
  readonly workflows: readonly string[];
  /** SNS subscription filter policy (scope: message attributes), as JSON. */
  readonly filterPolicy: string;
}

/** Every owner, then the unowned-spend contact unless it already owns a workflow; sorted. */
export function digestRecipients(registry: Registry): DigestRecipient[] {
  const owners = workflowsByOwner(registry);
  const emails = new Set([...owners.keys(), registry.settings.unownedSpendContact]);
  return [...emails].sort().map((email) => ({
    email,
    workflows: (owners.get(email) ?? []).map((w) => w.id),
    filterPolicy: JSON.stringify({ [OWNER_ATTRIBUTE]: [email] }),
  }));
}
