/** Wording shared by the rules' messages: how a resource is named, lists, tag examples. */
import type { Registry } from "../registry";
import type { CatalogEntry } from "./catalog";
import type { Finding, ResourceInput } from "./types";

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

/** The tags to add, written the way this resource type takes them. */
export function tagsExample(
  entry: CatalogEntry & { taggable: true },
  tags: Record<string, string>,
): string {
  const pairs = Object.entries(tags);
  if (entry.tags.shape === "key-value-array") {
    return `${entry.tags.property}: [${pairs.map(([k, v]) => `{ key: "${k}", value: "${v}" }`).join(", ")}]`;
  }
  return `${entry.tags.property}: { ${pairs.map(([k, v]) => `${k}: "${v}"`).join(", ")} }`;
}

export function finding(
  policy: Finding["policy"],
  enforcement: Finding["enforcement"],
  subject: { resource: { urn: string } },
  message: string,
): Finding {
  return { policy, enforcement, urn: subject.resource.urn, message };
}
