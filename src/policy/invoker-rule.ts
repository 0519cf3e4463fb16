/**
 * ai-invoker-attributable (stack policy): every IAM role or user allowed to invoke models must
 * carry the workflow and owner tags, because AWS attributes Bedrock spend to the calling
 * principal's tags. Grants come from inline policies, separate role/user policies, and managed
 * or customer policies attached to the principal, all within the stack. A user also has the
 * policies of its IAM groups (groups cannot be tagged: the spend is the calling user's).
 */
import type { Registry } from "../registry";
import { taggableType } from "./catalog";
import type { TagLocation } from "./catalog";
import {
  combine,
  grantAfterDenies,
  invokingManagedPolicy,
  MANAGED_DOCUMENT,
  NO_GRANT,
  readDocument,
  UNKNOWN_DOCUMENT,
} from "./iam";
import type { DocumentGrants, GrantAnalysis } from "./iam";
import { registeredWorkflows, workflowTagFindings } from "./resource-rules";
import { describeResource, workflowOfTags } from "./subject";
import { caseVariant, effectiveTags } from "./tags";
import { isUnknown, UNKNOWN } from "./unknown";
import type { EvaluationContext, Finding, ResourceInput } from "./types";

/** Groups are collected like principals, then their policies are given to their members. */
type PrincipalKind = "role" | "user" | "group";

/** Principal types, with the input that holds their name and their inline policies. */
const PRINCIPALS: Readonly<
  Record<string, { kind: PrincipalKind; nameProp: string; inline?: { list: string; doc: string } }>
> = {
  "aws:iam/role:Role": {
    kind: "role",
    nameProp: "name",
    inline: { list: "inlinePolicies", doc: "policy" },
  },
  "aws:iam/user:User": { kind: "user", nameProp: "name" },
  "aws-native:iam:Role": {
    kind: "role",
    nameProp: "roleName",
    inline: { list: "policies", doc: "policyDocument" },
  },
  "aws-native:iam:User": {
    kind: "user",
    nameProp: "userName",
    inline: { list: "policies", doc: "policyDocument" },
  },
  "aws:iam/group:Group": { kind: "group", nameProp: "name" },
  "aws-native:iam:Group": {
    kind: "group",
    nameProp: "groupName",
    inline: { list: "policies", doc: "policyDocument" },
  },
};

/** Separate policy resources that attach a document to a principal by name. */
const DOCUMENT_GRANTS: Readonly<Record<string, { kind: PrincipalKind; ref: string; doc: string }>> =
  {
    "aws:iam/rolePolicy:RolePolicy": { kind: "role", ref: "role", doc: "policy" },
    "aws:iam/userPolicy:UserPolicy": { kind: "user", ref: "user", doc: "policy" },
    "aws-native:iam:RolePolicy": { kind: "role", ref: "roleName", doc: "policyDocument" },
    "aws-native:iam:UserPolicy": { kind: "user", ref: "userName", doc: "policyDocument" },
    "aws:iam/groupPolicy:GroupPolicy": { kind: "group", ref: "group", doc: "policy" },
    "aws-native:iam:GroupPolicy": { kind: "group", ref: "groupName", doc: "policyDocument" },
  };

/** Attachments of a policy ARN to principals. */
const ATTACHMENTS: Readonly<
  Record<string, { roles?: string; users?: string; groups?: string; single?: boolean }>
> = {
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": { roles: "role", single: true },
  "aws:iam/userPolicyAttachment:UserPolicyAttachment": { users: "user", single: true },
  "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": { groups: "group", single: true },
  "aws:iam/policyAttachment:PolicyAttachment": { roles: "roles", users: "users", groups: "groups" },
};

/** Group memberships: the inputs that name the users and the groups. */
const MEMBERSHIPS: Readonly<Record<string, { users: string; groups: string }>> = {
  "aws:iam/userGroupMembership:UserGroupMembership": { users: "user", groups: "groups" },
  "aws:iam/groupMembership:GroupMembership": { users: "users", groups: "group" },
};

/** Customer managed policies: `aws:` ones are attached by ARN; `aws-native:` ones attach themselves. */
const CUSTOMER_POLICIES: Readonly<Record<string, { doc: string; arnProps: string[] }>> = {
  "aws:iam/policy:Policy": { doc: "policy", arnProps: ["arn", "id"] },
  "aws-native:iam:ManagedPolicy": { doc: "policyDocument", arnProps: ["policyArn", "id"] },
};

