/**
 * The one attribution rule: which workflow a line of spend belongs to. Every cost source applies
 * it through this module (Cost Explorer through its query plan, a line-level CUR source row by
 * row), so two sources cannot disagree about whose a dollar is.
 *
 * AWS offers alternative views of the same spend, never additive ones:
 * - the **resource tag** (`settings.tagKeys.workflow`) on what was billed: a SageMaker endpoint,
 *   a Bedrock application inference profile (AIP), a Lambda function;
 * - the **caller's principal tag** (`iamPrincipal/<that key>`): since 2026-04 AWS copies the tags
 *   of the IAM user or role that called Bedrock (and its STS session tags) onto the inference
 *   line, as cost allocation tags of their own.
 *
 * The rule: the first route with a non-empty value decides, whether or not that value is a
 * registered workflow (a misspelt resource tag is unregistered spend, never silently overridden
 * by the caller's tag). With neither, the line is unattributed. A line whose two tags are both
 * present and differ is an attribution conflict: it counts under the resource tag, and is
 * reported so that someone re-tags the role or the resource.
 */

/** The routes, in the order the rule asks them. */
export const ATTRIBUTION_ROUTES = ["resourceTag", "principalTag"] as const;
export type AttributionRoute = (typeof ATTRIBUTION_ROUTES)[number];

/**
 * The prefix AWS gives the cost allocation tags it takes from the calling IAM principal: the
 * principal's `workflow` tag is billed as `iamPrincipal/workflow`, a key of its own, activated
 * separately from the resource tag `workflow`.
 */
export const PRINCIPAL_TAG_PREFIX = "iamPrincipal/";

/** `workflow` -> `iamPrincipal/workflow`: the caller's tag key for a resource tag key. */
export function principalTagKey(tagKey: string): string {
  return `${PRINCIPAL_TAG_PREFIX}${tagKey}`;
}

export type Attribution =
  | {
      readonly kind: "attributed";
      readonly route: AttributionRoute;
      /** The tag value that decided (registered or not). */
      readonly value: string;
      /**
       * The caller's principal tag when the resource tag decided and the caller named another
       * value: an attribution conflict. Null otherwise.
       */
      readonly conflictsWith: string | null;
    }
  | { readonly kind: "unattributed" };

const UNATTRIBUTED: Attribution = { kind: "unattributed" };

/** An empty value is no value: Cost Explorer's `workflow$` group holds both. */
const present = (value: string | null | undefined): value is string =>
  value !== null && value !== undefined && value !== "";

/**
 * The rule, for one line: its resource tag's value and its caller's principal tag's value
 * (null or "" when absent).
 *
 * @example
 * attribute("support-triage", null);               // resourceTag -> support-triage
 * attribute(null, "invoice-matching");             // principalTag -> invoice-matching
 * attribute("support-triage", "invoice-matching"); // resourceTag -> support-triage, conflictsWith invoice-matching
 * attribute("", null);                             // unattributed
 */
export function attribute(
  resourceTag: string | null | undefined,
  principalTag: string | null | undefined,
): Attribution {
  if (present(resourceTag)) {
    return {
      kind: "attributed",
      route: "resourceTag",
      value: resourceTag,
      conflictsWith: present(principalTag) && principalTag !== resourceTag ? principalTag : null,
    };
  }
  if (present(principalTag)) {
    return { kind: "attributed", route: "principalTag", value: principalTag, conflictsWith: null };
  }
  return UNATTRIBUTED;
}

/**
 * The principal tag key a run asks for, or null when the registry turned the route off
 * (`settings.principalTags: false`).
 */
export function principalRouteKey(settings: {
  readonly tagKeys: { readonly workflow: string };
  readonly principalTags: boolean;
}): string | null {
  return settings.principalTags ? principalTagKey(settings.tagKeys.workflow) : null;
}
