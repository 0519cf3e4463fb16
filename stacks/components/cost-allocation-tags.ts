/**
 * `CostAllocationTags`: activates the workflow and owner tag keys as cost allocation tags, so
 * Cost Explorer, Budgets and Cost Anomaly Detection can filter on them. Until a key is active,
 * every tag-filtered budget shows $0.
 *
 * Two kinds of key: the resource tags (`workflow`, `owner`) and the caller's principal tags
 * (`iamPrincipal/workflow`, `iamPrincipal/owner`), which AWS copies from the tags of the IAM
 * role or user that called Bedrock onto the inference line. They are activated separately: the
 * resource tag's activation does not activate the principal one. Cost Explorer's
 * UpdateCostAllocationTagsStatus takes the prefixed key as the TagKey (type UserDefined), and
 * `aws.costexplorer.CostAllocationTag` passes any key through.
 *
 * Only the management (payer) account can activate them, and only keys that already appear in
 * the billing data: resource tags once tagged resources incur cost, principal tags once a tagged
 * principal has called Bedrock (up to 24 hours after either). Until then activation fails,
 * which is why budgets depend on the resource keys only and the principal keys can be left for
 * a later deploy (`activatePrincipalCostAllocationTags: false`). Activation takes up to 24
 * hours to apply and is not retroactive unless you request a backfill: see the README, "Stacks".
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { principalTagKey } from "../../src/reconciler";
import type { TagKeys } from "../../src/registry";

export interface CostAllocationTagsArgs {
  /** The registry's `settings.tagKeys`. */
  readonly tagKeys: TagKeys;
  /**
   * Also activate `iamPrincipal/<workflow key>` and `iamPrincipal/<owner key>` (default true;
   * the program passes false when the registry has `settings.principalTags: false`).
   */
  readonly principalTags?: boolean;
}

export class CostAllocationTags extends pulumi.ComponentResource {
  /** Resource tag key -> its activation (what budgets and anomaly monitors filter on). */
  readonly tags: Readonly<Record<string, aws.costexplorer.CostAllocationTag>>;
  /** Principal tag key (`iamPrincipal/...`) -> its activation (what the reconciler reads). */
  readonly principalTags: Readonly<Record<string, aws.costexplorer.CostAllocationTag>>;

  constructor(name: string, args: CostAllocationTagsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ai-spend-guard:billing:CostAllocationTags", name, {}, opts);
    const roles = [
      ["workflow", args.tagKeys.workflow],
      ["owner", args.tagKeys.owner],
    ] as const;
    const activate = (
      suffix: string,
      keys: readonly (readonly [string, string])[],
    ): Record<string, aws.costexplorer.CostAllocationTag> => {
      const tags: Record<string, aws.costexplorer.CostAllocationTag> = {};
      for (const [role, key] of keys) {
        if (tags[key] !== undefined) continue;
        tags[key] = new aws.costexplorer.CostAllocationTag(
          `${name}-${suffix}${role}`,
          { tagKey: key, status: "Active" },
          { parent: this },
        );
      }
      return tags;
    };
    this.tags = activate("", roles);
    this.principalTags =
      args.principalTags === false
        ? {}
        : activate(
            "principal-",
            roles.map(([role, key]) => [role, principalTagKey(key)] as const),
          );
    this.registerOutputs({
      activated: [...Object.keys(this.tags), ...Object.keys(this.principalTags)],
    });
  }
}