interface Principal {
  readonly resource: ResourceInput;
  readonly kind: PrincipalKind;
  /** Each policy document the principal has, with where it comes from. */
  readonly documents: { readonly document: DocumentGrants; readonly via: string }[];
}

/** A principal with what all its policies together allow, and the policies that allow it. */
interface Evaluated {
  readonly resource: ResourceInput;
  readonly kind: PrincipalKind;
  readonly grant: GrantAnalysis;
  readonly via: readonly string[];
}

function live(resources: readonly ResourceInput[]): ResourceInput[] {
  return resources.filter((r) => r.op !== "delete");
}

function refMatches(principal: ResourceInput, nameProp: string, ref: string): boolean {
  const { props } = principal;
  const candidates = [props[nameProp], props.name, props.id, props.arn].filter(
    (v): v is string => typeof v === "string" && !isUnknown(v),
  );
  // An ARN (`arn:aws:iam::123:role/path/name`) names the principal by its last segment.
  const bare = ref.startsWith("arn:") ? ref.slice(ref.lastIndexOf("/") + 1) : ref;
  return candidates.includes(ref) || candidates.includes(bare);
}

/** The principals a reference names: by value when known, else by the grant's dependencies. */
function resolvePrincipals(
  ref: unknown,
  kind: PrincipalKind,
  grant: ResourceInput,
  principals: readonly Principal[],
): Principal[] {
  const ofKind = principals.filter((p) => p.kind === kind);
  if (typeof ref === "string" && !isUnknown(ref)) {
    const byValue = ofKind.filter((p) =>
      refMatches(p.resource, PRINCIPALS[p.resource.type]!.nameProp, ref),
    );
    if (byValue.length > 0) return byValue;
  }
  if (typeof ref === "string" || ref === undefined) {
    // Unknown at preview (an auto-named role), or a name we could not match: the engine's
    // dependencies still say which principal the grant was built from.
    const deps = new Set(grant.dependencies ?? []);
    return ofKind.filter((p) => deps.has(p.resource.urn));
  }
  return [];
}

function refsOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  if (isUnknown(value)) return [UNKNOWN];
  return Array.isArray(value) ? value : [value];
}

/** The grant a policy ARN gives: an AWS managed policy, or a customer policy in the stack. */
function policyArnGrant(
  arn: unknown,
  attachment: ResourceInput,
  customer: readonly ResourceInput[],
): { grant: DocumentGrants; via: string } | undefined {
  if (typeof arn === "string" && !isUnknown(arn)) {
    const managed = invokingManagedPolicy(arn);
    if (managed !== undefined) {
      return { grant: MANAGED_DOCUMENT, via: `managed policy ${managed}` };
    }
    const policy = customer.find((p) =>
      CUSTOMER_POLICIES[p.type]!.arnProps.some((prop) => p.props[prop] === arn),
    );
    if (policy !== undefined) {
      return {
        grant: readDocument(policy.props[CUSTOMER_POLICIES[policy.type]!.doc]),
        via: describeResource(policy),
      };
    }
    return undefined; // a policy outside the stack: not ours to read
  }
  const deps = new Set(attachment.dependencies ?? []);
  const policy = customer.find((p) => deps.has(p.urn));
  if (policy !== undefined) {
    return {
      grant: readDocument(policy.props[CUSTOMER_POLICIES[policy.type]!.doc]),
      via: describeResource(policy),
    };
  }
  return { grant: UNKNOWN_DOCUMENT, via: describeResource(attachment) };
}

function grantTo(principal: Principal, document: DocumentGrants, via: string): void {
  principal.documents.push({ document, via });
}

/**
 * What a principal's policies allow together: an outright deny in any of them takes its actions
 * back from all of them, as IAM evaluates every identity policy of the caller at once.
 */
function evaluate(principal: Principal): Evaluated {
  const denies = principal.documents.flatMap((d) => d.document.denies);
  let grant = NO_GRANT;
  const via: string[] = [];
  for (const { document, via: source } of principal.documents) {
    const allowed = grantAfterDenies(document, denies);
    grant = combine(grant, allowed);
    if (allowed.kind !== "none") via.push(source);
  }
  return { resource: principal.resource, kind: principal.kind, grant, via };
}

