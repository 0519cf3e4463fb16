/**
 * A local IAM `GetAccountAuthorizationDetails` in IAM's own protocol: awsQuery (a form-encoded
 * POST, `Action=...&Version=2010-05-08`, `Filter.member.N`, `MaxItems`, `Marker`) answered in
 * XML (namespace `https://iam.amazonaws.com/doc/2010-05-08/`), policy documents URL-encoded as
 * IAM sends them, pages cut at `MaxItems` entries with `IsTruncated` and `Marker`.
 */
import { randomUUID } from "node:crypto";
import type { IamManagedPolicy, IamPolicyText } from "../audit";
import type { AccountFaults, AccountInventory, Refusal } from "./account";
import { faultPlan, REFUSAL_WORDING, signingScope } from "./account";
import { escapeXml } from "./sns";
import type { LocalRequest, LocalResponse, ServiceHandler } from "./types";

const XMLNS = "https://iam.amazonaws.com/doc/2010-05-08/";

export interface IamHandlerOptions {
  readonly faults?: AccountFaults;
  /** Entries per page when the request asks for more (to exercise paging). */
  readonly pageSize?: number;
}

const x = (name: string, value: string | undefined): string =>
  value === undefined ? "" : `<${name}>${escapeXml(value)}</${name}>`;

const list = (name: string, members: readonly string[]): string =>
  members.length === 0
    ? `<${name}/>`
    : `<${name}>${members.map((m) => `<member>${m}</member>`).join("")}</${name}>`;

const tags = (t: Readonly<Record<string, string>>): string =>
  list(
    "Tags",
    Object.entries(t).map(([k, v]) => `${x("Key", k)}${x("Value", v)}`),
  );

const inline = (name: string, policies: readonly IamPolicyText[]): string =>
  list(
    name,
    policies.map(
      (p) => `${x("PolicyName", p.name)}${x("PolicyDocument", encodeURIComponent(p.document))}`,
    ),
  );

const attached = (arns: readonly string[]): string =>
  list(
    "AttachedManagedPolicies",
    arns.map(
      (arn) => `${x("PolicyName", arn.slice(arn.lastIndexOf("/") + 1))}${x("PolicyArn", arn)}`,
    ),
  );

const idOf = (prefix: string, arn: string): string =>
  `${prefix}${Buffer.from(arn).toString("hex").slice(0, 16).toUpperCase()}`;

const pathOf = (arn: string): string => {
  const resource = arn.split(":").slice(5).join(":");
  const parts = resource.split("/");
  return parts.length > 2 ? `/${parts.slice(1, -1).join("/")}/` : "/";
};

function managedPolicy(p: IamManagedPolicy): string {
  return `${x("PolicyName", p.name)}${x("PolicyId", idOf("ANPA", p.arn))}${x("Arn", p.arn)}${x("Path", pathOf(p.arn))}${x("DefaultVersionId", "v1")}${x("AttachmentCount", "1")}${x("IsAttachable", "true")}${list(
    "PolicyVersionList",
    p.document === undefined
      ? []
      : [
          `${x("Document", encodeURIComponent(p.document))}${x("VersionId", "v1")}${x("IsDefaultVersion", "true")}${x("CreateDate", "2026-01-01T00:00:00Z")}`,
        ],
  )}`;
}

