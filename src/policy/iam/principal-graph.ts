/**
 * The principal graph of a stack: every IAM role and user with the policy documents it has,
 * from inline policies, separate role/user policies, and managed or customer policies attached
 * to it, all within the stack. A user also has the policies of its IAM groups (groups cannot be
 * tagged: the spend is the calling user's). References unknown at preview are resolved through
 * the engine's dependencies.
 */
import type { ResourceInput } from "../types";
import { isUnknown, UNKNOWN } from "../unknown";
import { describeResource } from "../wording";
import { invokingManagedPolicy } from "./actions";
import {
  combine,
  grantAfterDenies,
  MANAGED_DOCUMENT,
  NO_GRANT,
  readDocument,
  UNKNOWN_DOCUMENT,
} from "./documents";
import type { DocumentGrants, GrantAnalysis } from "./documents";
import {
  ATTACHMENTS,
  CUSTOMER_POLICIES,
  DOCUMENT_GRANTS,
  MEMBERSHIPS,
  PRINCIPALS,
} from "./resource-types";
import type { PrincipalKind } from "./resource-types";

interface Principal {
  readonly resource: ResourceInput;
  readonly kind: PrincipalKind;
  /** Each policy document the principal has, with where it comes from. */
  readonly documents: { readonly document: DocumentGrants; readonly via: string }[];
  /** Customer managed policies attached to it whose documents are not in the stack. */
  readonly outside: OutsidePolicy[];
}

/** A customer managed policy attached by ARN, defined outside the stack (its document unseen). */
export interface OutsidePolicy {
  readonly arn: string;
  /** The resource that attaches it (the principal itself, or an attachment). */
  readonly via: string;
}

/** A principal with what all its policies together allow, and the policies that allow it. */
export interface Evaluated {
  readonly resource: ResourceInput;
  readonly kind: PrincipalKind;
  readonly grant: GrantAnalysis;
  readonly via: readonly string[];
  readonly outside: readonly OutsidePolicy[];
}

/** What the engine analyzes: neither deletions nor resources the program only reads. */
function live(resources: readonly ResourceInput[]): ResourceInput[] {
  return resources.filter((r) => r.op !== "delete" && r.op !== "read");
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

type ArnGrant =
  | { readonly kind: "document"; readonly grant: DocumentGrants; readonly via: string }
  /** A customer managed policy outside the stack: its document cannot be read here. */
  | { readonly kind: "outside"; readonly arn: string };

/**
 * The grant a policy ARN gives: an AWS managed policy, a customer policy in the stack, or one
 * outside it; undefined for an AWS managed policy that does not invoke.
 */
function policyArnGrant(
  arn: unknown,
  attachment: ResourceInput,
  customer: readonly ResourceInput[],
): ArnGrant | undefined {
  if (typeof arn === "string" && !isUnknown(arn)) {
    const managed = invokingManagedPolicy(arn);
    if (managed !== undefined) {
      return { kind: "document", grant: MANAGED_DOCUMENT, via: `managed policy ${managed}` };
    }
    const policy = customer.find((p) =>
      CUSTOMER_POLICIES[p.type]!.arnProps.some((prop) => p.props[prop] === arn),
    );
    if (policy !== undefined) {
      return {
        kind: "document",
        grant: readDocument(policy.props[CUSTOMER_POLICIES[policy.type]!.doc]),
        via: describeResource(policy),
      };
    }
    // Made by hand or in another stack: its document is not here, so whether it allows
    // invocation cannot be told. Never a silent pass: the principal rule says so.
    return isAwsManagedPolicyArn(arn) ? undefined : { kind: "outside", arn };
  }
  const deps = new Set(attachment.dependencies ?? []);
  const policy = customer.find((p) => deps.has(p.urn));
  if (policy !== undefined) {
    return {
      kind: "document",
      grant: readDocument(policy.props[CUSTOMER_POLICIES[policy.type]!.doc]),
      via: describeResource(policy),
    };
  }
  return { kind: "document", grant: UNKNOWN_DOCUMENT, via: describeResource(attachment) };
}

/** `arn:aws:iam::aws:policy/...`: AWS's own, whose invoking members `actions.ts` lists. */
function isAwsManagedPolicyArn(arn: string): boolean {
  return /^arn:aws[a-z-]*:iam::aws:policy\//.test(arn);
}

function attach(principal: Principal, found: ArnGrant, via: string, suffix = ""): void {
  if (found.kind === "outside") principal.outside.push({ arn: found.arn, via });
  else grantTo(principal, found.grant, `${found.via}${suffix}`);
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
  return {
    resource: principal.resource,
    kind: principal.kind,
    grant,
    via,
    outside: principal.outside,
  };
}

/** Every principal in the stack with what its policies allow. */
export function collectPrincipals(resources: readonly ResourceInput[]): Evaluated[] {
  const current = live(resources);
  const principals: Principal[] = current
    .filter((r) => PRINCIPALS[r.type] !== undefined)
    .map((r) => ({ resource: r, kind: PRINCIPALS[r.type]!.kind, documents: [], outside: [] }));
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
      if (found !== undefined) attach(principal, found, "its managedPolicyArns");
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
            const by = describeResource(resource);
            attach(principal, found, by, ` (attached by ${by})`);
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
    for (const { arn, via } of membership.group.outside) {
      membership.user.outside.push({
        arn,
        via: `${via} through its group ${groupName(membership.group)}`,
      });
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
