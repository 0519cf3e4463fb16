/** Pulumi URNs and provider references, as the engine writes them. */

/** `urn:pulumi:<stack>::<project>::<qualified type>::<name>`; the name may itself hold `::`. */
export interface ParsedUrn {
  readonly stack: string;
  readonly project: string;
  /** The resource's own type (the last `$`-separated part of the qualified type). */
  readonly type: string;
  readonly name: string;
}

export function parseUrn(urn: string): ParsedUrn | undefined {
  if (!urn.startsWith("urn:pulumi:")) return undefined;
  const parts = urn.slice("urn:pulumi:".length).split("::");
  if (parts.length < 4) return undefined;
  const [stack, project, qualifiedType, ...name] = parts;
  const type = qualifiedType!.split("$").pop()!;
  return { stack: stack!, project: project!, type, name: name.join("::") };
}

/** `<provider URN>::<provider id>` (sdk/go/common/providers/reference.go). */
export interface ProviderReference {
  readonly urn: string;
  /** A UUID, or the unknown sentinel while the provider is being created. */
  readonly id: string;
  /** The provider package, e.g. `aws` for `pulumi:providers:aws`. */
  readonly pkg: string;
  readonly name: string;
}

const PROVIDER_TYPE_PREFIX = "pulumi:providers:";

export function isProviderType(type: string): boolean {
  return type.startsWith(PROVIDER_TYPE_PREFIX);
}

/** Splits at the last `::`: the URN holds `::` itself, the id never does. */
export function parseProviderReference(reference: string): ProviderReference | undefined {
  const at = reference.lastIndexOf("::");
  if (at <= 0) return undefined;
  const urn = reference.slice(0, at);
  const parsed = parseUrn(urn);
  if (parsed === undefined || !isProviderType(parsed.type)) return undefined;
  return {
    urn,
    id: reference.slice(at + 2),
    pkg: parsed.type.slice(PROVIDER_TYPE_PREFIX.length),
    name: parsed.name,
  };
}

/**
 * Default providers are named `default` or `default_<major>_<minor>_<patch>[...]`
 * (pkg/resource/deploy/providers/provider.go); they take their settings from stack config.
 */
export function isDefaultProviderName(name: string): boolean {
  return name === "default" || /^default_\d+_\d+_\d+/.test(name);
}
