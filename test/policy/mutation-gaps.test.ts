/**
 * Behaviour of the policy rules that mutation testing found no test pinning down: the edges of
 * tag reading (JSON text, key/value arrays with unknown or odd items), the IAM reading (NotAction,
 * NotResource and lower-case denies, which AWS managed policies count, the aws-native and
 * user-side resource types), model allow-lists through system inference profiles, exemption
 * expiry and malformed exemptions, and what a glob treats as special. Everything goes through
 * the public entry points (`evaluateResource`, `evaluateStack`, `applyExemptions`, ...).
 */
import { describe, expect, it } from "vitest";
import {
  AI_CATALOG,
  analyzeDocument,
  applyExemptions,
  effectiveTags,
  evaluateResource,
  evaluateStack,
  exemptionStatus,
  POLICY_TABLE,
  remediateOwnerFromRegistry,
  RESOURCE_RULES,
  UNKNOWN,
} from "../../src/policy";
import type { Finding, ResourceInput } from "../../src/policy";
import type { Exemption, Registry } from "../../src/registry";
import { awsProvider, ctx, mandatory, OWNED, registry, resource, summary } from "./helpers";

const NOTEBOOK = "aws:sagemaker/notebookInstance:NotebookInstance";
const NATIVE_AGENT = "aws-native:bedrock:Agent";
const doc = (...statements: object[]) =>
  JSON.stringify({ Version: "2012-10-17", Statement: statements });
const INVOKE = {
  Effect: "Allow",
  Action: ["bedrock:InvokeModel"],
  Resource: ["arn:aws:bedrock:us-east-1:1:application-inference-profile/x"],
};

describe("tags in every shape the providers use", () => {
  const endpoint = (tags: unknown, extra: Partial<ResourceInput> = {}) =>
    resource("aws:sagemaker/endpoint:Endpoint", "e", { tags }, extra);

  it("reads tags given as JSON text, and JSON text of a key/value list", () => {
    expect(evaluateResource(endpoint(JSON.stringify(OWNED)), ctx)).toEqual([]);
    const list = JSON.stringify([
      { Key: "workflow", Value: "support-triage" },
      { Key: "owner", Value: "dana@example.com" },
    ]);
    expect(evaluateResource(endpoint(list), ctx)).toEqual([]);
  });

  it("reads text that is not JSON as no tags: a failure, not a pass", () => {
    expect(summary(evaluateResource(endpoint("workflow=support-triage"), ctx))).toEqual([
      "ai-resource-tags/mandatory",
    ]);
  });

  it("a key/value list with an item unknown at preview: missing keys may still arrive (advisory)", () => {
    const tags = [{ key: "workflow", value: "support-triage" }, UNKNOWN];
    const findings = evaluateResource(resource(NATIVE_AGENT, "a", { tags }), ctx);
    expect(summary(findings)).toEqual(["ai-resource-tags/advisory"]);
    expect(findings[0]!.message).toContain('"owner"');
  });

  it("a key/value list with a key unknown at preview: advisory as well", () => {
    const tags = [
      { key: "workflow", value: "support-triage" },
      { key: UNKNOWN, value: "dana@example.com" },
    ];
    expect(summary(evaluateResource(resource(NATIVE_AGENT, "a", { tags }), ctx))).toEqual([
      "ai-resource-tags/advisory",
    ]);
  });

  it("a key/value list whose odd items are known (null, text, a number key): missing keys fail", () => {
    const tags = [
      null,
      "owner",
      { key: 42, value: "x" },
      { key: "workflow", value: "support-triage" },
    ];
    expect(summary(evaluateResource(resource(NATIVE_AGENT, "a", { tags }), ctx))).toEqual([
      "ai-resource-tags/mandatory",
    ]);
  });

  it("an unknown item after the list's known ones still marks the list unknown", () => {
    const tags = [UNKNOWN, null, { key: "workflow", value: "support-triage" }];
    const read = effectiveTags(resource(NATIVE_AGENT, "a", { tags }), {
      property: "tags",
      shape: "key-value-array",
      tagsAll: false,
    });
    expect(read.unknownSources).toEqual(["tags"]);
    expect([...read.values.keys()]).toEqual(["workflow"]);
  });

  it("values: missing ones are empty, unknown ones are unknown, others are text", () => {
    const read = effectiveTags(
      resource(NATIVE_AGENT, "a", {
        tags: [
          { key: "a" },
          { key: "b", value: null },
          { key: "c", value: 7 },
          { key: "d", value: UNKNOWN },
        ],
      }),
      { property: "tags", shape: "key-value-array", tagsAll: false },
    );
    expect(Object.fromEntries(read.values)).toEqual({
      a: { kind: "known", value: "" },
      b: { kind: "known", value: "" },
      c: { kind: "known", value: "7" },
      d: { kind: "unknown" },
    });
  });

  it("a scalar where tags belong holds no tags", () => {
    expect(summary(evaluateResource(endpoint(42), ctx))).toEqual(["ai-resource-tags/mandatory"]);
  });

  it("defaultTags: JSON text that is not JSON, a one-element list (older providers), unknown", () => {
    const e = (defaultTags: unknown) => endpoint(undefined, { provider: awsProvider(defaultTags) });
    expect(summary(evaluateResource(e("{not json"), ctx))).toEqual(["ai-resource-tags/mandatory"]);
    expect(evaluateResource(e([{ tags: OWNED }]), ctx)).toEqual([]);
    expect(summary(evaluateResource(e(UNKNOWN), ctx))).toEqual(["ai-resource-tags/advisory"]);
    expect(summary(evaluateResource(e({ tags: UNKNOWN }), ctx))).toEqual([
      "ai-resource-tags/advisory",
    ]);
    expect(summary(evaluateResource(e("not-an-object"), ctx))).toEqual([
      "ai-resource-tags/mandatory",
    ]);
    expect(summary(evaluateResource(e(JSON.stringify(7)), ctx))).toEqual([
      "ai-resource-tags/mandatory",
    ]);
  });

  it("the resource's own tags win over the provider's defaultTags", () => {
    const read = effectiveTags(
      endpoint(
        { owner: "dana@example.com" },
        { provider: awsProvider({ tags: { owner: "x@example.com" } }) },
      ),
      { property: "tags", shape: "map", tagsAll: true },
    );
    expect(read.values.get("owner")).toEqual({ kind: "known", value: "dana@example.com" });
  });

  it("says which sources are unknown, in order", () => {
    const read = effectiveTags(endpoint(UNKNOWN, { provider: awsProvider(UNKNOWN) }), {
      property: "tags",
      shape: "map",
      tagsAll: true,
    });
    expect(read.unknownSources).toEqual(["provider defaultTags", "tags"]);
  });

  it("a case-only variant is named; an exact key is not a variant of itself", () => {
    const findings = evaluateResource(
      endpoint({ Workflow: "support-triage", owner: "dana@example.com" }),
      ctx,
    );
    expect(findings[0]!.message).toContain('It has a "Workflow" tag');
    expect(findings[0]!.message).not.toContain('It has a "owner" tag');
  });
});

