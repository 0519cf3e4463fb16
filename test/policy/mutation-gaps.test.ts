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
  analyzeDocument,
  applyExemptions,
  effectiveTags,
  evaluateResource,
  evaluateStack,
  exemptionStatus,
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
    // A customer policy outside the stack named like a managed one is not ours to read.
    expect(
      summary(
        evaluateStack([role, attach("arn:aws:iam::123456789012:policy/AdministratorAccess")], ctx),
      ),
    ).toEqual([]);
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
    expect(applyExemptions([advisory, other], withExemptions(exemption()), "2026-06-01")).toEqual([
      advisory,
      other,
    ]);
  });
});
