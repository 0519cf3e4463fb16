/**
 * Reads deployed state into the resources the rules check: `pulumi stack export`
 * (`{version, deployment}`, apitype.UntypedDeployment) and a DIY backend's checkpoint file
 * (`{version, checkpoint: {stack, config?, latest}}`). This is an audit of what exists, so a
 * resource's props are its outputs (what AWS reports, `tagsAll` included) over its inputs.
 */
import type { Operation, ResourceInput } from "../policy/types";
import { providerResolver } from "./providers";
import type { ProviderState } from "./providers";
import { dependenciesOf, isObject, optionalArray, requireObject, requireString } from "./shape";
import type { JsonObject } from "./shape";
import type { PulumiFormat, ReadResult } from "./types";
import { parseSourcePosition } from "./source-position";
import type { SourcePosition } from "./source-position";
import { isProviderType, parseUrn } from "./urn";
import { mergeState, newValueStats, normalizeProps, normalizeValue } from "./values";
import type { ValueStats } from "./values";

/** Deployment versions this reader understands (v4 = v3 plus opt-in features). */
export const DEPLOYMENT_VERSIONS: readonly number[] = [1, 2, 3, 4];

export function readDeployment(
  deployment: JsonObject | undefined,
  path: string,
  format: PulumiFormat,
  config: Readonly<Record<string, unknown>> | undefined,
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
    providers.set(urn, { type, props: propsOf(state, stats) });
  });
  const resolver = providerResolver(providers, config);

  const resources: ResourceInput[] = [];
  const withSecrets = new Set<string>();
  const positions = new Map<string, SourcePosition>();
  for (const state of states) {
    const type = state.type as string;
    const urn = state.urn as string;
    if (state.custom !== true || isProviderType(type)) continue;
    const provider = resolver.resolve(
      typeof state.provider === "string" ? state.provider : undefined,
    );
    const dependencies = dependenciesOf(state);
    const hiddenBefore = stats.hiddenSecrets;
    const props = propsOf(state, stats);
    const name = parseUrn(urn)?.name ?? urn;
    if (stats.hiddenSecrets > hiddenBefore) withSecrets.add(name);
    const position = parseSourcePosition(state.sourcePosition);
    if (position !== undefined) positions.set(urn, position);
    resources.push({
      urn,
      type,
      name,
      props,
      op: operationOf(state),
      ...(provider === undefined ? {} : { provider }),
      ...(dependencies.length === 0 ? {} : { dependencies }),
    });
  }

  const notes = resolver.notes();
  if (withSecrets.size > 0) {
    notes.push(
      `encrypted secret values were treated as unknown on ${[...withSecrets].join(", ")}; ` +
        `export with \`pulumi stack export --show-secrets\` to check them`,
    );
  }
  const pending = optionalArray(deployment?.pending_operations, `${path}.pending_operations`);
  if (pending.length > 0) {
    notes.push(
      `${pending.length} operation(s) were still pending when this state was written; ` +
        `the resources they touch may not be listed (run \`pulumi refresh\`)`,
    );
  }
  return { format, resources, notes, positions };
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
export function readCheckpointConfig(value: unknown): Record<string, unknown> | undefined {
  if (!isObject(value)) return undefined;
  const stats = newValueStats();
  const config: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    config[key] =
      isObject(entry) && typeof entry.secure === "string"
        ? normalizeValue("[secret]", stats)
        : normalizeValue(entry, stats);
  }
  return config;
}
