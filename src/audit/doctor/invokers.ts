/**
 * Who may invoke models but lacks the tags: the pack's own IAM analysis (the
 * `ai-invoker-attributable` policy, its principal graph and its list of invoking managed
 * policies) applied to the account's IAM, as `GetAccountAuthorizationDetails` reports it. The
 * account's roles, users, groups and customer managed policies become the Pulumi resources the
 * policy reads, so the verdict is the pack's verdict on the same principal, word for word.
 */
import { evaluateStackPolicy, POLICY_TABLE } from "../../policy";
import type { EvaluationContext, Finding, ResourceInput } from "../../policy";
import type { Registry } from "../../registry";
import type { DoctorItem } from "./item";

export interface IamPolicyText {
  readonly name: string;
  /** The policy document as JSON text (already URL-decoded). */
  readonly document: string;
}

interface IamIdentity {
  readonly name: string;
  readonly arn: string;
  readonly inline: readonly IamPolicyText[];
  /** ARNs of the managed policies attached. */
  readonly attached: readonly string[];
}

export interface IamRole extends IamIdentity {
  readonly tags: Readonly<Record<string, string>>;
}
export interface IamUser extends IamIdentity {
  readonly tags: Readonly<Record<string, string>>;
  /** Names of its groups. */
  readonly groups: readonly string[];
}
export type IamGroup = IamIdentity;

/** A customer managed policy and its default version's document. */
export interface IamManagedPolicy {
  readonly arn: string;
  readonly name: string;
  readonly document: string | undefined;
}

export interface IamDetails {
  readonly roles: readonly IamRole[];
  readonly users: readonly IamUser[];
  readonly groups: readonly IamGroup[];
  readonly policies: readonly IamManagedPolicy[];
}

/** The account's IAM as the Pulumi resources the invoker policy reads. */
export function iamResources(details: IamDetails): ResourceInput[] {
  const resources: ResourceInput[] = [];
  const add = (urn: string, type: string, name: string, props: Record<string, unknown>) =>
    resources.push({ urn, type, name, props, op: "same" });
  for (const policy of details.policies) {
    add(policy.arn, "aws:iam/policy:Policy", policy.name, {
      arn: policy.arn,
      name: policy.name,
      ...(policy.document === undefined ? {} : { policy: policy.document }),
    });
  }
  for (const role of details.roles) {
    add(role.arn, "aws:iam/role:Role", role.name, {
      name: role.name,
      arn: role.arn,
      tags: { ...role.tags },
      inlinePolicies: role.inline.map((p) => ({ name: p.name, policy: p.document })),
      managedPolicyArns: [...role.attached],
    });
  }
  for (const [kind, list] of [
    ["user", details.users],
    ["group", details.groups],
  ] as const) {
    const type = kind === "user" ? "aws:iam/user:User" : "aws:iam/group:Group";
    const policyType =
      kind === "user" ? "aws:iam/userPolicy:UserPolicy" : "aws:iam/groupPolicy:GroupPolicy";
    const attachmentType =
      kind === "user"
        ? "aws:iam/userPolicyAttachment:UserPolicyAttachment"
        : "aws:iam/groupPolicyAttachment:GroupPolicyAttachment";
    for (const identity of list) {
      const tags = "tags" in identity ? { tags: { ...identity.tags } } : {};
      add(identity.arn, type, identity.name, { name: identity.name, arn: identity.arn, ...tags });
      for (const p of identity.inline) {
        add(`${identity.arn}#inline/${p.name}`, policyType, `${identity.name}/${p.name}`, {
          [kind]: identity.name,
          name: p.name,
          policy: p.document,
        });
      }
      for (const arn of identity.attached) {
        add(`${identity.arn}#attached/${arn}`, attachmentType, identity.name, {
          [kind]: identity.name,
          policyArn: arn,
        });
      }
    }
  }
  for (const user of details.users) {
    if (user.groups.length === 0) continue;
    add(`${user.arn}#groups`, "aws:iam/userGroupMembership:UserGroupMembership", user.name, {
      user: user.name,
      groups: [...user.groups],
    });
  }
  return resources;
}

/** The pack's invoker findings on the account's IAM. */
export function invokerFindings(details: IamDetails, registry: Registry, today: string): Finding[] {
  const ctx: EvaluationContext = { registry, today, stage: "deployed" };
  return evaluateStackPolicy(POLICY_TABLE["ai-invoker-attributable"], iamResources(details), ctx);
}

/** One item per finding, with the AWS CLI command that fixes a missing tag. */
export function invokerItems(details: IamDetails, registry: Registry, today: string): DoctorItem[] {
  const findings = invokerFindings(details, registry, today);
  const byArn = new Map<string, { kind: "role" | "user"; name: string }>([
    ...details.roles.map((r) => [r.arn, { kind: "role" as const, name: r.name }] as const),
    ...details.users.map((u) => [u.arn, { kind: "user" as const, name: u.name }] as const),
  ]);
  const keys = registry.settings.tagKeys;
  if (findings.length === 0) {
    return [
      {
        check: "invokers",
        status: "ok",
        subject: `${details.roles.length} roles, ${details.users.length} users`,
        message:
          "every IAM role and user that may invoke models carries the workflow and owner tags",
      },
    ];
  }
  return findings.map((finding) => {
    const principal = byArn.get(finding.urn);
    const tagCommand =
      principal === undefined
        ? "tag the principal"
        : `aws iam tag-${principal.kind} --${principal.kind}-name ${principal.name} --tags Key=${keys.workflow},Value=<workflow id> Key=${keys.owner},Value=<owner email>`;
    return {
      check: "invokers",
      status: finding.enforcement === "mandatory" ? "error" : "warning",
      subject: finding.urn,
      message: finding.message,
      fix:
        finding.enforcement === "mandatory"
          ? tagCommand
          : finding.message.includes("base models")
            ? 'grant invocation on the workflow\'s application inference profiles (arn:aws:bedrock:<region>:<account>:application-inference-profile/<id>) in the policy the message names, instead of base models or "*"'
            : POLICY_TABLE["ai-invoker-attributable"].remediation,
    } satisfies DoctorItem;
  });
}