describe("model allow-lists through system inference profiles", () => {
  const profile = (copyFrom: string) =>
    resource("aws:bedrock/inferenceProfile:InferenceProfile", "p", {
      tags: OWNED,
      modelSource: { copyFrom },
    });

  it("fails a disallowed model used through a geographic system inference profile ARN", () => {
    const findings = evaluateResource(
      profile(
        "arn:aws:bedrock:us-east-1:123456789012:inference-profile/eu.meta.llama3-70b-instruct-v1:0",
      ),
      ctx,
    );
    expect(summary(findings)).toEqual(["ai-model-allowed/mandatory"]);
    expect(findings[0]!.message).toContain('model "eu.meta.llama3-70b-instruct-v1:0"');
  });

  it("passes an allowed model through a global or apac system profile", () => {
    for (const geo of ["global", "apac", "us"]) {
      const arn = `arn:aws:bedrock:us-east-1:123456789012:inference-profile/${geo}.anthropic.claude-haiku-4-5-20251001-v1:0`;
      expect(evaluateResource(profile(arn), ctx)).toEqual([]);
    }
  });

  it("compares model ids exactly: a dot is a dot, letter case counts", () => {
    // The glob "amazon.nova-*": "." is not a wildcard, and globs are case-sensitive.
    expect(summary(evaluateResource(profile("amazonXnova-lite-v1:0"), ctx))).toEqual([
      "ai-model-allowed/mandatory",
    ]);
    expect(summary(evaluateResource(profile("Amazon.Nova-lite-v1:0"), ctx))).toEqual([
      "ai-model-allowed/mandatory",
    ]);
    expect(summary(evaluateResource(profile("x.amazon.nova-lite-v1:0"), ctx))).toEqual([
      "ai-model-allowed/mandatory",
    ]);
    expect(evaluateResource(profile("amazon.nova-"), ctx)).toEqual([]);
  });

  it("checks instance types against instanceTypes, models against models", () => {
    const notebook = (
      instanceType: string,
      tags = { workflow: "support-triage", owner: "dana@example.com" },
    ) => resource(NOTEBOOK, "scratch-nb", { tags, instanceType });
    // support-triage restricts models only: any instance type is allowed.
    expect(evaluateResource(notebook("ml.p4d.24xlarge"), ctx)).toEqual([]);
    const ks = { workflow: "knowledge-search", owner: "alex@example.com" };
    expect(evaluateResource(notebook("ml.g5.xlarge", ks), ctx)).toEqual([]);
    expect(summary(evaluateResource(notebook("ml.p4d.24xlarge", ks), ctx))).toEqual([
      "ai-model-allowed/mandatory",
    ]);
    // knowledge-search restricts instance types only: any model is allowed.
    const agent = resource(NATIVE_AGENT, "a", {
      tags: [
        { key: "workflow", value: "knowledge-search" },
        { key: "owner", value: "alex@example.com" },
      ],
      foundationModel: "meta.llama3-70b-instruct-v1:0",
    });
    expect(evaluateResource(agent, ctx)).toEqual([]);
  });

  it("checks every variant of an endpoint configuration, and says unknown ones will be checked", () => {
    const ks = { workflow: "knowledge-search", owner: "alex@example.com" };
    const config = resource("aws:sagemaker/endpointConfiguration:EndpointConfiguration", "c", {
      tags: ks,
      productionVariants: [{ instanceType: "ml.g5.xlarge" }, { instanceType: "ml.p4d.24xlarge" }],
      shadowProductionVariants: [{ instanceType: UNKNOWN }],
    });
    const findings = evaluateResource(config, ctx);
    expect(summary(findings)).toEqual(["ai-model-allowed/mandatory", "ai-model-allowed/advisory"]);
  });

  it("is quiet for a resource of no registered workflow (ai-workflow-registered speaks)", () => {
    const r = profile("meta.llama3-70b-instruct-v1:0");
    const findings = evaluateResource(
      { ...r, props: { ...r.props, tags: { workflow: "nope", owner: "x@example.com" } } },
      ctx,
    );
    expect(findings.map((f) => f.policy)).not.toContain("ai-model-allowed");
  });
});

describe("review dates", () => {
  const nb = (workflow: string, owner: string) =>
    resource(NOTEBOOK, "nb", { tags: { workflow, owner } });

  it("one day past is mandatory, the day itself and 14 days ahead are advisory, 15 ahead quiet", () => {
    const at = (today: string) =>
      summary(evaluateResource(nb("memo-pilot", "sam@example.com"), { ...ctx, today }));
    // memo-pilot: reviewBy 2026-12-08
    expect(at("2026-12-09")).toEqual(["ai-workflow-review-date/mandatory"]);
    expect(at("2026-12-08")).toEqual(["ai-workflow-review-date/advisory"]);
    expect(at("2026-11-24")).toEqual(["ai-workflow-review-date/advisory"]);
    expect(at("2026-11-23")).toEqual([]);
  });
});

