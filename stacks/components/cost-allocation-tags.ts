/**
 * `CostAllocationTags`: activates the workflow and owner tag keys as cost allocation tags, so
 * Cost Explorer, Budgets and Cost Anomaly Detection can filter on them. Until a key is active,
 * every tag-filtered budget shows $0.
 *
 * Only the management (payer) account can activate them, and only keys that already appear in
 * the billing data (tagged resources incurring cost; up to 24 hours after tagging). Activation
 * takes up to 24 hours to apply and is not retroactive unless you request a backfill: see the
 * README, "Stacks".
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { TagKeys } from "../../src/registry";

export interface CostAllocationTagsArgs {
  /** The registry's `settings.tagKeys`. */
  readonly tagKeys: TagKeys;
}

export class CostAllocationTags extends pulumi.ComponentResource {
  /** Tag key -> its activation. */
  readonly tags: Readonly<Record<string, aws.costexplorer.CostAllocationTag>>;

  constructor(name: string, args: CostAllocationTagsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ai-spend-guard:billing:CostAllocationTags", name, {}, opts);
    const keys = [...new Set([args.tagKeys.workflow, args.tagKeys.owner])];
    const tags: Record<string, aws.costexplorer.CostAllocationTag> = {};
    for (const [role, key] of [
      ["workflow", args.tagKeys.workflow],
      ["owner", args.tagKeys.owner],
    ] as const) {
      if (tags[key] !== undefined) continue;
      tags[key] = new aws.costexplorer.CostAllocationTag(
        `${name}-${role}`,
        { tagKey: key, status: "Active" },
        { parent: this },
      );
    }
    this.tags = tags;
    this.registerOutputs({ activated: keys });
  }
}