/** Every principal in the stack with what its policies allow. */
export function collectPrincipals(resources: readonly ResourceInput[]): Evaluated[] {
  const current = live(resources);
  const principals: Principal[] = current
    .filter((r) => PRINCIPALS[r.type] !== undefined)
    .map((r) => ({ resource: r, kind: PRINCIPALS[r.type]!.kind, documents: [] }));
  const customer = current.filter((r) => CUSTOMER_POLICIES[r.type] !== undefined);

  for (const principal of principals) {
    const spec = PRINCIPALS[principal.resource.type]!;
    if (spec.inline !== undefined) {
      const list = principal.resource.props[spec.inline.list];
      if (isUnknown(list)) {
        grantTo(principal, UNKNOWN_DOCUMENT, `its ${spec.inline.list}`);
      } else if (Array.isArray(list)) {
        for (const item of list) {
          const doc = isUnknown(item)
            ? UNKNOWN
            : (item as Record<string, unknown> | null)?.[spec.inline.doc];
          const name =
            (item as Record<string, unknown> | null)?.name ??
            (item as Record<string, unknown> | null)?.policyName;
          grantTo(
            principal,
            readDocument(doc),
            `inline policy ${typeof name === "string" && !isUnknown(name) ? `"${name}"` : `in ${spec.inline.list}`}`,
          );
        }
      }
    }
    for (const arn of refsOf(principal.resource.props.managedPolicyArns)) {
      const found = policyArnGrant(arn, principal.resource, customer);
      if (found !== undefined) grantTo(principal, found.grant, found.via);
    }
  }

  for (const resource of current) {
    const documentGrant = DOCUMENT_GRANTS[resource.type];
    if (documentGrant !== undefined) {
      const grant = readDocument(resource.props[documentGrant.doc]);
      for (const principal of resolvePrincipals(
        resource.props[documentGrant.ref],
        documentGrant.kind,
        resource,
        principals,
      )) {
        grantTo(principal, grant, describeResource(resource));
      }
    }
    const attachment = ATTACHMENTS[resource.type];
    if (attachment !== undefined) {
      const found = policyArnGrant(resource.props.policyArn, resource, customer);
      if (found === undefined) continue;
      for (const [kind, prop] of [
        ["role", attachment.roles],
        ["user", attachment.users],
        ["group", attachment.groups],
      ] as const) {
        if (prop === undefined) continue;
        for (const ref of refsOf(resource.props[prop])) {
          for (const principal of resolvePrincipals(ref, kind, resource, principals)) {
            grantTo(
              principal,
              found.grant,
              `${found.via} (attached by ${describeResource(resource)})`,
            );
          }
        }
      }
    }
    // aws-native managed policies name their roles, users and groups themselves.
    if (resource.type === "aws-native:iam:ManagedPolicy") {
      const grant = readDocument(resource.props.policyDocument);
      for (const [kind, prop] of [
        ["role", "roles"],
        ["user", "users"],
        ["group", "groups"],
      ] as const) {
        for (const ref of refsOf(resource.props[prop])) {
          for (const principal of resolvePrincipals(ref, kind, resource, principals)) {
            grantTo(principal, grant, describeResource(resource));
          }
        }
      }
    }
  }
  for (const membership of memberships(current, principals)) {
    if (membership.kind === "unknown-group") {
      grantTo(membership.user, UNKNOWN_DOCUMENT, membership.via);
      continue;
    }
    for (const { document, via } of membership.group.documents) {
      grantTo(membership.user, document, `${via} through its group ${groupName(membership.group)}`);
    }
  }
  return principals.filter((p) => p.kind !== "group").map(evaluate);
}

function groupName(group: Principal): string {
  const name = group.resource.props[PRINCIPALS[group.resource.type]!.nameProp];
  return typeof name === "string" && !isUnknown(name)
    ? `"${name}" (${describeResource(group.resource)})`
    : describeResource(group.resource);
}

type Membership =
  | { readonly kind: "group"; readonly user: Principal; readonly group: Principal }
  /** A group not known until the update: its policies cannot be read yet. */
  | { readonly kind: "unknown-group"; readonly user: Principal; readonly via: string };

/**
 * Which users are in which groups: membership resources and aws-native users' `groups`. A group
 * reference that is not known until the update and that no dependency resolves yields a
 * membership to an unknown group: its policies cannot be read yet.
 */