describe("IAM: what counts as a grant", () => {
  const role = (extra: Record<string, unknown> = {}) =>
    resource("aws:iam/role:Role", "app", { name: "app-role", ...extra });
  const inline = (...statements: object[]) =>
    role({ inlinePolicies: [{ name: "p", policy: doc(...statements) }] });
  const invokes = (resources: ResourceInput[]) =>
    summary(evaluateStack(resources, ctx)).includes("ai-invoker-attributable/mandatory");

  it("NotAction: everything but s3 includes invocation; everything but the model services does not", () => {
    expect(invokes([inline({ Effect: "Allow", NotAction: ["s3:*"], Resource: "*" })])).toBe(true);
    expect(
      invokes([
        inline({
          Effect: "Allow",
          NotAction: ["bedrock:*", "sagemaker:*", "bedrock-agentcore:*", "bedrock-mantle:*"],
          Resource: "*",
        }),
      ]),
    ).toBe(false);
    // The lower-case form of the aws-native documents, and a single string.
    expect(invokes([inline({ effect: "Allow", notAction: "iam:*", resources: ["*"] })])).toBe(true);
  });

  it("NotAction that leaves out the Mantle namespace alone still grants the rest", () => {
    expect(
      analyzeDocument(doc({ Effect: "Allow", NotAction: ["bedrock-mantle:*"], Resource: "*" })),
    ).toEqual({ kind: "invokes", baseModels: true, profiles: false });
    expect(
      analyzeDocument(
        doc({
          Effect: "Allow",
          NotAction: ["bedrock:*", "sagemaker:*", "bedrock-agentcore:*"],
          Resource: "*",
        }),
      ),
    ).toEqual({ kind: "invokes", baseModels: false, profiles: false });
  });

  it("action patterns match as IAM matches them: any case, ? is one character", () => {
    const grant = (action: string) =>
      analyzeDocument(doc({ Effect: "Allow", Action: action, Resource: "*" })).kind;
    expect(grant("BEDROCK:invokemodel")).toBe("invokes");
    expect(grant("bedrock:InvokeMode?")).toBe("invokes");
    expect(grant("bedrock:InvokeMod?")).toBe("none");
    expect(grant("bedrock:Invoke*")).toBe("invokes");
    expect(grant("bedrock:ListFoundationModels")).toBe("none");
    expect(grant("bedrock.InvokeModel")).toBe("none"); // "." is not a wildcard
    expect(grant("bedrock-mantle:CreateChatCompletion")).toBe("invokes");
    expect(grant("sagemaker:InvokeEndpoint")).toBe("invokes");
  });

  it("reads the resources of a grant: base models, profiles, everything but some", () => {
    const on = (resources: object) =>
      analyzeDocument(doc({ Effect: "Allow", Action: "bedrock:InvokeModel", ...resources }));
    expect(
      on({ Resource: "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0" }),
    ).toEqual({
      kind: "invokes",
      baseModels: true,
      profiles: false,
    });
    expect(on({ Resource: "arn:aws:bedrock:us-east-1:1:*" })).toMatchObject({ baseModels: true });
    expect(on({ Resource: "arn:aws:bedrock:us-east-1:1:application-inference-profile/p" })).toEqual(
      {
        kind: "invokes",
        baseModels: false,
        profiles: true,
      },
    );
    expect(
      on({ NotResource: "arn:aws:bedrock:us-east-1:1:application-inference-profile/p" }),
    ).toMatchObject({
      baseModels: true,
    });
    expect(on({})).toMatchObject({ baseModels: true }); // no Resource: read as everything
    // A SageMaker grant on "*" is an invocation, but not of Bedrock base models.
    expect(
      analyzeDocument(doc({ Effect: "Allow", Action: "sagemaker:InvokeEndpoint", Resource: "*" })),
    ).toEqual({ kind: "invokes", baseModels: false, profiles: false });
  });

  it("ignores statements that are not objects, Deny-only documents and documents that are not JSON", () => {
    expect(analyzeDocument(doc(INVOKE, "text" as unknown as object))).toMatchObject({
      kind: "invokes",
    });
    expect(analyzeDocument(doc({ Effect: "Deny", Action: "bedrock:*", Resource: "*" }))).toEqual({
      kind: "none",
    });
    expect(analyzeDocument("{ not json")).toEqual({ kind: "none" });
    expect(analyzeDocument(JSON.stringify("text"))).toEqual({ kind: "none" });
    expect(analyzeDocument(null)).toEqual({ kind: "none" });
    expect(analyzeDocument({ Statement: INVOKE })).toMatchObject({ kind: "invokes" }); // one statement, not a list
    expect(analyzeDocument({ statements: [INVOKE] })).toMatchObject({ kind: "invokes" });
  });

  it("reads what is unknown at preview as unknown, never as a grant or as none", () => {
    expect(analyzeDocument(UNKNOWN)).toEqual({ kind: "unknown" });
    expect(analyzeDocument({ Statement: UNKNOWN })).toEqual({ kind: "unknown" });
    expect(analyzeDocument({ Statement: [UNKNOWN] })).toEqual({ kind: "unknown" });
    expect(
      analyzeDocument({ Statement: [{ Effect: UNKNOWN, Action: "bedrock:*", Resource: "*" }] }),
    ).toEqual({
      kind: "unknown",
    });
    expect(
      analyzeDocument({ Statement: [{ Effect: "Allow", Action: UNKNOWN, Resource: "*" }] }),
    ).toEqual({
      kind: "unknown",
    });
    expect(
      analyzeDocument({
        Statement: [{ Effect: "Allow", Action: ["s3:GetObject", UNKNOWN], Resource: "*" }],
      }),
    ).toEqual({ kind: "unknown" });
    // Something known to invoke wins over what is not known yet.
    expect(analyzeDocument({ Statement: [UNKNOWN, INVOKE] })).toMatchObject({ kind: "invokes" });
  });
});

describe("IAM: which denies take a grant back", () => {
  const allowAll = { Effect: "Allow", Action: "bedrock:InvokeModel", Resource: "*" };
  const grant = (deny: object) => analyzeDocument(doc(allowAll, deny)).kind;

  it("an unconditional Deny on every resource takes the action back, in either letter case", () => {
    expect(grant({ Effect: "Deny", Action: "bedrock:InvokeModel", Resource: "*" })).toBe("none");
    expect(grant({ effect: "Deny", actions: ["bedrock:*"], resources: ["*"] })).toBe("none");
  });

  it("a Deny with NotResource, a Condition or lower-case conditions leaves the grant standing", () => {
    expect(
      grant({
        Effect: "Deny",
        Action: "bedrock:*",
        NotResource: "arn:aws:bedrock:*:*:application-inference-profile/*",
      }),
    ).toBe("invokes");
    expect(
      grant({ Effect: "Deny", Action: "bedrock:*", Resource: "*", notResources: ["arn:x"] }),
    ).toBe("invokes");
    expect(
      grant({
        Effect: "Deny",
        Action: "bedrock:*",
        Resource: "*",
        Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } },
      }),
    ).toBe("invokes");
    expect(
      grant({ Effect: "Deny", Action: "bedrock:*", Resource: "*", conditions: [{ test: "Bool" }] }),
    ).toBe("invokes");
  });

  it("a Deny scoped to some resources, or naming other actions, leaves the grant standing", () => {
    expect(
      grant({
        Effect: "Deny",
        Action: "bedrock:*",
        Resource: "arn:aws:bedrock:*::foundation-model/x",
      }),
    ).toBe("invokes");
    expect(grant({ Effect: "Deny", Action: "s3:*", Resource: "*" })).toBe("invokes");
    expect(grant({ Effect: "Deny", Action: UNKNOWN, Resource: "*" })).toBe("invokes");
    expect(grant({ Effect: "Allow", Action: "s3:*", Resource: "*" })).toBe("invokes");
  });

  it("a Deny takes back only what it names; the rest of the grant stands", () => {
    const read = analyzeDocument(
      doc(
        {
          Effect: "Allow",
          Action: ["bedrock:InvokeModel", "sagemaker:InvokeEndpoint"],
          Resource: "*",
        },
        { Effect: "Deny", Action: "bedrock:*", Resource: "*" },
      ),
    );
    expect(read).toEqual({ kind: "invokes", baseModels: false, profiles: false });
  });
});

