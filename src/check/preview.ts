/**
 * Reads `pulumi preview --json` (PreviewDigest, pkg/display/json.go) into the resources the
 * rules check. Each step's `newState.inputs` is what the program declares; a deletion only
 * has `oldState`. Unchanged resources are omitted by the CLI unless `--show-sames` is given,
 * and the reader says so instead of pretending they were checked.
 */
import type { Operation, ResourceInput } from "../policy/types";
import { providerResolver } from "./providers";
import type { ProviderState } from "./providers";
import {
  dependenciesOf,
  isObject,
  optionalArray,
  optionalString,
  requireObject,
  requireString,
  ShapeError,
} from "./shape";
import type { JsonObject } from "./shape";
import type { ReadResult } from "./types";
import { parseSourcePosition } from "./source-position";
import type { SourcePosition } from "./source-position";
import { isProviderType, parseUrn } from "./urn";
import { newValueStats, normalizeProps, normalizeValue } from "./values";

/** How each engine step op (pkg/resource/deploy/step.go) reads, or `skip`. */
const STEP_OPS: Readonly<Record<string, { op: Operation; state: "new" | "old" } | "skip">> = {
  same: { op: "same", state: "new" },
  create: { op: "create", state: "new" },
  update: { op: "update", state: "new" },
  replace: { op: "replace", state: "new" },
  "create-replacement": { op: "replace", state: "new" },
  delete: { op: "delete", state: "old" },
  discard: { op: "delete", state: "old" },
  read: { op: "read", state: "new" },
  "read-replacement": { op: "read", state: "new" },
  refresh: { op: "same", state: "new" },
  import: { op: "import", state: "new" },
  "import-replacement": { op: "import", state: "new" },
  // The old half of a replacement: the `replace` / `create-replacement` step covers the
  // resource, and checking the outgoing copy would report its findings twice.
  "delete-replaced": "skip",
  "discard-replaced": "skip",
  "remove-pending-replace": "skip",
};

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

function stateType(step: Step, state: JsonObject | undefined): string {
  const type = state?.type;
  if (typeof type === "string" && type !== "") return type;
  const parsed = parseUrn(step.urn);
  if (parsed === undefined) throw new ShapeError(`steps[${step.index}].urn`, "a Pulumi URN");
  return parsed.type;
}

export function readPreview(doc: JsonObject): ReadResult {
  const steps = optionalArray(doc.steps, "steps").map(readStep);
  const stats = newValueStats();
  const notes: string[] = [];

  // Providers first: a resource's step may come before its provider's.
  const providers = new Map<string, ProviderState>();
  for (const step of steps) {
    const state = step.newState ?? step.oldState;
    const type = stateType(step, state);
    if (!isProviderType(type)) continue;
    providers.set(step.urn, { type, props: normalizeProps(state?.inputs, stats) });
  }
  // Secrets in config (passwords...) are not resource values: count them apart.
  const config = readConfig(doc.config, newValueStats());
  const resolver = providerResolver(providers, config);

  const byUrn = new Map<string, { resource: ResourceInput; weak: boolean }>();
  let shownSames = 0;
  const unknownOps = new Set<string>();
  const withSecrets = new Set<string>();
  const positions = new Map<string, SourcePosition>();
  for (const step of steps) {
    const how = STEP_OPS[step.op];
    if (how === undefined) {
      unknownOps.add(step.op);
      continue;
    }
    if (how === "skip") continue;
    const state = how.state === "new" ? (step.newState ?? step.oldState) : step.oldState;
    const type = stateType(step, state);
    if (type === STACK_TYPE || isProviderType(type) || state?.custom === false) continue;
    if (step.op === "same") shownSames++;
    const weak = WEAK_OPS.has(step.op);
    const seen = byUrn.get(step.urn);
    if (seen !== undefined && (weak || !seen.weak)) continue;
    const parsed = parseUrn(step.urn);
    const providerRef =
      step.provider ?? (typeof state?.provider === "string" ? state.provider : undefined);
    const provider = resolver.resolve(providerRef);
    const hiddenBefore = stats.hiddenSecrets;
    const props = normalizeProps(state?.inputs, stats);
    if (stats.hiddenSecrets > hiddenBefore) withSecrets.add(parsed?.name ?? step.urn);
    const position = parseSourcePosition(state?.sourcePosition);
    if (position !== undefined) positions.set(step.urn, position);
    byUrn.set(step.urn, {
      weak,
      resource: {
        urn: step.urn,
        type,
        name: parsed?.name ?? step.urn,
        props,
        op: how.op,
        ...(provider === undefined ? {} : { provider }),
        ...withDependencies(dependenciesOf(state)),
      },
    });
  }

  notes.push(...resolver.notes());
  if (withSecrets.size > 0) {
    notes.push(
      `secret values (shown as "[secret]" in a preview) were treated as unknown on ` +
        `${[...withSecrets].join(", ")}; the policy pack checks them at \`pulumi up\``,
    );
  }
  const sameCount = summaryCount(doc.changeSummary, "same");
  // The stack's own `same` step is always shown; resources are not, without --show-sames.
  const stackSames = steps.filter(
    (s) => s.op === "same" && stateType(s, s.newState ?? s.oldState) === STACK_TYPE,
  ).length;
  const hiddenSames = sameCount - shownSames - stackSames;
  if (hiddenSames > 0) {
    notes.push(
      `${hiddenSames} unchanged resource(s) or provider(s) are not listed in this preview and ` +
        `were not checked; run \`pulumi preview --json --show-sames\` to check them too`,
    );
  }
  if (unknownOps.size > 0) {
    notes.push(`step op(s) not understood and skipped: ${[...unknownOps].sort().join(", ")}`);
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
  return {
    format: "preview",
    resources: [...byUrn.values()].map((entry) => entry.resource),
    notes,
    positions,
  };
}

function withDependencies(dependencies: string[]): { dependencies?: readonly string[] } {
  return dependencies.length === 0 ? {} : { dependencies };
}

function readConfig(
  value: unknown,
  stats: ReturnType<typeof newValueStats>,
): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  const config = requireObject(value, "config");
  const result: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(config)) result[key] = normalizeValue(entry, stats);
  return result;
}

function summaryCount(summary: unknown, op: string): number {
  if (!isObject(summary)) return 0;
  const count = summary[op];
  return typeof count === "number" && Number.isFinite(count) ? count : 0;
}