function errorXml(status: number, code: string, message: string): LocalResponse {
  return {
    status,
    headers: { "content-type": "text/xml" },
    body: `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  };
}

function refusal(kind: Refusal, action: string, account: string): LocalResponse {
  switch (kind) {
    case "denied":
      return errorXml(
        403,
        "AccessDenied",
        `${REFUSAL_WORDING.denied(account, action)} on resource: *`,
      );
    case "throttled":
      return errorXml(400, "Throttling", REFUSAL_WORDING.throttled);
    case "region-not-enabled":
      return errorXml(403, "InvalidClientTokenId", REFUSAL_WORDING.invalidToken);
  }
}

type Entry = {
  readonly list: "UserDetailList" | "RoleDetailList" | "GroupDetailList" | "Policies";
  readonly xml: string;
};

export function iamHandler(
  account: AccountInventory,
  options: IamHandlerOptions = {},
): ServiceHandler {
  const fault = faultPlan(options.faults);
  return (request: LocalRequest): LocalResponse | undefined => {
    if (signingScope(request)?.service !== "iam" || request.method !== "POST") return undefined;
    const form = new URLSearchParams(request.body.toString("utf8"));
    const operation = form.get("Action") ?? "";
    const action = `iam:${operation}`;
    const refused = fault(action, undefined);
    if (refused !== undefined) return refusal(refused, action, account.account);
    if (operation !== "GetAccountAuthorizationDetails") {
      return errorXml(400, "InvalidAction", `local IAM: ${operation} is not served`);
    }
    const filters = new Set<string>();
    for (let i = 1; form.has(`Filter.member.${i}`); i++)
      filters.add(form.get(`Filter.member.${i}`)!);
    const wants = (f: string) => filters.size === 0 || filters.has(f);
    const { iam } = account;
    const entries: Entry[] = [
      ...(wants("User") ? iam.users : []).map((u) => ({
        list: "UserDetailList" as const,
        xml: `${x("Path", pathOf(u.arn))}${x("UserName", u.name)}${x("UserId", idOf("AIDA", u.arn))}${x("Arn", u.arn)}${x("CreateDate", "2026-01-01T00:00:00Z")}${inline("UserPolicyList", u.inline)}${list("GroupList", u.groups.map(escapeXml))}${attached(u.attached)}${tags(u.tags)}`,
      })),
      ...(wants("Group") ? iam.groups : []).map((g) => ({
        list: "GroupDetailList" as const,
        xml: `${x("Path", pathOf(g.arn))}${x("GroupName", g.name)}${x("GroupId", idOf("AGPA", g.arn))}${x("Arn", g.arn)}${x("CreateDate", "2026-01-01T00:00:00Z")}${inline("GroupPolicyList", g.inline)}${attached(g.attached)}`,
      })),
      ...(wants("Role") ? iam.roles : []).map((r) => ({
        list: "RoleDetailList" as const,
        xml: `${x("Path", pathOf(r.arn))}${x("RoleName", r.name)}${x("RoleId", idOf("AROA", r.arn))}${x("Arn", r.arn)}${x("CreateDate", "2026-01-01T00:00:00Z")}${x("AssumeRolePolicyDocument", encodeURIComponent('{"Version":"2012-10-17","Statement":[]}'))}<InstanceProfileList/>${inline("RolePolicyList", r.inline)}${attached(r.attached)}${tags(r.tags)}`,
      })),
      ...(wants("LocalManagedPolicy") ? iam.policies : []).map((p) => ({
        list: "Policies" as const,
        xml: managedPolicy(p),
      })),
    ];
    const maxItems = Number(form.get("MaxItems") ?? "100");
    if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 1000) {
      return errorXml(400, "ValidationError", "MaxItems must be from 1 to 1000");
    }
    const marker = form.get("Marker");
    const offset = marker === null ? 0 : Number(Buffer.from(marker, "base64").toString("utf8"));
    if (!Number.isInteger(offset) || offset < 0 || offset > entries.length) {
      return errorXml(400, "InvalidInput", "Invalid Marker");
    }
    const size = Math.min(maxItems, options.pageSize ?? maxItems);
    const page = entries.slice(offset, offset + size);
    const truncated = offset + size < entries.length;
    const section = (name: Entry["list"]) =>
      list(
        name,
        page.filter((e) => e.list === name).map((e) => e.xml),
      );
    return {
      status: 200,
      headers: { "content-type": "text/xml" },
      body: `<GetAccountAuthorizationDetailsResponse xmlns="${XMLNS}"><GetAccountAuthorizationDetailsResult><IsTruncated>${truncated}</IsTruncated>${truncated ? x("Marker", Buffer.from(String(offset + size)).toString("base64")) : ""}${section("UserDetailList")}${section("GroupDetailList")}${section("RoleDetailList")}${section("Policies")}</GetAccountAuthorizationDetailsResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></GetAccountAuthorizationDetailsResponse>`,
    };
  };
}
