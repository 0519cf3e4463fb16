/**
 * The account's IAM, read with `GetAccountAuthorizationDetails` (roles, users, groups and the
 * customer managed policies, every page: IAM may return fewer than MaxItems and still be
 * truncated), into the plain shape the invoker check reads. Policy documents come URL-encoded.
 */
import { GetAccountAuthorizationDetailsCommand } from "@aws-sdk/client-iam";
import type {
  AttachedPolicy,
  GetAccountAuthorizationDetailsResponse,
  PolicyDetail,
  Tag,
} from "@aws-sdk/client-iam";
import { DOCTOR_ACTIONS } from "../actions";
import type { IamDetails, IamPolicyText } from "../doctor";
import type { Caller } from "./calls";
import type { AuditClients } from "./clients";

export const GET_AUTHORIZATION_DETAILS = DOCTOR_ACTIONS.authorizationDetails;

export async function readIam(clients: AuditClients, caller: Caller): Promise<IamDetails> {
  const pages: GetAccountAuthorizationDetailsResponse[] = [];
  let marker: string | undefined;
  do {
    const page = await caller.call(GET_AUTHORIZATION_DETAILS, () =>
      clients.iam.send(
        new GetAccountAuthorizationDetailsCommand({
          Filter: ["Role", "User", "Group", "LocalManagedPolicy"],
          MaxItems: 1000,
          ...(marker === undefined ? {} : { Marker: marker }),
        }),
      ),
    );
    pages.push(page);
    marker = page.IsTruncated === true ? page.Marker : undefined;
  } while (marker !== undefined);
  return iamDetailsOf(pages);
}

/** Decodes a document as IAM returns it (URL-encoded JSON); a plain one passes as is. */
export function decodeDocument(text: string): string {
  if (text.trimStart().startsWith("{")) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, "%20"));
  } catch {
    return text;
  }
}

const tagsOf = (tags: readonly Tag[] | undefined): Record<string, string> =>
  Object.fromEntries(
    (tags ?? []).flatMap((t) => (t.Key === undefined ? [] : [[t.Key, t.Value ?? ""]])),
  );

const inlineOf = (list: readonly PolicyDetail[] | undefined): IamPolicyText[] =>
  (list ?? []).flatMap((p) =>
    p.PolicyDocument === undefined
      ? []
      : [{ name: p.PolicyName ?? "", document: decodeDocument(p.PolicyDocument) }],
  );

const attachedOf = (list: readonly AttachedPolicy[] | undefined): string[] =>
  (list ?? []).flatMap((p) => (p.PolicyArn === undefined ? [] : [p.PolicyArn]));

export function iamDetailsOf(pages: readonly GetAccountAuthorizationDetailsResponse[]): IamDetails {
  const roles = pages.flatMap((p) => p.RoleDetailList ?? []);
  const users = pages.flatMap((p) => p.UserDetailList ?? []);
  const groups = pages.flatMap((p) => p.GroupDetailList ?? []);
  const policies = pages.flatMap((p) => p.Policies ?? []);
  return {
    roles: roles.map((r) => ({
      name: r.RoleName ?? "",
      arn: r.Arn ?? "",
      tags: tagsOf(r.Tags),
      inline: inlineOf(r.RolePolicyList),
      attached: attachedOf(r.AttachedManagedPolicies),
    })),
    users: users.map((u) => ({
      name: u.UserName ?? "",
      arn: u.Arn ?? "",
      tags: tagsOf(u.Tags),
      inline: inlineOf(u.UserPolicyList),
      attached: attachedOf(u.AttachedManagedPolicies),
      groups: u.GroupList ?? [],
    })),
    groups: groups.map((g) => ({
      name: g.GroupName ?? "",
      arn: g.Arn ?? "",
      inline: inlineOf(g.GroupPolicyList),
      attached: attachedOf(g.AttachedManagedPolicies),
    })),
    policies: policies.map((p) => {
      const version =
        p.PolicyVersionList?.find((v) => v.IsDefaultVersion === true) ??
        p.PolicyVersionList?.find((v) => v.VersionId === p.DefaultVersionId);
      return {
        arn: p.Arn ?? "",
        name: p.PolicyName ?? "",
        document: version?.Document === undefined ? undefined : decodeDocument(version.Document),
      };
    }),
  };
}
