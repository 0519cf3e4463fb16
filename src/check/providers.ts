/**
 * Resolves a resource's provider reference to the provider's settings, which is where AWS
 * `defaultTags` live. Provider inputs are as the engine stores them: structured settings are
 * JSON text (`defaultTags: "{\"tags\":{...}}"`); the rules decode them.
 */
import type { ProviderInput } from "../policy/types";
import { UNKNOWN } from "../policy/types";
import { isDefaultProviderName, parseProviderReference } from "./urn";
import { dictionary } from "./values";
import type { SecretSeen } from "./values";

export interface ProviderState {
  readonly type: string;
  readonly props: Readonly<Record<string, unknown>>;
  /** Secrets among its settings (paths from the settings, e.g. `defaultTags`). */
  readonly secrets: readonly SecretSeen[];
}

/** The stack config a default provider reads, with the secrets among it by key. */
export interface StackConfig {
  readonly values: Readonly<Record<string, unknown>>;
  /** Secrets by config key (`aws:defaultTags`). */
  readonly secrets: readonly SecretSeen[];
}

export interface ResolvedProvider {
  readonly provider: ProviderInput;
  /** The provider's name (`default_7_48_0`, `tagged`), for messages. */
  readonly name: string;
  /** Secrets among the settings the resource takes from it. */
  readonly secrets: readonly SecretSeen[];
}

export interface ProviderResolver {
  /** undefined when the resource names no provider (legacy state). */
  resolve(reference: string | undefined): ResolvedProvider | undefined;
  /** Notes for people about providers that could not be seen. */
  notes(): string[];
}

/**
 * @param known provider URN -> settings, for the providers the document holds
 * @param config stack config (`aws:defaultTags` -> JSON text), which configures default
 *   providers; undefined when the document carries no config at all
 */
export function providerResolver(
  known: ReadonlyMap<string, ProviderState>,
  config: StackConfig | undefined,
): ProviderResolver {
  const unseen = new Set<string>();
  const unreadable = new Set<string>();
  return {
    resolve(reference) {
      if (reference === undefined || reference === "") return undefined;
      const parsed = parseProviderReference(reference);
      if (parsed === undefined) {
        unreadable.add(reference);
        return undefined;
      }
      const state = known.get(parsed.urn);
      const type = `pulumi:providers:${parsed.pkg}`;
      const name = parsed.name;
      if (state !== undefined) {
        return { provider: { type: state.type, props: state.props }, name, secrets: state.secrets };
      }
      if (isDefaultProviderName(parsed.name)) {
        // A default provider is configured by the stack config under its package's namespace
        // (`aws:region`, `aws:defaultTags`), so an absent config means no default tags.
        const props = dictionary();
        const secrets: SecretSeen[] = [];
        const prefix = `${parsed.pkg}:`;
        for (const [key, value] of Object.entries(config?.values ?? {})) {
          if (!key.startsWith(prefix)) continue;
          const setting = key.slice(prefix.length);
          props[setting] = value;
          for (const secret of config?.secrets ?? []) {
            if (secret.path === key || secret.path.startsWith(`${key}.`)) {
              secrets.push({ ...secret, path: setting + secret.path.slice(key.length) });
            }
          }
        }
        return { provider: { type, props }, name, secrets };
      }
      // An explicit provider that the document does not hold (a preview omits unchanged
      // ones): its defaultTags cannot be known, and saying so beats guessing "none".
      unseen.add(parsed.name);
      const props = dictionary();
      props.defaultTags = UNKNOWN;
      return { provider: { type, props }, name, secrets: [] };
    },
    notes() {
      const notes: string[] = [];
      if (unseen.size > 0) {
        notes.push(
          `provider(s) ${[...unseen].sort().join(", ")} are not in the document (a preview lists ` +
            `only changed providers), so their defaultTags were treated as unknown; run ` +
            `\`pulumi preview --json --show-sames\` to include them`,
        );
      }
      if (unreadable.size > 0) {
        notes.push(
          `unreadable provider reference(s), expected "<provider URN>::<id>": ${[...unreadable].sort().join(", ")}`,
        );
      }
      return notes;
    },
  };
}
