/**
 * Reads `pulumi preview --json` (PreviewDigest, pkg/display/json.go) into the resources the
 * rules check. Each step's `newState.inputs` is what the program declares; a deletion only
 * has `oldState`. Unchanged resources are omitted by the CLI unless `--show-sames` is given,
 * and the reader says so instead of pretending they were checked.
 */
import type { Operation, ResourceInput } from "../policy/types";
import { providerResolver } from "./providers";
import type { ProviderState, StackConfig } from "./providers";
import {
  dependenciesOf,
  isObject,
  optionalArray,
  optionalString,
  RefusedError,
  requireObject,
  requireString,
  ShapeError,
} from "./shape";
import type { JsonObject } from "./shape";
import type { ReadResult, SecretProperty } from "./types";
import { parseSourcePosition } from "./source-position";
import type { SourcePosition } from "./source-position";
import { isProviderType, parseUrn } from "./urn";
import { dictionary, newValueStats, normalizeProps, normalizeValue } from "./values";

type StepReading = { readonly op: Operation; readonly state: "new" | "old" } | "skip";

/** How each engine step op (pkg/resource/deploy/step.go) reads, or `skip`. */
const STEP_OPS: ReadonlyMap<string, StepReading> = new Map<string, StepReading>([
  ["same", { op: "same", state: "new" }],
  ["create", { op: "create", state: "new" }],
  ["update", { op: "update", state: "new" }],
  ["replace", { op: "replace", state: "new" }],
  ["create-replacement", { op: "replace", state: "new" }],
  ["delete", { op: "delete", state: "old" }],
  ["discard", { op: "delete", state: "old" }],
  ["read", { op: "read", state: "new" }],
  ["read-replacement", { op: "read", state: "new" }],
  ["refresh", { op: "same", state: "new" }],
  ["import", { op: "import", state: "new" }],
  ["import-replacement", { op: "import", state: "new" }],
  // The old half of a replacement: the `replace` / `create-replacement` step covers the
  // resource, and checking the outgoing copy would report its findings twice.
  ["delete-replaced", "skip"],
  ["discard-replaced", "skip"],
  ["remove-pending-replace", "skip"],
]);

/** A refresh step only reports what the cloud holds; a later step for the same URN wins. */
const WEAK_OPS: ReadonlySet<string> = new Set(["refresh"]);

const STACK_TYPE = "pulumi:pulumi:Stack";

interface Step {
  readonly index: number;
  readonly op: string;
  readonly urn: string;
  readonly provider: string | undefined;
  readonly oldState: JsonObject | undefined;
  readonly newState: JsonObject | undefined;
}

function readStep(value: unknown, index: number): Step {
  const path = `steps[${index}]`;
  const step = requireObject(value, path);
  const op = requireString(step.op, `${path}.op`);
  const urn = requireString(step.urn, `${path}.urn`);
  const state = (key: "oldState" | "newState") =>
    step[key] === undefined || step[key] === null
      ? undefined
      : requireObject(step[key], `${path}.${key}`);
  return {
    index,
    op,
    urn,
    provider: optionalString(step.provider, `${path}.provider`),
    oldState: state("oldState"),
    newState: state("newState"),
  };
}

/**
 * An op this reader does not know is refused: skipping it would pass a resource nobody
 * checked, and a newer engine's op may well create one.
 */
function readingOf(step: Step): StepReading {
  const how = STEP_OPS.get(step.op);
  if (how !== undefined) return how;
  throw new RefusedError(
    `steps[${step.index}].op is ${JSON.stringify(step.op)}, which this version of ai-spend-guard ` +
      `does not know (it reads ${[...STEP_OPS.keys()].join(", ")}); upgrade ai-spend-guard, or ` +
      `report the Pulumi version that wrote it`,
  );
}

function stateType(step: Step, state: JsonObject | undefined): string {
  const type = state?.type;
  if (typeof type === "string" && type !== "") return type;
  const parsed = parseUrn(step.urn);
  if (parsed === undefined) throw new ShapeError(`steps[${step.index}].urn`, "a Pulumi URN");
  return parsed.type;
}

