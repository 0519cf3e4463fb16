/**
 * The CrossGuard adapter: turns the engine's `ResourceValidationArgs` / `StackValidationArgs`
 * (props behind `unknownCheckingProxy`) into plain `ResourceInput`, runs the pure rules of
 * `src/policy`, and reports each finding with `reportViolation`.
 *
 * Enforcement: a CrossGuard policy has ONE enforcement level, and the engine fails the preview on
 * any diagnostic of a mandatory policy. The contract policies (`ai-resource-tags`, ...) are
 * mandatory and report only mandatory findings; each has an advisory companion
 * (`ai-resource-tags-advisory`, ...) that reports the same rule's advisories: values unknown at
 * preview, review dates coming up, applied exemptions, untaggable resources. So an advisory can
 * never fail a deployment, and either half can be configured on its own.
 *
 * This module does not start anything: `index.ts` constructs the `PolicyPack` (which starts the
 * analyzer server), so tests import this file directly.
 */
import { UnknownValueError } from "@pulumi/policy";
import type {
  PolicyConfigSchema,
  PolicyPackArgs,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { loadRegistry, REGISTRY_ENV, RegistryLoadError } from "../src/registry";
import type { Registry } from "../src/registry";
import {
  evaluatePolicy,
  evaluateStackPolicy,
  policyUrl,
  REMEDIATIONS,
  REPOSITORY_URL,
  RESOURCE_RULES,
  STACK_RULES,
  UNKNOWN,
} from "../src/policy";
import type {
  EvaluationContext,
  Finding,
  PolicyDefinition,
  RemediationDefinition,
  ResourceInput,
  ResourceRuleDefinition,
  StackRuleDefinition,
} from "../src/policy";
import { toIsoDate } from "../src/util/dates";
import { locatePackRegistry, projectOfPack } from "./locate";
import { packReadme } from "./readme";

export const PACK_NAME = "ai-spend-guard";
export const PACK_DISPLAY_NAME = "ai-spend-guard: AI spend explainable by workflow and owner";
const PACK_DESCRIPTION =
  "Every AI resource on AWS names a registered workflow and its accountable owner, so its spend is explainable.";
/** Suffix of the advisory companion of each contract policy. */
export const ADVISORY_SUFFIX = "-advisory";

export interface PackContext {
  readonly registry: Registry;
  /** Today's date, read on every call so a long-running analyzer does not go stale. */
  readonly today: () => string;
}

/** The real clock, in UTC: what the shipped pack uses, with no way to override it from outside. */
export const systemToday = (): string => toIsoDate(new Date());

/**
 * The registry and the date source. The registry is the one at `AI_SPEND_GUARD_REGISTRY`, else
 * `workflows.yaml` in the pack folder (the engine's working directory for the pack), else in the
 * project the pack serves (`./locate.ts`); never the example registry shipped in the package.
 * Throws the registry's own error (every problem, positioned) when it is invalid, and one line
 * saying where it looked when there is none.
 *
 * `today` is the clock. Only tests pass another one: the shipped entry (`index.ts`) takes the
 * system clock, because a date pinned through the environment could be set by a deployment by
 * accident, and a past date turns an expired exemption back into a waiver.
 */
export function loadPackContext(
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd: string = process.cwd(),
  today: () => string = systemToday,
): PackContext {
  const located = locatePackRegistry(env, cwd);
  if (located.kind === "missing") throw new RegistryLoadError(located.message);
  const project = projectOfPack(cwd);
  // Through the environment when it came from there, so a read error names the variable.
  const registry =
    located.from === REGISTRY_ENV
      ? loadRegistry(undefined, { env: { [REGISTRY_ENV]: located.path }, cwd: project })
      : loadRegistry(located.path, { cwd: project });
  return { registry, today };
}

/** The config every resource policy accepts (`--policy-pack-config`). */
export interface ResourcePolicyConfig {
  /** Extra Pulumi types to treat as taggable AI resources. */
  readonly extraAiTypes?: readonly string[];
}

const RESOURCE_CONFIG_SCHEMA: PolicyConfigSchema = {
  properties: {
    extraAiTypes: {
      type: "array",
      items: { type: "string" },
      description:
        "Extra Pulumi resource types to treat as taggable AI resources, e.g. aws:ecs/service:Service for a self-hosted model.",
    },
  },
};

/**
 * A proxied value -> a plain one, with every value unknown at preview as `UNKNOWN`. Reads go
 * through the proxy (catching `UnknownValueError`), so nothing relies on its internals.
 */
export function materialize(read: () => unknown): unknown {
  let value: unknown;
  try {
    value = read();
  } catch (error) {
    if (error instanceof UnknownValueError) return UNKNOWN;
    throw error;
  }
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const list = value as unknown[];
    return Array.from({ length: list.length }, (_, i) => materialize(() => list[i]));
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value; // Secret, asset, archive: keep
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) out[key] = materialize(() => record[key]);
  return out;
}

type EngineResource = Pick<ResourceValidationArgs, "urn" | "type" | "name" | "props" | "provider"> &
  Partial<Pick<PolicyResource, "dependencies">>;

/** Engine args (resource validation, or one resource of a stack validation) -> `ResourceInput`. */
export function toResourceInput(args: EngineResource): ResourceInput {
  const props = materialize(() => args.props);
  const provider = args.provider;
  return {
    urn: args.urn,
    type: args.type,
    name: args.name,
    props:
      props === UNKNOWN || typeof props !== "object" || props === null
        ? {}
        : (props as Record<string, unknown>),
    ...(provider === undefined
      ? {}
      : {
          provider: {
            type: provider.type,
            props: (materialize(() => provider.props) ?? {}) as Record<string, unknown>,
          },
        }),
    ...(args.dependencies === undefined
      ? {}
      : { dependencies: args.dependencies.map((d) => d.urn) }),
  };
}