describe("IAM: managed policies", () => {
  const role = resource("aws:iam/role:Role", "app", { name: "app-role" });
  const attach = (policyArn: string) =>
    resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "att", {
      role: "app-role",
      policyArn,
    });

  it("counts only the managed policies that allow invocation", () => {
    expect(
      summary(evaluateStack([role, attach("arn:aws:iam::aws:policy/ReadOnlyAccess")], ctx)),
    ).toEqual([]);
    expect(
      summary(evaluateStack([role, attach("arn:aws:iam::aws:policy/AmazonS3FullAccess")], ctx)),
    ).toEqual([]);
    expect(
      mandatory(evaluateStack([role, attach("arn:aws:iam::aws:policy/PowerUserAccess")], ctx)),
    ).toHaveLength(1);
  });

  it("matches AWS managed policies on a path and in other partitions, not a customer's same name", () => {
    expect(
      mandatory(
        evaluateStack(
          [role, attach("arn:aws:iam::aws:policy/service-role/AmazonSageMakerFullAccess")],
          ctx,
        ),
      ),
    ).toHaveLength(1);
    expect(
      mandatory(
        evaluateStack([role, attach("arn:aws-us-gov:iam::aws:policy/AdministratorAccess")], ctx),
      ),
    ).toHaveLength(1);
    // A customer policy outside the stack named like a managed one is not ours to read: not a
    // grant, only the advisory that its document is elsewhere.
    expect(
      summary(
        evaluateStack([role, attach("arn:aws:iam::123456789012:policy/AdministratorAccess")], ctx),
      ),
    ).toEqual(["ai-invoker-attributable/advisory"]);
    expect(
      summary(evaluateStack([role, attach("arn:aws:iam::aws:policy/AdministratorAccessX")], ctx)),
    ).toEqual([]);
  });

  it("names the managed policy as the source of the grant", () => {
    const [finding] = mandatory(
      evaluateStack([role, attach("arn:aws:iam::aws:policy/AmazonBedrockFullAccess")], ctx),
    );
    expect(finding!.message).toContain("managed policy AmazonBedrockFullAccess");
  });
});

describe("IAM: aws-native and user-side resource types", () => {
  const nativeTags = (tags: Record<string, string>) =>
    Object.entries(tags).map(([key, value]) => ({ key, value }));

  it("an aws-native Role with an inline policy: untagged fails, tagged (key/value list) passes", () => {
    const r = (extra: Record<string, unknown>) =>
      resource("aws-native:iam:Role", "r", {
        roleName: "native-role",
        policies: [{ policyName: "bedrock", policyDocument: doc(INVOKE) }],
        ...extra,
      });
    const findings = evaluateStack([r({})], ctx);
    expect(summary(findings)).toEqual(["ai-invoker-attributable/mandatory"]);
    expect(findings[0]!.message).toContain('inline policy "bedrock"');
    expect(evaluateStack([r({ tags: nativeTags(OWNED) })], ctx)).toEqual([]);
  });

  it("an aws-native RolePolicy and UserPolicy link by roleName / userName", () => {
    const role = resource("aws-native:iam:Role", "r", { roleName: "native-role" });
    const user = resource("aws-native:iam:User", "u", { userName: "native-user" });
    const stack = [
      role,
      user,
      resource("aws-native:iam:RolePolicy", "rp", {
        roleName: "native-role",
        policyDocument: doc(INVOKE),
      }),
      resource("aws-native:iam:UserPolicy", "up", {
        userName: "native-user",
        policyDocument: JSON.parse(doc(INVOKE)),
      }),
    ];
    const findings = mandatory(evaluateStack(stack, ctx));
    expect(findings.map((f) => f.urn).sort()).toEqual([role.urn, user.urn].sort());
  });

  it("a UserPolicy links by name; a UserPolicyAttachment and a PolicyAttachment's users link too", () => {
    const user = (name: string) => resource("aws:iam/user:User", name, { name });
    const findings = mandatory(
      evaluateStack(
        [
          user("alice"),
          user("bob"),
          user("carol"),
          user("dave"),
          resource("aws:iam/userPolicy:UserPolicy", "up", { user: "alice", policy: doc(INVOKE) }),
          resource("aws:iam/userPolicyAttachment:UserPolicyAttachment", "ua", {
            user: "bob",
            policyArn: "arn:aws:iam::aws:policy/AmazonBedrockFullAccess",
          }),
          resource("aws:iam/policyAttachment:PolicyAttachment", "pa", {
            users: ["carol"],
            roles: [],
            policyArn: "arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess",
          }),
        ],
        ctx,
      ),
    );
    expect(findings.map((f) => f.urn.split("::").pop()).sort()).toEqual(["alice", "bob", "carol"]);
  });

  it("a UserPolicy does not grant to a role of the same name, nor a RolePolicy to a user", () => {
    const stack = [
      resource("aws:iam/role:Role", "same", { name: "same" }),
      resource("aws:iam/user:User", "same-user", { name: "same" }),
      resource("aws:iam/userPolicy:UserPolicy", "up", { user: "same", policy: doc(INVOKE) }),
    ];
    const findings = mandatory(evaluateStack(stack, ctx));
    expect(findings.map((f) => f.urn)).toEqual([stack[1]!.urn]);
  });

  it("references by ARN name the principal by its last path segment", () => {
    const stack = [
      resource("aws:iam/role:Role", "r", { name: "deep-role" }),
      resource("aws:iam/rolePolicy:RolePolicy", "rp", {
        role: "arn:aws:iam::123456789012:role/team/deep-role",
        policy: doc(INVOKE),
      }),
    ];
    expect(mandatory(evaluateStack(stack, ctx))).toHaveLength(1);
  });

  it("a role being deleted, and a policy attached to a role outside the stack, are not judged", () => {
    const role = resource("aws:iam/role:Role", "r", { name: "app-role" }, { op: "delete" });
    const rp = resource("aws:iam/rolePolicy:RolePolicy", "rp", {
      role: "app-role",
      policy: doc(INVOKE),
    });
    expect(evaluateStack([role, rp], ctx)).toEqual([]);
    expect(evaluateStack([rp], ctx)).toEqual([]);
  });

  it("an aws-native ManagedPolicy grants to the roles it names", () => {
    const stack = [
      resource("aws-native:iam:Role", "r", { roleName: "native-role" }),
      resource("aws-native:iam:ManagedPolicy", "mp", {
        roles: ["native-role"],
        policyDocument: JSON.parse(doc(INVOKE)),
      }),
    ];
    expect(mandatory(evaluateStack(stack, ctx))).toHaveLength(1);
  });
});