function memberships(
  current: readonly ResourceInput[],
  principals: readonly Principal[],
): Membership[] {
  const found: Membership[] = [];
  const join = (
    users: readonly Principal[],
    groupRefs: unknown,
    source: ResourceInput,
    unknownVia: string,
  ) => {
    if (users.length === 0) return;
    for (const ref of refsOf(groupRefs)) {
      const groups = resolvePrincipals(ref, "group", source, principals);
      if (groups.length === 0 && isUnknown(ref)) {
        for (const user of users) found.push({ kind: "unknown-group", user, via: unknownVia });
      }
      for (const group of groups) {
        for (const user of users) found.push({ kind: "group", user, group });
      }
    }
  };
  for (const resource of current) {
    const membership = MEMBERSHIPS[resource.type];
    if (membership !== undefined) {
      const users = refsOf(resource.props[membership.users]).flatMap((ref) =>
        resolvePrincipals(ref, "user", resource, principals),
      );
      join(
        [...new Set(users)],
        resource.props[membership.groups],
        resource,
        `group membership ${describeResource(resource)}`,
      );
    }
  }
  for (const user of principals) {
    if (user.resource.type === "aws-native:iam:User") {
      join([user], user.resource.props.groups, user.resource, "its groups");
    }
  }
  return found;
}

const DEFAULT_TAGS_LOCATION: TagLocation = { property: "tags", shape: "map", tagsAll: false };

function principalFindings(principal: Evaluated, registry: Registry): Finding[] {
  const { resource, grant, via } = principal;
  const what = describeResource(resource);
  const keys = registry.settings.tagKeys;
  const urn = resource.urn;
  const tags = effectiveTags(resource, taggableType(resource.type) ?? DEFAULT_TAGS_LOCATION);
  const missing = [keys.workflow, keys.owner].filter((k) => !tags.values.has(k));
  const findings: Finding[] = [];
  const sources = [...new Set(via)].join(", ");

  if (grant.kind !== "invokes") {
    // Only unknown documents: say what will be checked, if the principal is not tagged anyway.
    if (grant.kind === "unknown" && missing.length > 0) {
      findings.push({
        policy: "ai-invoker-attributable",
        enforcement: "advisory",
        urn,
        message: `${what}: ${sources} ${via.length === 1 ? "is" : "are"} not known until the update; if ${via.length === 1 ? "it allows" : "they allow"} model invocation, the ${missing.map((k) => `"${k}"`).join(" and ")} tags will be required on the ${principal.kind} then.`,
      });
    }
    return findings;
  }

  if (missing.length > 0) {
    if (tags.unknownSources.length > 0) {
      findings.push({
        policy: "ai-invoker-attributable",
        enforcement: "advisory",
        urn,
        message: `${what} can invoke models (${sources}); its ${tags.unknownSources.join(" and ")} ${tags.unknownSources.length === 1 ? "is" : "are"} not known until the update, when the ${missing.map((k) => `"${k}"`).join(" and ")} tags will be checked.`,
      });
    } else {
      const drift = missing
        .map((k) => ({ k, variant: caseVariant(tags, k) }))
        .filter((d) => d.variant !== undefined)
        .map(
          (d) =>
            ` It has a "${d.variant}" tag, which differs only in letter case: rename it to exactly "${d.k}".`,
        )
        .join("");
      findings.push({
        policy: "ai-invoker-attributable",
        enforcement: "mandatory",
        urn,
        message: `${what} can invoke models (${sources}) but is missing the ${missing.map((k) => `"${k}"`).join(" and ")} ${missing.length === 1 ? "tag" : "tags"}: AWS attributes Bedrock spend to the tags of the IAM principal that calls the model, so this ${principal.kind}'s spend would be unowned.${drift} Add tags: { ${keys.workflow}: "<workflow id>", ${keys.owner}: "<owner email>" } (or set them in the provider's defaultTags). Registered workflows: ${registeredWorkflows(registry)}.`,
      });
    }
  }

  const { workflowTag, ownerTag, workflow } = workflowOfTags(tags, registry);
  findings.push(
    ...workflowTagFindings(
      { resource, workflowTag, ownerTag, workflow },
      registry,
      "ai-invoker-attributable",
      ` This ${principal.kind} can invoke models, and its tags are how that spend is attributed.`,
    ),
  );

  if (grant.baseModels && !grant.profiles) {
    findings.push({
      policy: "ai-invoker-attributable",
      enforcement: "advisory",
      urn,
      message: `${what} may invoke Bedrock base models directly (${sources} allows invocation on "*" or foundation-model/ ARNs): that spend cannot be attributed by resource tags, only by this ${principal.kind}'s tags. Grant invocation on the workflow's application inference profiles (arn:aws:bedrock:<region>:<account>:application-inference-profile/<id>) instead, and keep the foundation-model grant only for the models behind them.`,
    });
  }
  return findings;
}

/** ai-invoker-attributable over every resource of a stack. */
export function invokerAttributableRule(
  resources: readonly ResourceInput[],
  ctx: EvaluationContext,
): Finding[] {
  return collectPrincipals(resources).flatMap((p) => principalFindings(p, ctx.registry));
}
