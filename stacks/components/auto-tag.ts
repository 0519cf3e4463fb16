/**
 * The auto-tagging helper: one call in a Pulumi program and every taggable AWS resource it
 * creates carries the workflow and owner tags, with the owner taken from the registry.
 *
 * @example
 * import { registerAutoTagging } from "ai-spend-guard/auto-tag";
 * registerAutoTagging({ workflow: "support-triage" }); // before the resources are created
 *
 * Precedence: a tag the program sets on a resource always wins, key by key; the helper only
 * fills the keys that are absent. A wrong value set by hand is then reported by the policy
 * pack instead of being silently rewritten, and a resource that belongs to another workflow
 * can say so. On `aws:` resources, tags on the resource override the provider's
 * `defaultTags` (that is AWS provider behaviour), so the helper's tags win over defaultTags.
 */
import * as pulumi from "@pulumi/pulumi";
import { mergeTagArray, TAG_ENTRY_FIELDS, taggableType, workflowTags } from "../../src/policy";
import type { AutoTagOptions, Tag, TagLocation, WorkflowTags } from "../../src/policy";

export { workflowTags };
export type { AutoTagOptions, WorkflowTags };

/** Where a type's tags live, or undefined when the type takes no tags (or is not AWS). */
export type TagLocator = (type: string) => TagLocation | undefined;

/**
 * A resource transform that adds `tags` to every taggable AWS resource. Use it directly in a
 * component's `transforms` option when only that component belongs to the workflow (a
 * component's transforms run before the program-wide one, whose keys they then hold).
 */
export function autoTagTransform(
  tags: WorkflowTags,
  locate: TagLocator = taggableType,
): pulumi.ResourceTransform {
  return (args) => {
    if (!args.custom) return undefined; // components have no tags of their own
    const location = locate(args.type);
    if (location === undefined) return undefined;
    return {
      props: {
        ...args.props,
        [location.property]: withTags(
          args.props[location.property],
          location,
          tags,
          TAG_ENTRY_FIELDS[args.type],
        ),
      },
      opts: args.opts,
    };
  };
}

/**
 * Registers the transform for the whole program and returns the tags it adds (handy for a
 * provider's `defaultTags` or a dashboard). Call it once, before creating resources.
 */
export function registerAutoTagging(options: AutoTagOptions): WorkflowTags {
  const tags = workflowTags(options);
  pulumi.runtime.registerResourceTransform(autoTagTransform(tags));
  return tags;
}

/** The envelope of a secret value in transform props (sdk runtime/rpc.ts, `specialSigKey`). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

function isRpcSecret(value: unknown): value is { value: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG
  );
}

const isPlainRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" &&
  value !== null &&
  !pulumi.isUnknown(value) &&
  !isRpcSecret(value) &&
  !Array.isArray(value) &&
  !pulumi.Output.isInstance(value) &&
  !(value instanceof Promise);

const isPlainTagArray = (value: unknown): value is Tag[] =>
  Array.isArray(value) && value.every((tag) => isPlainRecord(tag) && typeof tag.key === "string");

/**
 * The resource's tags with the missing workflow tags added, in the shape the type expects.
 * Plain values are merged as they are, so tag values that are not known until the update stay
 * per-key unknowns instead of turning the whole map unknown; only when the map itself (or a
 * key) is an Output does the merge wait for it.
 */
export function withTags(
  existing: unknown,
  location: Pick<TagLocation, "shape">,
  tags: WorkflowTags,
  entryFields: Readonly<Record<string, unknown>> = {},
): unknown {
  const asArray =
    location.shape === "key-value-array" || (location.shape === "json" && Array.isArray(existing));
  // Not known until the update (preview): the transform runs again at the update, when it is.
  if (pulumi.isUnknown(existing)) return existing;
  // A secret, as the engine hands it to a transform: merge inside it, keep it secret.
  if (isRpcSecret(existing)) {
    return pulumi.secret(withTags(existing.value, location, tags, entryFields));
  }
  if (existing === undefined || existing === null) {
    return asArray ? mergeTagArray([], tags, entryFields) : { ...tags };
  }
  if (asArray) {
    if (isPlainTagArray(existing)) return mergeTagArray(existing, tags, entryFields);
    return pulumi
      .output(existing)
      .apply((resolved) => withTags(resolved, location, tags, entryFields));
  }
  if (isPlainRecord(existing)) return { ...tags, ...existing };
  // A JSON-typed property holding something else (a string?) is the program's business.
  if (location.shape === "json" && !pulumi.Output.isInstance(existing)) return existing;
  return pulumi
    .output(existing)
    .apply((resolved) => withTags(resolved, location, tags, entryFields));
}