describe("exemptions: expiry and malformed ones", () => {
  const exemption = (extra: Partial<Record<keyof Exemption, unknown>> = {}): Exemption =>
    ({
      resource: "urn:pulumi:*::*::aws:sagemaker/notebookInstance:NotebookInstance::box-*",
      policy: "ai-resource-tags",
      reason: "Sandbox",
      approvedBy: "cto@example.com",
      expires: "2026-12-31",
      ...extra,
    }) as Exemption;
  const withExemptions = (...exemptions: Exemption[]): Registry => ({ ...registry, exemptions });
  const untagged = (name: string) => resource(NOTEBOOK, name, {});
  const judge = (name: string, reg: Registry, today: string) =>
    evaluateResource(untagged(name), { ...ctx, registry: reg, today });

  it("applies on its expiry day (inclusive) and not the day after", () => {
    const reg = withExemptions(exemption());
    expect(summary(judge("box-1", reg, "2026-12-31"))).toEqual(["ai-resource-tags/advisory"]);
    expect(summary(judge("box-1", reg, "2027-01-01"))).toEqual(["ai-resource-tags/mandatory"]);
    expect(exemptionStatus(exemption(), "2026-12-31")).toEqual({ kind: "valid" });
    expect(exemptionStatus(exemption(), "2027-01-01")).toEqual({ kind: "expired" });
  });

  it.each([
    ["an empty resource glob", { resource: "  " }, "no resource URN glob"],
    ["a resource that is not text", { resource: 7 }, "no resource URN glob"],
    ["an unknown policy", { policy: "ai-everything" }, 'unknown policy "ai-everything"'],
    ["an empty reason", { reason: "" }, "no reason"],
    ["a reason that is not text", { reason: 3 }, "no reason"],
    ["an approver without an email", { approvedBy: "cto" }, "no approver email"],
    ["an approver that is not text", { approvedBy: ["cto@example.com"] }, "no approver email"],
    [
      "an impossible date",
      { expires: "2026-02-30" },
      'expires "2026-02-30" is not a YYYY-MM-DD date',
    ],
    [
      "a date that is not text",
      { expires: 20261231 },
      'expires "20261231" is not a YYYY-MM-DD date',
    ],
  ])("is malformed with %s", (_name, change, problem) => {
    expect(exemptionStatus(exemption(change), "2026-06-01")).toEqual({
      kind: "malformed",
      problem,
    });
  });

  it("lists every problem of a malformed exemption", () => {
    const status = exemptionStatus(exemption({ reason: " ", approvedBy: "nobody" }), "2026-06-01");
    expect(status).toEqual({ kind: "malformed", problem: "no reason, no approver email" });
  });

  it("a malformed exemption never applies, even before its date, and says why", () => {
    const [finding] = judge(
      "box-1",
      withExemptions(exemption({ approvedBy: "cto" })),
      "2026-06-01",
    );
    expect(finding!.enforcement).toBe("mandatory");
    expect(finding!.message).toContain("is malformed (no approver email)");
  });

  it("a malformed exemption whose glob is not text matches nothing", () => {
    const [finding] = judge("box-1", withExemptions(exemption({ resource: 7 })), "2026-06-01");
    expect(finding!.enforcement).toBe("mandatory");
    expect(finding!.message).not.toContain("exemption");
  });

  it("a valid exemption after an expired one applies; the expired note is not kept", () => {
    const reg = withExemptions(
      exemption({ expires: "2026-01-31" }),
      exemption({ reason: "Renewed" }),
    );
    const [finding] = judge("box-1", reg, "2026-06-01");
    expect(finding!.enforcement).toBe("advisory");
    expect(finding!.message).toMatch(
      /^Exempted \(approved by cto@example.com until 2026-12-31: Renewed\)\. /,
    );
    expect(finding!.message).not.toContain("expired");
  });

  it("an expired and a malformed exemption both leave a note", () => {
    const reg = withExemptions(exemption({ expires: "2026-01-31" }), exemption({ reason: "" }));
    const [finding] = judge("box-1", reg, "2026-06-01");
    expect(finding!.enforcement).toBe("mandatory");
    expect(finding!.message).toContain("expired on 2026-01-31");
    expect(finding!.message).toContain("is malformed (no reason)");
  });

  it("matches the whole URN by glob, exactly: no other character is special", () => {
    const reg = withExemptions(
      exemption({
        resource: "urn:pulumi:dev::shop::aws:sagemaker/notebookInstance:NotebookInstance::a.b",
      }),
    );
    expect(summary(judge("a.b", reg, "2026-06-01"))).toEqual(["ai-resource-tags/advisory"]);
    expect(summary(judge("aXb", reg, "2026-06-01"))).toEqual(["ai-resource-tags/mandatory"]);
    expect(summary(judge("a.bc", reg, "2026-06-01"))).toEqual(["ai-resource-tags/mandatory"]);
    const star = withExemptions(exemption({ resource: "*::A+(b)?[c]*" }));
    expect(summary(judge("A+(b)?[c]-1", star, "2026-06-01"))).toEqual([
      "ai-resource-tags/advisory",
    ]);
    expect(summary(judge("AA(b)?[c]-1", star, "2026-06-01"))).toEqual([
      "ai-resource-tags/mandatory",
    ]);
    expect(summary(judge("a+(b)?[c]-1", star, "2026-06-01"))).toEqual([
      "ai-resource-tags/mandatory",
    ]);
    const prefix = withExemptions(exemption({ resource: "dev::*" }));
    expect(summary(judge("box-1", prefix, "2026-06-01"))).toEqual(["ai-resource-tags/mandatory"]);
  });

  it("leaves advisories and findings of other policies as they are", () => {
    const advisory: Finding = {
      policy: "ai-resource-tags",
      enforcement: "advisory",
      urn: untagged("box-1").urn,
      message: "m",
    };
    const other: Finding = {
      policy: "ai-model-allowed",
      enforcement: "mandatory",
      urn: untagged("box-1").urn,
      message: "m",
    };
    const [kept, near] = applyExemptions(
      [advisory, other],
      withExemptions(exemption()),
      "2026-06-01",
    );
    expect(kept).toEqual(advisory);
    // The other policy's finding stands, and says which policy the exemption covers.
    expect(near).toMatchObject({ policy: "ai-model-allowed", enforcement: "mandatory" });
    expect(near!.message).toMatch(
      /^m An exemption in .* covers this resource for ai-resource-tags, not for ai-model-allowed/,
    );
  });
});

