/**
 * The audit: every AI resource the account's inventory lists, judged by the pack's own rules
 * (`evaluateResource`, the function `check` and the pack call), and, with stack exports, marked
 * managed or outside IaC. Pure: the adapters (`./aws`) list the resources; this decides.
 */
import type { Registry } from "../registry";
import { findWorkflow } from "../registry";
import { aiResourceType, evaluateResource } from "../policy";
import type { EvaluationContext, Finding, ResourceInput } from "../policy";
import { parseArn, resourceIdOf } from "./arn";
import { arnTypeOf } from "./arn-types";
import type { ManagedIndex } from "./managed";
import type { RegionChoice } from "./regions";

/** Where the inventory came from. */
export type InventorySource = "resource-explorer" | "tagging-api";

/** One resource as an inventory API listed it. */
export interface DiscoveredResource {
  readonly arn: string;
  /** The region it lives in (`global` for global resources). */
  readonly region: string;
  /** Its tags (empty when it has none). */
  readonly tags: Readonly<Record<string, string>>;
}

export type IacStatus =
  /** Its ARN or id is in this stack export. */
  | { readonly kind: "managed"; readonly stack: string }
  /** Not in any of the exports given. */
  | { readonly kind: "outside" }
  /** No export was given: unknown. */
  | { readonly kind: "not-checked" };

export interface AuditedResource {
  readonly kind: "resource";
  readonly arn: string;
  readonly region: string;
  /** `service:type` as the ARN names it (`sagemaker:endpoint`). */
  readonly resourceType: string;
  /** The Pulumi type the rules judged it as. */
  readonly type: string;
  /** Its id (the last segment of the ARN), as the findings name it. */
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly iac: IacStatus;
  /** The rules' findings, mandatory first; empty when it passes. */
  readonly findings: readonly Finding[];
  /** Whose it is, when its tags say so: the owner tag, else the registered workflow's owner. */
  readonly owner: string | null;
}

/** A resource of an audited service whose ARN shape the audit does not know: never dropped. */
export interface UnrecognisedResource {
  readonly kind: "unrecognised";
  readonly arn: string;
  readonly region: string;
  readonly reason: string;
}

/** Something the audit could not look at (an API denied, a region not enabled). */
export interface NotChecked {
  readonly what: string;
  readonly reason: string;
}

export interface AuditReport {
  readonly source: InventorySource;
  readonly regions: RegionChoice;
  readonly registry: string;
  readonly today: string;
  /** Judged resources, those with a mandatory finding or outside IaC first. */
  readonly resources: readonly AuditedResource[];
  readonly unrecognised: readonly UnrecognisedResource[];
  readonly summary: {
    readonly resources: number;
    readonly outsideIac: number;
    readonly mandatory: number;
    readonly advisory: number;
    readonly unrecognised: number;
    /** Stack exports compared against; 0 = IaC not checked. */
    readonly stackExports: number;
  };
  readonly notes: readonly string[];
  /** What could not be checked: the audit is incomplete when this is not empty. */
  readonly notChecked: readonly NotChecked[];
  /** False when a resource is outside IaC or has a mandatory finding. */
  readonly passed: boolean;
  /** False when something could not be checked (`notChecked`). */
  readonly complete: boolean;
}

export interface AuditInput {
  readonly source: InventorySource;
  readonly regions: RegionChoice;
  readonly discovered: readonly DiscoveredResource[];
  readonly notes?: readonly string[];
  readonly notChecked?: readonly NotChecked[];
  /** From `--stack-export`; absent: IaC is not checked. */
  readonly managed?: ManagedIndex;
}

export interface AuditOptions {
  readonly registry: Registry;
  readonly today: string;
  readonly extraAiTypes?: readonly string[];
}

/**
 * The resource as the rules see deployed state: its type, its id as name, its tags where the
 * catalog says the type keeps them. The same shape `check` reads from a stack export.
 */
export function resourceInputOf(
  discovered: DiscoveredResource,
  type: string,
  name: string,
): ResourceInput {
  const property = tagPropertyOf(type);
  return {
    urn: discovered.arn,
    type,
    name,
    props: { arn: discovered.arn, [property]: { ...discovered.tags } },
    op: "same",
  };
}

