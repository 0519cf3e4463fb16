/** Wording shared by the rules' messages: how a resource is named, lists, tag examples. */
import type { Registry } from "../registry";
import type { CatalogEntry } from "./catalog";
import type { EvaluationContext, Finding, ResourceInput } from "./types";

/** `aws:sagemaker/endpoint:Endpoint "triage"`: how messages name a resource. */
export function describeResource(resource: ResourceInput): string {
  return `${resource.type} "${resource.name}"`;
}

const MAX_LISTED_WORKFLOWS = 12;

/** `support-triage (dana@example.com), invoice-matching (priya@example.com), ...` */
export function registeredWorkflows(registry: Registry): string {
  const listed = registry.workflows
    .slice(0, MAX_LISTED_WORKFLOWS)
    .map((w) => `${w.id} (${w.owner})`)
    .join(", ");
  const more = registry.workflows.length - MAX_LISTED_WORKFLOWS;
  return more > 0 ? `${listed} and ${more} more in ${registry.source}` : listed;
}

export function quoteList(items: readonly string[]): string {
  return items.map((item) => `"${item}"`).join(" and ");
}

/**
 * A key as it must be written in an object literal of the program: bare when it is an
 * identifier, quoted otherwise (`"acme:workflow"`), so a suggested fix compiles.
 */
export function propertyKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}

/** `{ workflow: "support-triage", "acme:owner": "dana@example.com" }` */
export function objectLiteral(pairs: Readonly<Record<string, string>>): string {
  const entries = Object.entries(pairs).map(([k, v]) => `${propertyKey(k)}: ${JSON.stringify(v)}`);
  return `{ ${entries.join(", ")} }`;
}

/** The tags to add, written the way this resource type takes them. */
export function tagsExample(
  entry: CatalogEntry & { taggable: true },
  tags: Record<string, string>,
): string {
  const pairs = Object.entries(tags);
  if (entry.tags.shape === "key-value-array") {
    return `${entry.tags.property}: [${pairs.map(([k, v]) => `{ key: ${JSON.stringify(k)}, value: ${JSON.stringify(v)} }`).join(", ")}]`;
  }
  return `${entry.tags.property}: ${objectLiteral(tags)}`;
}

/**
 * How a message speaks of a value it cannot read. At preview it is not known until the update,
 * and the rule says what it will check then; in deployed state read from a file (an audit) the
 * only such values are secrets the file hides, and nothing more will be checked later.
 */
export function isAudit(ctx: EvaluationContext): boolean {
  return ctx.stage === "deployed";
}

/** The audit's phrase for a value it cannot read (see `isAudit`). */
export const HIDDEN_IN_FILE = "cannot be read in this file (a secret)";

export function finding(
  policy: Finding["policy"],
  enforcement: Finding["enforcement"],
  subject: { resource: { urn: string } },
  message: string,
): Finding {
  return { policy, enforcement, urn: subject.resource.urn, message };
}