describe("the policy table's definitions", () => {
  it("names each definition by its key, with its scope, enforcement and default", () => {
    const seen = Object.entries(POLICY_TABLE).map(([key, def]) => ({
      key,
      name: def.name,
      scope: def.scope,
      enforcement: def.enforcement,
      enabledByDefault: def.enabledByDefault,
      runs: "transform" in def ? "transform" : "evaluate" in def ? "evaluate" : "nothing",
    }));
    expect(seen).toEqual([
      {
        key: "ai-resource-tags",
        name: "ai-resource-tags",
        scope: "resource",
        enforcement: "mandatory",
        enabledByDefault: true,
        runs: "evaluate",
      },
      {
        key: "ai-workflow-registered",
        name: "ai-workflow-registered",
        scope: "resource",
        enforcement: "mandatory",
        enabledByDefault: true,
        runs: "evaluate",
      },
      {
        key: "ai-workflow-review-date",
        name: "ai-workflow-review-date",
        scope: "resource",
        enforcement: "mandatory",
        enabledByDefault: true,
        runs: "evaluate",
      },
      {
        key: "ai-model-allowed",
        name: "ai-model-allowed",
        scope: "resource",
        enforcement: "mandatory",
        enabledByDefault: true,
        runs: "evaluate",
      },
      {
        key: "ai-invoker-attributable",
        name: "ai-invoker-attributable",
        scope: "stack",
        enforcement: "mandatory",
        enabledByDefault: true,
        runs: "evaluate",
      },
      {
        key: "ai-owner-from-registry",
        name: "ai-owner-from-registry",
        scope: "resource",
        enforcement: "remediate",
        enabledByDefault: false,
        runs: "transform",
      },
    ]);
  });

  it("each resource rule applies to the AI catalog", () => {
    for (const def of RESOURCE_RULES) expect(def.appliesTo, def.name).toBe(AI_CATALOG);
  });
});

describe("ai-owner-from-registry: every shape of tags", () => {
  const fromDefaults = (type: string, props: Record<string, unknown>) =>
    resource(type, "r", props, {
      provider: {
        type: `pulumi:providers:${type.split(":")[0]}`,
        props: { defaultTags: { tags: { workflow: "support-triage" } } },
      },
    });

  it("no tags of its own (workflow from defaultTags): a map with the owner", () => {
    expect(
      remediateOwnerFromRegistry(
        fromDefaults("aws:sagemaker/endpoint:Endpoint", { name: "e" }),
        ctx,
      ),
    ).toEqual({
      name: "e",
      tags: { owner: "dana@example.com" },
    });
    expect(
      remediateOwnerFromRegistry(
        fromDefaults("aws:sagemaker/endpoint:Endpoint", { tags: null }),
        ctx,
      ),
    ).toEqual({
      tags: { owner: "dana@example.com" },
    });
  });

  it("no tags of its own on a key/value type: a list with the owner", () => {
    expect(remediateOwnerFromRegistry(fromDefaults("aws-native:lex:Bot", {}), ctx)).toEqual({
      botTags: [{ key: "owner", value: "dana@example.com" }],
    });
  });

  it("tags as JSON text: left alone rather than guessed", () => {
    const r = resource("aws:sagemaker/endpoint:Endpoint", "e", {
      tags: JSON.stringify({ workflow: "support-triage" }),
    });
    expect(remediateOwnerFromRegistry(r, ctx)).toBeUndefined();
  });

  it("tagsAll only when it is a map", () => {
    const r = (tagsAll: unknown) =>
      resource("aws:sagemaker/endpoint:Endpoint", "e", {
        tags: { workflow: "support-triage" },
        tagsAll,
      });
    expect(remediateOwnerFromRegistry(r(null), ctx)).toEqual({ tags: OWNED, tagsAll: null });
    expect(remediateOwnerFromRegistry(r([]), ctx)).toEqual({ tags: OWNED, tagsAll: [] });
  });

  it("not an AI resource: nothing to do", () => {
    const bucket = resource("aws:s3/bucket:Bucket", "b", { tags: { workflow: "support-triage" } });
    expect(remediateOwnerFromRegistry(bucket, ctx)).toBeUndefined();
  });
});

describe("IAM: several grants together", () => {
  const profile = "arn:aws:bedrock:us-east-1:1:application-inference-profile/p";
  const base = "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0";
  const allow = (Resource: unknown) => ({
    Effect: "Allow",
    Action: "bedrock:InvokeModel",
    Resource,
  });

  it("combines what each statement allows", () => {
    expect(analyzeDocument(doc(allow(profile), allow(base)))).toEqual({
      kind: "invokes",
      baseModels: true,
      profiles: true,
    });
    expect(analyzeDocument(doc(allow(base), allow(profile)))).toEqual({
      kind: "invokes",
      baseModels: true,
      profiles: true,
    });
    expect(analyzeDocument(doc(allow(profile), allow(profile)))).toEqual({
      kind: "invokes",
      baseModels: false,
      profiles: true,
    });
    expect(analyzeDocument(doc(allow(base), allow(base)))).toEqual({
      kind: "invokes",
      baseModels: true,
      profiles: false,
    });
    expect(analyzeDocument(doc(allow([profile, "*"])))).toEqual({
      kind: "invokes",
      baseModels: true,
      profiles: true,
    });
  });

  it("an invoke grant wins over documents not known yet, in any order; unknown wins over none", () => {
    const role = (...policies: unknown[]) =>
      resource("aws:iam/role:Role", "app", {
        name: "app-role",
        inlinePolicies: policies.map((policy, i) => ({ name: `p${i}`, policy })),
      });
    const s3 = doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" });
    expect(summary(evaluateStack([role(UNKNOWN, doc(allow(profile)))], ctx))).toEqual([
      "ai-invoker-attributable/mandatory",
    ]);
    expect(summary(evaluateStack([role(doc(allow(profile)), UNKNOWN)], ctx))).toEqual([
      "ai-invoker-attributable/mandatory",
    ]);
    expect(summary(evaluateStack([role(s3, UNKNOWN)], ctx))).toEqual([
      "ai-invoker-attributable/advisory",
    ]);
    expect(summary(evaluateStack([role(UNKNOWN, s3)], ctx))).toEqual([
      "ai-invoker-attributable/advisory",
    ]);
    expect(summary(evaluateStack([role(s3, s3)], ctx))).toEqual([]);
  });

  it("names every policy that grants, and no base-model advice when profiles are granted too", () => {
    const r = resource("aws:iam/role:Role", "app", {
      name: "app-role",
      inlinePolicies: [
        { name: "profiles", policy: doc(allow(profile)) },
        { name: "models", policy: doc(allow(base)) },
      ],
    });
    const findings = evaluateStack([r], ctx);
    expect(summary(findings)).toEqual(["ai-invoker-attributable/mandatory"]);
    expect(findings[0]!.message).toContain('(inline policy "profiles", inline policy "models")');
  });

  it("skips entries that are not patterns, in Action, NotAction and a Deny's Action", () => {
    expect(
      analyzeDocument(doc({ Effect: "Allow", Action: [42, "bedrock:InvokeModel"], Resource: "*" })),
    ).toMatchObject({ kind: "invokes" });
    expect(
      analyzeDocument(doc({ Effect: "Allow", NotAction: [42, "s3:*"], Resource: "*" })),
    ).toMatchObject({ kind: "invokes" });
    expect(
      analyzeDocument(
        doc(allow("*"), null as unknown as object, {
          Effect: "Deny",
          Action: [42, "bedrock:*"],
          Resource: "*",
        }),
      ),
    ).toEqual({ kind: "none" });
    expect(analyzeDocument({ Statement: null })).toEqual({ kind: "none" });
    expect(analyzeDocument(doc({ Effect: "Allow", NotAction: UNKNOWN, Resource: "*" }))).toEqual({
      kind: "unknown",
    });
  });

  it("a Deny with NotResource takes nothing back even next to Resource *", () => {
    expect(
      analyzeDocument(
        doc(allow("*"), {
          Effect: "Deny",
          Action: "bedrock:*",
          Resource: "*",
          NotResource: "arn:x",
        }),
      ),
    ).toMatchObject({ kind: "invokes" });
  });

  it("reads resources that are not text as no resource, and only a trailing * as every model", () => {
    expect(analyzeDocument(doc(allow([42, profile])))).toEqual({
      kind: "invokes",
      baseModels: false,
      profiles: true,
    });
    expect(analyzeDocument(doc(allow("arn:aws:bedrock:us-east-1:123:*x")))).toEqual({
      kind: "invokes",
      baseModels: false,
      profiles: false,
    });
    expect(
      analyzeDocument(
        doc({
          Effect: "Allow",
          Action: "bedrock:InvokeModel",
          NotResource: "arn:x",
          Resource: [profile],
        }),
      ),
    ).toMatchObject({
      baseModels: true,
    });
  });

  it("treats IAM pattern punctuation other than * and ? literally", () => {
    const grant = (action: string) =>
      analyzeDocument(doc({ Effect: "Allow", Action: action, Resource: "*" })).kind;
    expect(grant("bedrock:Invoke(Model)")).toBe("none");
    expect(grant("bedrock:Invoke[M]odel")).toBe("none");
  });
});