function tagPropertyOf(type: string): string {
  const entry = aiResourceType(type);
  return entry?.taggable === true ? entry.tags.property : "tags";
}

/** Judges one listed resource, or says why it cannot. */
export function judgeResource(
  discovered: DiscoveredResource,
  ctx: EvaluationContext,
  managed: ManagedIndex | undefined,
): AuditedResource | UnrecognisedResource {
  const parsed = parseArn(discovered.arn);
  if (parsed === undefined) {
    return { kind: "unrecognised", ...where(discovered), reason: "not an ARN" };
  }
  const known = arnTypeOf(parsed);
  if (known === undefined) {
    return {
      kind: "unrecognised",
      ...where(discovered),
      reason: `resource type ${parsed.service}:${parsed.segments[0] ?? ""} is not one the audit maps to the pack's catalog`,
    };
  }
  const name = resourceIdOf(parsed);
  const findings = evaluateResource(resourceInputOf(discovered, known.type, name), ctx);
  const stack = managed?.stackOf(discovered.arn, parsed, known.type);
  return {
    kind: "resource",
    ...where(discovered),
    resourceType: known.key,
    type: known.type,
    name,
    tags: discovered.tags,
    iac:
      managed === undefined
        ? { kind: "not-checked" }
        : stack === undefined
          ? { kind: "outside" }
          : { kind: "managed", stack },
    findings: [...findings].sort((a, b) => rank(a) - rank(b)),
    owner: ownerOf(discovered.tags, ctx.registry),
  };
}

function where(discovered: DiscoveredResource): { arn: string; region: string } {
  return { arn: discovered.arn, region: discovered.region };
}

const rank = (finding: Finding): number => (finding.enforcement === "mandatory" ? 0 : 1);

/** The owner tag, else the owner of the registered workflow the workflow tag names. */
function ownerOf(tags: Readonly<Record<string, string>>, registry: Registry): string | null {
  const keys = registry.settings.tagKeys;
  const owner = tags[keys.owner];
  if (owner !== undefined && owner !== "") return owner;
  const workflowId = tags[keys.workflow];
  const workflow = workflowId === undefined ? undefined : findWorkflow(registry, workflowId);
  return workflow?.owner ?? null;
}

/** The audit of one inventory. */
export function auditInventory(input: AuditInput, options: AuditOptions): AuditReport {
  const ctx: EvaluationContext = {
    registry: options.registry,
    today: options.today,
    stage: "deployed",
    ...(options.extraAiTypes === undefined ? {} : { extraAiTypes: options.extraAiTypes }),
  };
  const resources: AuditedResource[] = [];
  const unrecognised: UnrecognisedResource[] = [];
  const seen = new Set<string>();
  for (const discovered of input.discovered) {
    // Resource Explorer lists a resource once per index that saw it; count it once.
    if (seen.has(discovered.arn)) continue;
    seen.add(discovered.arn);
    const judged = judgeResource(discovered, ctx, input.managed);
    if (judged.kind === "resource") resources.push(judged);
    else unrecognised.push(judged);
  }
  resources.sort((a, b) => severity(a) - severity(b) || a.arn.localeCompare(b.arn));
  unrecognised.sort((a, b) => a.arn.localeCompare(b.arn));
  const findings = resources.flatMap((r) => r.findings);
  const mandatory = findings.filter((f) => f.enforcement === "mandatory").length;
  const outsideIac = resources.filter((r) => r.iac.kind === "outside").length;
  const notChecked = input.notChecked ?? [];
  return {
    source: input.source,
    regions: input.regions,
    registry: options.registry.source,
    today: options.today,
    resources,
    unrecognised,
    summary: {
      resources: resources.length,
      outsideIac,
      mandatory,
      advisory: findings.length - mandatory,
      unrecognised: unrecognised.length,
      stackExports: input.managed?.exports ?? 0,
    },
    notes: input.notes ?? [],
    notChecked,
    passed: mandatory === 0 && outsideIac === 0,
    complete: notChecked.length === 0,
  };
}

/** Outside IaC or a mandatory finding first, then advisories, then clean. */
function severity(resource: AuditedResource): number {
  if (resource.iac.kind === "outside") return 0;
  if (resource.findings.some((f) => f.enforcement === "mandatory")) return 1;
  return resource.findings.length > 0 ? 2 : 3;
}
