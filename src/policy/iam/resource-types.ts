/**
 * The IAM resource types of both providers that make up the principal graph: principals, the
 * policies attached to them by name or ARN, group memberships and customer managed policies,
 * with the inputs that hold each reference.
 */
import { lookupTable } from "../../util/records";

/** Groups are collected like principals, then their policies are given to their members. */
export type PrincipalKind = "role" | "user" | "group";

/** Principal types, with the input that holds their name and their inline policies. */
export const PRINCIPALS: Readonly<
  Record<string, { kind: PrincipalKind; nameProp: string; inline?: { list: string; doc: string } }>
> = lookupTable({
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
});

/** Separate policy resources that attach a document to a principal by name. */
export const DOCUMENT_GRANTS: Readonly<
  Record<string, { kind: PrincipalKind; ref: string; doc: string }>
> = lookupTable({
  "aws:iam/rolePolicy:RolePolicy": { kind: "role", ref: "role", doc: "policy" },
  "aws:iam/userPolicy:UserPolicy": { kind: "user", ref: "user", doc: "policy" },
  "aws-native:iam:RolePolicy": { kind: "role", ref: "roleName", doc: "policyDocument" },
  "aws-native:iam:UserPolicy": { kind: "user", ref: "userName", doc: "policyDocument" },
  "aws:iam/groupPolicy:GroupPolicy": { kind: "group", ref: "group", doc: "policy" },
  "aws-native:iam:GroupPolicy": { kind: "group", ref: "groupName", doc: "policyDocument" },
});

/** Attachments of a policy ARN to principals. */
export const ATTACHMENTS: Readonly<
  Record<string, { roles?: string; users?: string; groups?: string; single?: boolean }>
> = lookupTable({
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": { roles: "role", single: true },
  "aws:iam/userPolicyAttachment:UserPolicyAttachment": { users: "user", single: true },
  "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": { groups: "group", single: true },
  "aws:iam/policyAttachment:PolicyAttachment": { roles: "roles", users: "users", groups: "groups" },
});

/** Group memberships: the inputs that name the users and the groups. */
export const MEMBERSHIPS: Readonly<Record<string, { users: string; groups: string }>> = lookupTable(
  {
    "aws:iam/userGroupMembership:UserGroupMembership": { users: "user", groups: "groups" },
    "aws:iam/groupMembership:GroupMembership": { users: "users", groups: "group" },
  },
);

/** Customer managed policies: `aws:` ones are attached by ARN; `aws-native:` ones attach themselves. */
export const CUSTOMER_POLICIES: Readonly<Record<string, { doc: string; arnProps: string[] }>> =
  lookupTable({
    "aws:iam/policy:Policy": { doc: "policy", arnProps: ["arn", "id"] },
    "aws-native:iam:ManagedPolicy": { doc: "policyDocument", arnProps: ["policyArn", "id"] },
  });