describe("IAM: how references are resolved", () => {
  const untagged = (name: string, extra: Record<string, unknown> = {}) =>
    resource("aws:iam/role:Role", name, { name, ...extra });
  const rolePolicy = (role: unknown, deps: string[] = []) =>
    resource(
      "aws:iam/rolePolicy:RolePolicy",
      "rp",
      { role, policy: doc(INVOKE) },
      { dependencies: deps },
    );

  it("by the principal's ARN, without its name", () => {
    const r = resource("aws:iam/role:Role", "r", { name: UNKNOWN, arn: "arn:aws:iam::1:role/app" });
    expect(mandatory(evaluateStack([r, rolePolicy("arn:aws:iam::1:role/app")], ctx))).toHaveLength(
      1,
    );
  });

  it("by dependencies when the name given matches no principal, or no name is given", () => {
    const r = untagged("app-role");
    expect(mandatory(evaluateStack([r, rolePolicy("renamed", [r.urn])], ctx))).toHaveLength(1);
    expect(mandatory(evaluateStack([r, rolePolicy(undefined, [r.urn])], ctx))).toHaveLength(1);
    expect(evaluateStack([r, rolePolicy("renamed")], ctx)).toEqual([]);
  });

  it("not at all when the reference is not text", () => {
    const r = untagged("app-role");
    expect(evaluateStack([r, rolePolicy({ name: "app-role" }, [r.urn])], ctx)).toEqual([]);
    expect(evaluateStack([r, rolePolicy(42, [r.urn])], ctx)).toEqual([]);
  });

  it("a customer policy by its own ARN, not the first in the stack", () => {
    const s3 = resource("aws:iam/policy:Policy", "s3", {
      arn: "arn:aws:iam::1:policy/s3",
      policy: doc({ Effect: "Allow", Action: "s3:*", Resource: "*" }),
    });
    const invoke = resource("aws:iam/policy:Policy", "inv", {
      arn: "arn:aws:iam::1:policy/inv",
      policy: doc(INVOKE),
    });
    const attach = (policyArn: string) =>
      resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "att", {
        role: "app-role",
        policyArn,
      });
    expect(
      mandatory(
        evaluateStack([untagged("app-role"), s3, invoke, attach("arn:aws:iam::1:policy/inv")], ctx),
      ),
    ).toHaveLength(1);
    expect(
      evaluateStack([untagged("app-role"), invoke, s3, attach("arn:aws:iam::1:policy/s3")], ctx),
    ).toEqual([]);
  });

  it("a policy ARN not known yet and not among the dependencies: advisory, not silence", () => {
    const attach = resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "att", {
      role: "app-role",
      policyArn: UNKNOWN,
    });
    expect(summary(evaluateStack([untagged("app-role"), attach], ctx))).toEqual([
      "ai-invoker-attributable/advisory",
    ]);
    expect(
      summary(evaluateStack([untagged("app-role", { managedPolicyArns: [UNKNOWN] })], ctx)),
    ).toEqual(["ai-invoker-attributable/advisory"]);
  });

  it("managed policy ARNs: none, a policy outside the stack, and only well-formed AWS ARNs", () => {
    expect(evaluateStack([untagged("a", { managedPolicyArns: null })], ctx)).toEqual([]);
    // A customer policy outside the stack: not a grant, an advisory naming it.
    const outside = evaluateStack(
      [untagged("a", { managedPolicyArns: ["arn:aws:iam::123:policy/x"] })],
      ctx,
    );
    expect(outside.map((f) => f.enforcement)).toEqual(["advisory"]);
    expect(outside[0]!.message).toContain("arn:aws:iam::123:policy/x");
    // Not a well-formed AWS managed policy ARN: never a grant (at most the advisory that its
    // document is not in the file).
    expect(
      mandatory(
        evaluateStack(
          [untagged("a", { managedPolicyArns: ["xarn:aws:iam::aws:policy/AdministratorAccess"] })],
          ctx,
        ),
      ),
    ).toEqual([]);
    // Not a well-formed AWS managed policy ARN: never a grant (at most the advisory that its
    // document is not in the file).
    expect(
      mandatory(
        evaluateStack(
          [untagged("a", { managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess/"] })],
          ctx,
        ),
      ),
    ).toEqual([]);
    expect(
      mandatory(
        evaluateStack(
          [untagged("a", { managedPolicyArns: "arn:aws:iam::aws:policy/AdministratorAccess" })],
          ctx,
        ),
      ),
    ).toHaveLength(1);
  });

  it("inline policies: a list not known yet, an item that is null, an item without a name", () => {
    const [unknownList] = evaluateStack([untagged("a", { inlinePolicies: UNKNOWN })], ctx);
    expect(unknownList!.enforcement).toBe("advisory");
    expect(unknownList!.message).toContain("its inlinePolicies is not known until the update");
    expect(evaluateStack([untagged("a", { inlinePolicies: [null] })], ctx)).toEqual([]);
    const [unnamed] = evaluateStack(
      [untagged("a", { inlinePolicies: [{ policy: doc(INVOKE) }] })],
      ctx,
    );
    expect(unnamed!.message).toContain("(inline policy in inlinePolicies)");
    const [unknownName] = evaluateStack(
      [untagged("a", { inlinePolicies: [{ name: UNKNOWN, policy: doc(INVOKE) }] })],
      ctx,
    );
    expect(unknownName!.message).toContain("(inline policy in inlinePolicies)");
  });

  it("groups: a membership of a group not in the stack grants nothing; an aws user's own groups input is not read", () => {
    const alice = resource("aws:iam/user:User", "alice", { name: "alice" });
    const membership = resource("aws:iam/userGroupMembership:UserGroupMembership", "m", {
      user: "alice",
      groups: ["no-such-group"],
    });
    expect(evaluateStack([alice, membership], ctx)).toEqual([]);
    const devs = resource("aws:iam/group:Group", "devs", { name: "devs" });
    const gp = resource("aws:iam/groupPolicy:GroupPolicy", "gp", {
      group: "devs",
      policy: doc(INVOKE),
    });
    const bob = resource("aws:iam/user:User", "bob", { name: "bob", groups: ["devs"] });
    expect(evaluateStack([bob, devs, gp], ctx)).toEqual([]);
  });
});

describe("ai-invoker-attributable: what it says", () => {
  const r = (tags: unknown, policy: unknown = doc(INVOKE)) =>
    resource("aws:iam/role:Role", "app", {
      name: "app-role",
      tags,
      inlinePolicies: [{ name: "p", policy }],
    });

  it("a tagged role with a document not known yet: nothing to say", () => {
    expect(evaluateStack([r(OWNED, UNKNOWN)], ctx)).toEqual([]);
  });

  it("a role whose tags are not known yet: advisory, naming the tags to check", () => {
    const [finding] = evaluateStack([r(UNKNOWN)], ctx);
    expect(finding!.enforcement).toBe("advisory");
    expect(finding!.policy).toBe("ai-invoker-attributable");
    expect(finding!.message).toContain('the "workflow" and "owner" tags will be checked');
  });

  it("names each case-only variant, one after the other", () => {
    const [finding] = evaluateStack(
      [r({ Workflow: "support-triage", Owner: "dana@example.com" })],
      ctx,
    );
    expect(finding!.message).toContain(
      'rename it to exactly "workflow". It has a "Owner" tag, which differs only in letter case: rename it to exactly "owner". Add tags',
    );
  });

  it("an unregistered workflow tag says why tags matter on a principal", () => {
    const [finding] = evaluateStack([r({ workflow: "nope", owner: "x@example.com" })], ctx);
    expect(finding!.enforcement).toBe("mandatory");
    expect(finding!.message).toContain(
      "which names no registered workflow. This role can invoke models, and its tags are how that spend is attributed. Use one of:",
    );
  });
});

describe("resource rules: what they say and when", () => {
  it("says nothing about a resource that is not an AI resource", () => {
    expect(evaluateResource(resource("aws:s3/bucket:Bucket", "b", {}), ctx)).toEqual([]);
  });

  it("suggests the registered owner when the workflow is known, a placeholder when not", () => {
    const [known] = evaluateResource(
      resource("aws:sagemaker/endpoint:Endpoint", "e", { tags: { workflow: "support-triage" } }),
      ctx,
    );
    expect(known!.message).toContain('owner: "dana@example.com"');
    const [placeholder] = evaluateResource(
      resource("aws:sagemaker/endpoint:Endpoint", "e", { tags: null }),
      ctx,
    );
    expect(placeholder!.message).toContain('workflow: "<workflow id>", owner: "<owner email>"');
  });

  it("ai-workflow-registered ends its message without a suffix", () => {
    const findings = evaluateResource(
      resource("aws:sagemaker/endpoint:Endpoint", "e", {
        tags: { workflow: "nope", owner: "x@example.com" },
      }),
      ctx,
    );
    const registered = findings.find((f) => f.policy === "ai-workflow-registered")!;
    expect(registered.message).toMatch(/[.)]$/);
  });

  it("ai-model-allowed: unknown values name the list they will be checked against", () => {
    const ks = [
      { key: "workflow", value: "knowledge-search" },
      { key: "owner", value: "alex@example.com" },
    ];
    const [instance] = evaluateResource(
      resource("aws-native:sagemaker:NotebookInstance", "n", { tags: ks, instanceType: UNKNOWN }),
      ctx,
    );
    expect(instance!.message).toContain(
      'checked against the instanceTypes of workflow "knowledge-search"',
    );
    const [model] = evaluateResource(
      resource("aws:bedrock/inferenceProfile:InferenceProfile", "p", {
        tags: OWNED,
        modelSource: { copyFrom: UNKNOWN },
      }),
      ctx,
    );
    expect(model!.message).toContain('checked against the models of workflow "support-triage"');
  });

  it("ai-model-allowed: an application inference profile is checked where it is defined, not here", () => {
    const p = resource("aws:bedrock/inferenceProfile:InferenceProfile", "p", {
      tags: OWNED,
      modelSource: {
        copyFrom: "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc",
      },
    });
    expect(evaluateResource(p, ctx)).toEqual([]);
  });
});

