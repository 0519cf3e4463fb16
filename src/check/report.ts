/**
 * The result of `ai-spend-guard check`: findings of the policy rules on the resources of one
 * Pulumi document, as data. Pure: no I/O. Every output (the table for people in
 * src/cli/check-table.ts, the JSON) renders this one object.
 */
import type { Registry } from "../registry";
import { evaluateStack, isAiResource } from "../policy";
import type { Enforcement, EvaluationContext, Finding, ResourceInput } from "../policy";
import { hiddenTagsNote, redactor } from "./secrets";
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

/** A resource of the document, as reports list it. */
export interface ResourceRef {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
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
    /**
     * Cloud resources the rules checked: no stack, providers or components, and neither
     * deletions nor resources the program only reads.
     */
    readonly resources: number;
    /** Of those, the AI resources, as the rules found them (catalog type and its condition). */
    readonly aiResources: number;
    readonly mandatory: number;
    readonly advisory: number;
    /** Deletions in the document: never blocked, not checked. */
    readonly deleted: number;
    /** Resources the program only reads (`.get()`, `external`): not its to tag, not checked. */
    readonly readOnly: number;
  };
  /** Mandatory first, then advisory; in document order within each. */
  readonly findings: readonly CheckFinding[];
  /** AI resources the rules checked that have no finding at all. */
  readonly clean: readonly ResourceRef[];
  /** What the document could not show the rules. */
  readonly notes: readonly string[];
}

export interface CheckOptions {
  readonly registry: Registry;
  readonly today: string;
  readonly extraAiTypes?: readonly string[];
  /**
   * How messages speak of values they cannot read; by default a preview's are not known until
   * the update and a state's are hidden by the file.
   */
  readonly stage?: EvaluationContext["stage"];
}

const RANK: Readonly<Record<Enforcement, number>> = { mandatory: 0, advisory: 1 };

/** Lists longer than this in a note end with "and N more". */
const LISTED_IN_NOTES = 10;

export function checkDocument(
  source: string,
  read: ReadResult,
  options: CheckOptions,
): CheckReport {
  const ctx: EvaluationContext = {
    registry: options.registry,
    today: options.today,
    stage: options.stage ?? (read.format === "preview" ? "preview" : "deployed"),
    ...(options.extraAiTypes === undefined ? {} : { extraAiTypes: options.extraAiTypes }),
  };
  // What the engine analyzes: no deletion, and no read (it runs no analyzer on read steps).
  const analyzed = read.resources.filter((r) => r.op !== "delete" && r.op !== "read");
  const reads = read.resources.filter((r) => r.op === "read");
  const findings = evaluateStack(analyzed, ctx);
  const position = new Map(read.resources.map((r, i) => [r.urn, i] as const));
  const byUrn = new Map(read.resources.map((r) => [r.urn, r] as const));
  const secrets = redactor(read.secrets, (urn) => byUrn.get(urn)?.name ?? urn);
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
    )
    .map((finding) => ({ ...finding, message: secrets.redact(finding.message, finding.urn) }));
  const ai = analyzed.filter((r) => isAiResource(r, ctx));
  const flagged = new Set(findings.map((f) => f.urn));
  const mandatory = sorted.filter((f) => f.enforcement === "mandatory").length;
  const notes = [...read.notes];
  const hidden = hiddenTagsNote(analyzed, read.secrets, read.format, ctx);
  if (hidden !== undefined) notes.push(hidden);
  if (reads.length > 0) notes.push(readsNote(reads));
  return {
    source,
    format: read.format,
    registry: options.registry.source,
    today: options.today,
    passed: mandatory === 0,
    summary: {
      resources: analyzed.length,
      aiResources: ai.length,
      mandatory,
      advisory: sorted.length - mandatory,
      deleted: read.resources.filter((r) => r.op === "delete").length,
      readOnly: reads.length,
    },
    findings: sorted,
    clean: ai.filter((r) => !flagged.has(r.urn)).map(refOf),
    notes: notes.map((note) => secrets.redact(note)),
  };
}

function readsNote(reads: readonly ResourceInput[]): string {
  const listed = reads.slice(0, LISTED_IN_NOTES).map((r) => `${r.type} ${r.name}`);
  const more = reads.length - listed.length;
  return (
    `${reads.length} resource(s) are only read by the program (\`.get()\`, or \`external\` in a ` +
    `state): ${listed.join(", ")}${more > 0 ? ` and ${more} more` : ""}. They are not its ` +
    `resources to tag, so no policy blocks them (the engine runs no policy on a read either); ` +
    `they are checked in the stack that manages them`
  );
}

function refOf(resource: ResourceInput): ResourceRef {
  return { urn: resource.urn, type: resource.type, name: resource.name };
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
