/**
 * Reads deployed state into the resources the rules check: `pulumi stack export`
 * (`{version, deployment}`, apitype.UntypedDeployment) and a DIY backend's checkpoint file
 * (`{version, checkpoint: {stack, config?, latest}}`). This is an audit of what exists, so a
 * resource's props are its outputs (what AWS reports, `tagsAll` included) over its inputs.
 */
import type { Operation, ResourceInput } from "../policy/types";
import { providerResolver } from "./providers";
import type { ProviderState, StackConfig } from "./providers";
import { dependenciesOf, isObject, optionalArray, requireObject, requireString } from "./shape";
import type { JsonObject } from "./shape";
import type { PulumiFormat, ReadResult, SecretProperty } from "./types";
import { parseSourcePosition } from "./source-position";
import type { SourcePosition } from "./source-position";
import { isProviderType, parseUrn } from "./urn";
import { dictionary, mergeState, newValueStats, normalizeProps, normalizeValue } from "./values";
import type { ValueStats } from "./values";

/** Deployment versions this reader understands (v4 = v3 plus opt-in features). */
export const DEPLOYMENT_VERSIONS: readonly number[] = [1, 2, 3, 4];

/**
 * The features a version 4 state may declare (pkg/resource/stack/deployment.go). Pulumi
 * refuses a state that uses a feature it does not know, because it may not read it right; so
 * does this reader. None of these changes where a resource's type, inputs or outputs are.
 */
export const DEPLOYMENT_FEATURES: readonly string[] = [
  "refreshBeforeUpdate",
  "views",
  "hooks",
  "taint",
  "replaceWith",
  "byteString",
  "snippets-prototype",
  "extensionParameterization",
];

export function readDeployment(
  deployment: JsonObject | undefined,
  path: string,
  format: PulumiFormat,
  config: StackConfig | undefined,
): ReadResult {
  // An empty stack exports no resources at all (and a new checkpoint has `latest: null`).
  const entries = optionalArray(deployment?.resources, `${path}.resources`);
  const stats = newValueStats();
  const states = entries.map((value, i) => requireObject(value, `${path}.resources[${i}]`));

  const providers = new Map<string, ProviderState>();
  states.forEach((state, i) => {
    const type = requireString(state.type, `${path}.resources[${i}].type`);
    const urn = requireString(state.urn, `${path}.resources[${i}].urn`);
    if (!isProviderType(type)) return;
    const settings = newValueStats();
    providers.set(urn, { type, props: propsOf(state, settings), secrets: settings.secrets });
  });
  const resolver = providerResolver(providers, config);

  const resources: ResourceInput[] = [];
  const secrets: SecretProperty[] = [];
  const positions = new Map<string, SourcePosition>();
  for (const state of states) {
    const type = state.type as string;
    const urn = state.urn as string;
    if (state.custom !== true || isProviderType(type)) continue;
    const resolved = resolver.resolve(
      typeof state.provider === "string" ? state.provider : undefined,
    );
    const dependencies = dependenciesOf(state);
    const before = stats.secrets.length;
    const props = propsOf(state, stats);
    secrets.push(...stats.secrets.slice(before).map((s) => ({ urn, ...s })));
    for (const s of resolved?.secrets ?? []) secrets.push({ urn, provider: resolved!.name, ...s });
    const position = parseSourcePosition(state.sourcePosition);
    if (position !== undefined) positions.set(urn, position);
    resources.push({
      urn,
      type,
      name: parseUrn(urn)?.name ?? urn,
      props,
      op: operationOf(state),
      ...(resolved === undefined ? {} : { provider: resolved.provider }),
      ...(dependencies.length === 0 ? {} : { dependencies }),
    });
  }

  const notes = resolver.notes();
  const pending = optionalArray(deployment?.pending_operations, `${path}.pending_operations`);
  if (pending.length > 0) {
    notes.push(
      `${pending.length} operation(s) were still pending when this state was written; ` +
        `the resources they touch may not be listed (run \`pulumi refresh\`)`,
    );
  }
  return { format, resources, notes, secrets: dedupe(secrets), positions };
}

/** Inputs and outputs both hold a secret property; one record of it is enough. */
function dedupe(secrets: readonly SecretProperty[]): SecretProperty[] {
  const seen = new Map<string, SecretProperty>();
  for (const secret of secrets) {
    const key = `${secret.urn}\u0000${secret.provider ?? ""}\u0000${secret.path}\u0000${secret.kind}`;
    const earlier = seen.get(key);
    seen.set(
      key,
      earlier === undefined
        ? secret
        : { ...earlier, values: [...new Set([...earlier.values, ...secret.values])] },
    );
  }
  return [...seen.values()];
}

function propsOf(state: JsonObject, stats: ValueStats): Record<string, unknown> {
  return mergeState(normalizeProps(state.inputs, stats), normalizeProps(state.outputs, stats));
}

/**
 * Deployed resources are `same`; a copy marked `delete` is waiting to be deleted after a
 * replacement (never block it), and an `external` one is only read, not managed.
 */
function operationOf(state: JsonObject): Operation {
  if (state.delete === true) return "delete";
  if (state.external === true) return "read";
  return "same";
}

/** Stack config in a checkpoint: plain values, or `{secure: ciphertext}` for secrets. */
export function readCheckpointConfig(value: unknown): StackConfig | undefined {
  if (!isObject(value)) return undefined;
  const stats = newValueStats();
  const values = dictionary();
  for (const [key, entry] of Object.entries(value)) {
    values[key] =
      isObject(entry) && typeof entry.secure === "string"
        ? normalizeValue("[secret]", stats, key)
        : normalizeValue(entry, stats, key);
  }
  return { values, secrets: stats.secrets };
}
