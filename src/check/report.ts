/**
 * The result of `ai-spend-guard check`: findings of the policy rules on the resources of one
 * Pulumi document, as data. Pure: no I/O. The table for people is drawn by the CLI
 * (src/cli/check-table.ts).
 */
import type { Registry } from "../registry";
import { aiResourceType, evaluateStack } from "../policy";
import type { Enforcement, Finding, ResourceInput } from "../policy";
import type { SourcePosition } from "./source-position";
import type { PulumiFormat, ReadResult } from "./types";
import { parseUrn } from "./urn";

export interface CheckFinding extends Finding {
  /** The resource's name and type, when the finding is about a resource of the document. */
  readonly name: string;
  readonly type: string;
  /** Where the resource was declared, when the document records it. */
  readonly source?: SourcePosition;
}

export interface CheckReport {
  /** The document checked, as named on the command line. */
  readonly source: string;
  readonly format: PulumiFormat;
  /** Where the registry was read from. */
  readonly registry: string;
  readonly today: string;
  /** False when any finding is mandatory: the deployment must not go ahead. */
  readonly passed: boolean;
  readonly summary: {
    /** Cloud resources in the document (no stack, providers or components). */
    readonly resources: number;
    /** Of those, AI resources per the catalog (and the extra types given). */
    readonly aiResources: number;
    readonly mandatory: number;
    readonly advisory: number;
  };
  /** Mandatory first, then advisory; in document order within each. */
  readonly findings: readonly CheckFinding[];
  /** AI resources with no finding at all, by name (deletions excluded). */
  readonly clean: readonly string[];
  /** What the document could not show the rules. */
  readonly notes: readonly string[];
}

export interface CheckOptions {
  readonly registry: Registry;
  readonly today: string;
  readonly extraAiTypes?: readonly string[];
}

const RANK: Readonly<Record<Enforcement, number>> = { mandatory: 0, advisory: 1 };

export function checkDocument(
  source: string,
  read: ReadResult,
  options: CheckOptions,
): CheckReport {
  const ctx = {
    registry: options.registry,
    today: options.today,
    ...(options.extraAiTypes === undefined ? {} : { extraAiTypes: options.extraAiTypes }),
  };
  const findings = evaluateStack(read.resources, ctx);
  const position = new Map(read.resources.map((r, i) => [r.urn, i] as const));
  const byUrn = new Map(read.resources.map((r) => [r.urn, r] as const));
  const sorted = findings
    .map((finding, i) => ({ finding, i }))
    .sort(
      (a, b) =>
        RANK[a.finding.enforcement] - RANK[b.finding.enforcement] ||
        (position.get(a.finding.urn) ?? Infinity) - (position.get(b.finding.urn) ?? Infinity) ||
        a.i - b.i,
    )
    .map(({ finding }) =>
      withResource(finding, byUrn.get(finding.urn), read.positions?.get(finding.urn)),
    );
  const ai = read.resources.filter(
    (r) => aiResourceType(r.type, options.extraAiTypes ?? []) !== undefined,
  );
  const flagged = new Set(findings.map((f) => f.urn));
  const mandatory = sorted.filter((f) => f.enforcement === "mandatory").length;
  return {
    source,
    format: read.format,
    registry: options.registry.source,
    today: options.today,
    passed: mandatory === 0,
    summary: {
      resources: read.resources.length,
      aiResources: ai.length,
      mandatory,
      advisory: sorted.length - mandatory,
    },
    findings: sorted,
    clean: ai.filter((r) => r.op !== "delete" && !flagged.has(r.urn)).map((r) => r.name),
    notes: read.notes,
  };
}

function withResource(
  finding: Finding,
  resource: ResourceInput | undefined,
  source: SourcePosition | undefined,
): CheckFinding {
  const parsed = resource === undefined ? parseUrn(finding.urn) : undefined;
  return {
    ...finding,
    name: resource?.name ?? parsed?.name ?? finding.urn,
    type: resource?.type ?? parsed?.type ?? "",
    ...(source === undefined ? {} : { source }),
  };
}