export function readPreview(doc: JsonObject): ReadResult {
  const steps = optionalArray(doc.steps, "steps").map(readStep);
  const readings = steps.map(readingOf);
  const stats = newValueStats();
  const notes: string[] = [];

  // Providers first: a resource's step may come before its provider's.
  const providers = new Map<string, ProviderState>();
  for (const step of steps) {
    const state = step.newState ?? step.oldState;
    const type = stateType(step, state);
    if (!isProviderType(type)) continue;
    const settings = newValueStats();
    const props = normalizeProps(state?.inputs, settings);
    providers.set(step.urn, { type, props, secrets: settings.secrets });
  }
  const resolver = providerResolver(providers, readConfig(doc.config));

  const byUrn = new Map<
    string,
    { resource: ResourceInput; weak: boolean; secrets: SecretProperty[] }
  >();
  const positions = new Map<string, SourcePosition>();
  steps.forEach((step, i) => {
    const how = readings[i]!;
    if (how === "skip") return;
    const state = how.state === "new" ? (step.newState ?? step.oldState) : step.oldState;
    const type = stateType(step, state);
    if (type === STACK_TYPE || isProviderType(type) || state?.custom === false) return;
    const weak = WEAK_OPS.has(step.op);
    const seen = byUrn.get(step.urn);
    if (seen !== undefined && (weak || !seen.weak)) return;
    const parsed = parseUrn(step.urn);
    const providerRef =
      step.provider ?? (typeof state?.provider === "string" ? state.provider : undefined);
    const resolved = resolver.resolve(providerRef);
    const before = stats.secrets.length;
    const props = normalizeProps(state?.inputs, stats);
    const secrets: SecretProperty[] = [
      ...stats.secrets.slice(before).map((s) => ({ urn: step.urn, ...s })),
      ...(resolved?.secrets ?? []).map((s) => ({ urn: step.urn, provider: resolved!.name, ...s })),
    ];
    // A resource the program only reads (`.get()`) is marked external in its state.
    const op: Operation = state?.external === true && how.op !== "delete" ? "read" : how.op;
    const position = parseSourcePosition(state?.sourcePosition);
    if (position !== undefined) positions.set(step.urn, position);
    byUrn.set(step.urn, {
      weak,
      secrets,
      resource: {
        urn: step.urn,
        type,
        name: parsed?.name ?? step.urn,
        props,
        op,
        ...(resolved === undefined ? {} : { provider: resolved.provider }),
        ...withDependencies(dependenciesOf(state)),
      },
    });
  });

  notes.push(...resolver.notes());
  const hiddenSames = unlistedSames(doc.changeSummary, steps);
  if (hiddenSames > 0) {
    notes.push(
      `${hiddenSames} unchanged resource(s), component(s) or provider(s) are not listed in this ` +
        `preview and were not checked; run \`pulumi preview --json --show-sames\` to check them too`,
    );
  }
  const errors = optionalArray(doc.diagnostics, "diagnostics").filter(
    (d) => isObject(d) && d.severity === "error",
  );
  if (errors.length > 0) {
    const first = (errors[0] as JsonObject).message;
    notes.push(
      `the preview reported ${errors.length} error(s), so its steps may be incomplete` +
        (typeof first === "string" ? `: ${first.trim().split("\n")[0]}` : ""),
    );
  }
  const entries = [...byUrn.values()];
  return {
    format: "preview",
    resources: entries.map((entry) => entry.resource),
    notes,
    secrets: entries.flatMap((entry) => entry.secrets),
    positions,
  };
}

/**
 * How many unchanged resources the preview counts but does not list. `changeSummary` counts
 * every resource (the stack, components, default and explicit providers), so the steps are
 * counted the same way. A `same` step of anything but the stack whose `protect` did not change
 * is only listed with `--show-sames` (`shouldShow`, pkg/backend/display): then nothing is
 * missing, whatever the counts say (the engine does not list every default provider).
 */
function unlistedSames(summary: unknown, steps: readonly Step[]): number {
  const sames = steps.filter((s) => s.op === "same");
  const showsSames = sames.some((s) => {
    const state = s.newState ?? s.oldState;
    if (stateType(s, state) === STACK_TYPE) return false;
    return (s.oldState?.protect === true) === (s.newState?.protect === true);
  });
  if (showsSames) return 0;
  return summaryCount(summary, "same") - sames.length;
}

function withDependencies(dependencies: string[]): { dependencies?: readonly string[] } {
  return dependencies.length === 0 ? {} : { dependencies };
}

/** The preview's `config`: string values, secrets blinded as `[secret]`. */
function readConfig(value: unknown): StackConfig | undefined {
  if (value === undefined || value === null) return undefined;
  const config = requireObject(value, "config");
  const stats = newValueStats();
  const values = dictionary();
  for (const [key, entry] of Object.entries(config)) {
    values[key] = normalizeValue(entry, stats, key);
  }
  return { values, secrets: stats.secrets };
}

function summaryCount(summary: unknown, op: string): number {
  if (!isObject(summary) || !Object.hasOwn(summary, op)) return 0;
  const count = summary[op];
  return typeof count === "number" && Number.isFinite(count) ? count : 0;
}
