/**
 * Effective tags: what AWS will see on a resource once it exists. The provider's
 * `defaultTags.tags`, then `tagsAll` (the provider's own merge, when present and known), then the
 * resource's own tags, later sources winning, as the provider merges them. Values unknown at
 * preview are `NOT_KNOWN_YET`; a source that is unknown as a whole is recorded, because keys we
 * cannot see yet may still arrive at update.
 */
import type { TagLocation } from "./catalog";
import { packageOf } from "./catalog";
import type { ResourceInput } from "./types";
import { isUnknown, known, NOT_KNOWN_YET, UNKNOWN } from "./unknown";
import type { AtPreview } from "./unknown";

export interface EffectiveTags {
  /** key -> value, which may not be known until the update. */
  readonly values: ReadonlyMap<string, AtPreview<string>>;
  /**
   * Where keys may still come from at update (e.g. `tags`, `provider defaultTags`): when a
   * required key is absent and this is not empty, the key may or may not arrive.
   */
  readonly unknownSources: readonly string[];
}

/** A tag container in any shape the providers use, read into `out`. False when it is unknown. */
function readTagContainer(value: unknown, out: Map<string, AtPreview<string>>): boolean {
  if (value === undefined || value === null) return true;
  if (isUnknown(value)) return false;
  if (typeof value === "string") {
    // Provider inputs and some `aws-native:` JSON properties arrive JSON-encoded.
    try {
      return readTagContainer(JSON.parse(value) as unknown, out);
    } catch {
      return true;
    }
  }
  if (Array.isArray(value)) {
    let allKnown = true;
    for (const item of value) {
      if (isUnknown(item) || typeof item !== "object" || item === null) {
        allKnown = allKnown && !isUnknown(item);
        continue;
      }
      const record = item as Record<string, unknown>;
      const key = record.key ?? record.Key;
      const tagValue = record.value ?? record.Value;
      if (isUnknown(key)) {
        allKnown = false;
      } else if (typeof key === "string") {
        out.set(key, tagValueOf(tagValue));
      }
    }
    return allKnown;
  }
  if (typeof value === "object") {
    for (const [key, tagValue] of Object.entries(value as Record<string, unknown>)) {
      out.set(key, tagValueOf(tagValue));
    }
    return true;
  }
  return true;
}

/** One tag's value as the provider will set it (absent values are empty). */
function tagValueOf(value: unknown): AtPreview<string> {
  if (isUnknown(value)) return NOT_KNOWN_YET;
  return known(value === undefined || value === null ? "" : String(value));
}

/** The provider's `defaultTags.tags`, when the provider is of the resource's package. */
function providerDefaultTags(resource: ResourceInput): unknown {
  const provider = resource.provider;
  if (provider === undefined || provider.type !== `pulumi:providers:${packageOf(resource.type)}`) {
    return undefined;
  }
  let defaultTags: unknown = provider.props.defaultTags;
  if (typeof defaultTags === "string" && !isUnknown(defaultTags)) {
    try {
      defaultTags = JSON.parse(defaultTags) as unknown;
    } catch {
      return undefined;
    }
  }
  if (isUnknown(defaultTags)) return UNKNOWN;
  if (Array.isArray(defaultTags)) defaultTags = defaultTags[0]; // older bridged providers: a one-element list
  if (typeof defaultTags !== "object" || defaultTags === null) return undefined;
  return (defaultTags as Record<string, unknown>).tags;
}

/** The tags a resource will carry, merged as the provider merges them. */
export function effectiveTags(resource: ResourceInput, location: TagLocation): EffectiveTags {
  const values = new Map<string, AtPreview<string>>();
  const unknownSources: string[] = [];
  if (!readTagContainer(providerDefaultTags(resource), values)) {
    unknownSources.push("provider defaultTags");
  }
  const tagsAll = resource.props.tagsAll;
  // tagsAll is computed by the provider: unknown at preview is normal and hides nothing that
  // tags + defaultTags do not already show, so only a known tagsAll contributes.
  if (!isUnknown(tagsAll)) readTagContainer(tagsAll, values);
  if (!readTagContainer(resource.props[location.property], values)) {
    unknownSources.push(location.property);
  }
  return { values, unknownSources };
}

/** A key that differs from `key` only in letter case (`Owner` for `owner`), if any. */
export function caseVariant(tags: EffectiveTags, key: string): string | undefined {
  const lower = key.toLowerCase();
  for (const candidate of tags.values.keys()) {
    if (candidate !== key && candidate.toLowerCase() === lower) return candidate;
  }
  return undefined;
}