function contextFor(pack: PackContext, config: ResourcePolicyConfig): EvaluationContext {
  const extra = Array.isArray(config.extraAiTypes)
    ? config.extraAiTypes.filter((t): t is string => typeof t === "string")
    : [];
  return { registry: pack.registry, today: pack.today(), extraAiTypes: extra };
}

function report(
  findings: readonly Finding[],
  enforcement: Finding["enforcement"],
  reportViolation: ReportViolation,
): void {
  for (const finding of findings) {
    if (finding.enforcement === enforcement) reportViolation(finding.message, finding.urn);
  }
}

/** The engine's level of a policy: its own, unless it is off by default. */
function level<L extends string>(policy: PolicyDefinition, enforcement: L): L | "disabled" {
  return policy.enabledByDefault ? enforcement : "disabled";
}

/**
 * Name, description and level of a contract policy or of its advisory companion
 * (`<name>-advisory`, which reports the rule's advisories and never blocks).
 */
function policyHeader(
  policy: ResourceRuleDefinition | StackRuleDefinition,
  half: Finding["enforcement"],
): PolicyHeader {
  return {
    name: half === "mandatory" ? policy.name : `${policy.name}${ADVISORY_SUFFIX}`,
    description:
      half === "mandatory"
        ? policy.description
        : `Advisories of ${policy.name} (never blocking): ${policy.advisories}.`,
    enforcementLevel: level(policy, half === "mandatory" ? policy.enforcement : "advisory"),
    ...metadata(policy, half),
  };
}

type PolicyHeader = Pick<
  ResourceValidationPolicy,
  "name" | "description" | "enforcementLevel" | "remediationSteps" | "severity" | "url" | "tags"
>;

/**
 * What Pulumi Cloud and `pulumi preview` show beside a policy, from the policy table: its
 * severity (an advisory companion is `low`: it never blocks), what to do, its README section
 * and its topics.
 */
function metadata(
  policy: PolicyDefinition,
  half: Finding["enforcement"] | "remediate",
): Pick<PolicyHeader, "remediationSteps" | "severity" | "url" | "tags"> {
  return {
    severity: half === "advisory" ? "low" : policy.severity,
    remediationSteps: policy.remediation,
    url: policyUrl(policy.name),
    tags: [...policy.tags],
  };
}

function resourcePolicy(
  policy: ResourceRuleDefinition,
  half: Finding["enforcement"],
  pack: PackContext,
): ResourceValidationPolicy {
  return {
    ...policyHeader(policy, half),
    configSchema: RESOURCE_CONFIG_SCHEMA,
    validateResource: (args, reportViolation) => {
      const ctx = contextFor(pack, args.getConfig<ResourcePolicyConfig>());
      report(evaluatePolicy(policy, toResourceInput(args), ctx), half, reportViolation);
    },
  };
}

function stackPolicy(
  policy: StackRuleDefinition,
  half: Finding["enforcement"],
  pack: PackContext,
): StackValidationPolicy {
  return {
    ...policyHeader(policy, half),
    validateStack: (args: StackValidationArgs, reportViolation) => {
      const ctx = contextFor(pack, {});
      const resources = args.resources.map(toResourceInput);
      report(evaluateStackPolicy(policy, resources, ctx), half, reportViolation);
    },
  };
}

function remediationPolicy(
  policy: RemediationDefinition,
  pack: PackContext,
): ResourceValidationPolicy {
  return {
    name: policy.name,
    description: policy.description,
    // Off by default: enable with --policy-pack-config '{"ai-owner-from-registry": "remediate"}'.
    enforcementLevel: level(policy, "remediate"),
    ...metadata(policy, "remediate"),
    remediateResource: (args) => policy.transform(toResourceInput(args), contextFor(pack, {})),
  };
}

/**
 * Every policy of the pack, from the policy table: the mandatory halves of the resource rules,
 * their advisory companions, each stack rule and its companion, then the remediations.
 */
export function buildPolicies(pack: PackContext): PolicyPackArgs["policies"] {
  return [
    ...RESOURCE_RULES.map((policy) => resourcePolicy(policy, "mandatory", pack)),
    ...RESOURCE_RULES.map((policy) => resourcePolicy(policy, "advisory", pack)),
    ...STACK_RULES.flatMap((policy) => [
      stackPolicy(policy, "mandatory", pack),
      stackPolicy(policy, "advisory", pack),
    ]),
    ...REMEDIATIONS.map((policy) => remediationPolicy(policy, pack)),
  ];
}

export function packArgs(pack: PackContext): PolicyPackArgs {
  return {
    policies: buildPolicies(pack),
    enforcementLevel: "mandatory",
    displayName: PACK_DISPLAY_NAME,
    description: PACK_DESCRIPTION,
    readme: packReadme(PACK_DESCRIPTION),
    repository: REPOSITORY_URL,
    provider: "aws",
    tags: ["aws", "ai", "cost", "tagging", "bedrock", "sagemaker"],
  };
}

/**
 * The pack's arguments, or exit 1 with the registry's own error: a pack that cannot read the
 * registry must fail the preview loudly, never pass everything.
 */
export function packArgsOrExit(load: () => PackContext = () => loadPackContext()): PolicyPackArgs {
  try {
    return packArgs(load());
  } catch (error) {
    process.stderr.write(`ai-spend-guard policy pack cannot start: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