describe("exemptions: more edges", () => {
  const finding: Finding = {
    policy: "ai-resource-tags",
    enforcement: "mandatory",
    urn: "urn:x",
    message: "Missing.",
  };

  it("a registry without exemptions leaves every finding as it is", () => {
    expect(applyExemptions([finding], { ...registry, exemptions: [] }, "2026-06-01")).toEqual([
      finding,
    ]);
  });

  it("an approver that is not text is malformed", () => {
    const e = {
      resource: "urn:x",
      policy: "ai-resource-tags",
      reason: "r",
      approvedBy: 42,
      expires: "2027-01-01",
    } as unknown as Exemption;
    expect(exemptionStatus(e, "2026-06-01")).toEqual({
      kind: "malformed",
      problem: "no approver email",
    });
  });

  it("notes of several exemptions follow the message in order", () => {
    const base = {
      resource: "urn:x",
      policy: "ai-resource-tags",
      reason: "r",
      approvedBy: "cto@example.com",
    } as const;
    const reg = {
      ...registry,
      exemptions: [
        { ...base, expires: "2026-01-31" },
        { ...base, expires: "2026-02-30" },
      ],
    } as Registry;
    const [out] = applyExemptions([finding], reg, "2026-06-01");
    expect(out!.message).toMatch(
      /^Missing\. An exemption in .* expired on 2026-01-31: renew it if it still applies\. An exemption in .* is malformed/,
    );
  });
});
