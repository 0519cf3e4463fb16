import { describe, expect, it } from "vitest";
import {
  analyzeDocument,
  evaluateResource,
  evaluateStack,
  modelRef,
  POLICY_ENFORCEMENT,
  describePolicy,
  remediateOwnerFromRegistry,
  UNKNOWN,
} from "../../src/policy";
import type { ResourceInput } from "../../src/policy";
import type { Registry } from "../../src/registry";
import { awsProvider, ctx, mandatory, OWNED, registry, resource, summary } from "./helpers";

const ENDPOINT = "aws:sagemaker/endpoint:Endpoint";

describe("ai-resource-tags", () => {
  it("passes a resource carrying both tags", () => {
    expect(evaluateResource(resource(ENDPOINT, "ep", { tags: OWNED }), ctx)).toEqual([]);
  });

  it("fails a resource without tags, naming the keys, the workflows and the three fixes", () => {
    const [finding, ...rest] = evaluateResource(resource(ENDPOINT, "ep", {}), ctx);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ policy: "ai-resource-tags", enforcement: "mandatory" });
    expect(finding!.message).toContain(
      `${ENDPOINT} "ep" is missing the "workflow" and "owner" tags`,
    );
    expect(finding!.message).toContain("support-triage (dana@example.com)");
    expect(finding!.message).toContain("(1) on the resource");
    expect(finding!.message).toContain("defaultTags.tags");
    expect(finding!.message).toContain("auto-tagging helper");
  });

  it("accepts tags that come only from the provider's defaultTags (JSON-encoded)", () => {
    const r = resource(
      ENDPOINT,
      "ep",
      {},
      { provider: awsProvider(JSON.stringify({ tags: OWNED })) },
    );
    expect(evaluateResource(r, ctx)).toEqual([]);
  });

  it("accepts defaultTags given as an object, merged with the resource's own tags", () => {
    const r = resource(
      ENDPOINT,
      "ep",
      { tags: { workflow: "support-triage" } },
      { provider: awsProvider({ tags: { owner: "dana@example.com" } }) },
    );
    expect(evaluateResource(r, ctx)).toEqual([]);
  });

  it("ignores defaultTags of a provider of another package", () => {
    const r = resource(
      ENDPOINT,
      "ep",
      {},
      {
        provider: { type: "pulumi:providers:aws-native", props: { defaultTags: { tags: OWNED } } },
      },
    );
    expect(summary(mandatory(evaluateResource(r, ctx)))).toEqual(["ai-resource-tags/mandatory"]);
  });

  it("accepts tags from a known tagsAll", () => {
    expect(evaluateResource(resource(ENDPOINT, "ep", { tagsAll: OWNED }), ctx)).toEqual([]);
  });

  it("reads aws-native key/value arrays", () => {
    const tags = [
      { key: "workflow", value: "support-triage" },
      { key: "owner", value: "dana@example.com" },
    ];
    expect(evaluateResource(resource("aws-native:bedrock:Agent", "a", { tags }), ctx)).toEqual([]);
  });

  it("reads aws-native maps (Bedrock agents take a map)", () => {
    expect(
      evaluateResource(resource("aws-native:bedrock:Agent", "a", { tags: OWNED }), ctx),
    ).toEqual([]);
  });

  it("reads Lex botTags, and shows the fix in the array shape", () => {
    const ok = resource("aws-native:lex:Bot", "b", {
      botTags: [
        { key: "workflow", value: "support-triage" },
        { key: "owner", value: "dana@example.com" },
      ],
    });
    expect(evaluateResource(ok, ctx)).toEqual([]);
    const [finding] = evaluateResource(resource("aws-native:lex:Bot", "b", { tags: OWNED }), ctx);
    expect(finding!.message).toContain('botTags: [{ key: "workflow", value: "<workflow id>" }');
  });

  it("reports a case-only near miss exactly", () => {
    const r = resource(ENDPOINT, "ep", {
      tags: { workflow: "support-triage", Owner: "dana@example.com" },
    });
    const [finding] = mandatory(evaluateResource(r, ctx));
    expect(finding!.message).toContain('is missing the "owner" tag');
    expect(finding!.message).toContain(
      'It has a "Owner" tag, which differs only in letter case: AWS tag keys are case-sensitive, so rename it to exactly "owner".',
    );
  });

  it("does not fail when the tags are unknown at preview, and says what will be checked", () => {
    const findings = evaluateResource(resource(ENDPOINT, "ep", { tags: UNKNOWN }), ctx);
    expect(summary(findings)).toEqual(["ai-resource-tags/advisory"]);
    expect(findings[0]!.message).toContain(
      'the "workflow" and "owner" tags will be checked at update',
    );
  });

  it("does not fail when defaultTags are unknown and the resource has none", () => {
    const r = resource(ENDPOINT, "ep", {}, { provider: awsProvider(UNKNOWN) });
    expect(summary(evaluateResource(r, ctx))).toEqual(["ai-resource-tags/advisory"]);
  });

  it("fails on a key known to be missing when only a value is unknown", () => {
    const findings = evaluateResource(
      resource(ENDPOINT, "ep", { tags: { workflow: UNKNOWN } }),
      ctx,
    );
    expect(summary(findings)).toEqual([
      "ai-resource-tags/mandatory",
      "ai-workflow-registered/advisory",
    ]);
    expect(findings[0]!.message).toContain('missing the "owner" tag');
  });

  it("ignores an unknown tagsAll when tags and defaultTags are known", () => {
    expect(
      evaluateResource(resource(ENDPOINT, "ep", { tags: OWNED, tagsAll: UNKNOWN }), ctx),
    ).toEqual([]);
  });

  it("gives untaggable spend-bearing types an advisory on attribution, never a failure", () => {
    const findings = evaluateResource(
      resource("aws:bedrockmodel/invocationJob:InvocationJob", "batch", {
        modelId: "amazon.nova-lite-v1:0",
      }),
      ctx,
    );
    expect(summary(findings)).toEqual(["ai-resource-tags/advisory"]);
    expect(findings[0]!.message).toContain("application inference profile");
  });

  it("says nothing about untaggable configuration sub-resources", () => {
    expect(evaluateResource(resource("aws:lex/intent:Intent", "i", {}), ctx)).toEqual([]);
  });

  it.each([["aws:s3/bucket:Bucket"], ["aws:iam/role:Role"], ["aws-native:s3:Bucket"]])(
    "does not apply to non-AI type %s",
    (type) => {
      expect(evaluateResource(resource(type, "x", {}), ctx)).toEqual([]);
    },
  );

  it("applies to OpenSearch Serverless collections only when they are vector collections", () => {
    const type = "aws:opensearch/serverlessCollection:ServerlessCollection";
    expect(evaluateResource(resource(type, "logs", { type: "TIMESERIES" }), ctx)).toEqual([]);
    expect(summary(evaluateResource(resource(type, "kb", { type: "VECTORSEARCH" }), ctx))).toEqual([
      "ai-resource-tags/mandatory",
    ]);
    expect(summary(evaluateResource(resource(type, "kb", { type: UNKNOWN }), ctx))).toEqual([
      "ai-resource-tags/advisory",
    ]);
  });

  it("treats configured extra types as AI resources", () => {
    const r = resource("aws:ecs/service:Service", "llm", {});
    expect(evaluateResource(r, ctx)).toEqual([]);
    expect(
      summary(evaluateResource(r, { ...ctx, extraAiTypes: ["aws:ecs/service:Service"] })),
    ).toEqual(["ai-resource-tags/mandatory"]);
  });

  it("never blocks a deletion", () => {
    expect(evaluateResource(resource(ENDPOINT, "ep", {}, { op: "delete" }), ctx)).toEqual([]);
  });
});

describe("ai-workflow-registered", () => {
  it("fails an unregistered workflow with a did-you-mean", () => {
    const r = resource(ENDPOINT, "ep", {
      tags: { workflow: "suport-triage", owner: "dana@example.com" },
    });
    const findings = evaluateResource(r, ctx);
    expect(summary(findings)).toEqual(["ai-workflow-registered/mandatory"]);
    expect(findings[0]!.message).toContain(
      'the "workflow" tag is "suport-triage", which names no registered workflow (did you mean "support-triage"?)',
    );
  });

  it("fails a case-only drift in the workflow value", () => {
    const r = resource(ENDPOINT, "ep", {
      tags: { workflow: "Support-Triage", owner: "dana@example.com" },
    });
    expect(evaluateResource(r, ctx)[0]!.message).toContain("differs only in letter case");
  });

  it("fails an owner tag that differs from the registered owner", () => {
    const r = resource(ENDPOINT, "ep", {
      tags: { workflow: "support-triage", owner: "sam@example.com" },
    });
    const findings = evaluateResource(r, ctx);
    expect(summary(findings)).toEqual(["ai-workflow-registered/mandatory"]);
    expect(findings[0]!.message).toContain(
      'the "owner" tag is "sam@example.com" but workflow "support-triage" is owned by "dana@example.com"',
    );
  });

  it("gives an advisory when the owner value is unknown at preview", () => {
    const r = resource(ENDPOINT, "ep", { tags: { workflow: "support-triage", owner: UNKNOWN } });
    expect(summary(evaluateResource(r, ctx))).toEqual(["ai-workflow-registered/advisory"]);
  });
});

describe("ai-workflow-review-date", () => {
  it("fails a workflow past its review date, and says to renew or retire it", () => {
    const r = resource(ENDPOINT, "ep", {
      tags: { workflow: "old-pilot", owner: "kim@example.com" },
    });
    const findings = evaluateResource(r, ctx);
    expect(summary(findings)).toEqual(["ai-workflow-review-date/mandatory"]);
    expect(findings[0]!.message).toContain(
      "due for review on 2026-11-01 (29 days ago): renew it in the registry",
    );
    expect(findings[0]!.message).toContain("or retire it");
  });

  it("gives an advisory within 14 days of the review date", () => {
    const r = resource(ENDPOINT, "ep", {
      tags: { workflow: "memo-pilot", owner: "sam@example.com" },
    });
    const findings = evaluateResource(r, ctx);
    expect(summary(findings)).toEqual(["ai-workflow-review-date/advisory"]);
    expect(findings[0]!.message).toContain("due for review on 2026-12-08 (in 8 days)");
  });

  it("is quiet further ahead, and on the review date itself is advisory", () => {
    const r = resource(ENDPOINT, "ep", {
      tags: { workflow: "memo-pilot", owner: "sam@example.com" },
    });
    expect(evaluateResource(r, { ...ctx, today: "2026-11-01" })).toEqual([]);
    expect(summary(evaluateResource(r, { ...ctx, today: "2026-12-08" }))).toEqual([
      "ai-workflow-review-date/advisory",
    ]);
  });

  it("never blocks deleting a resource of an expired workflow", () => {
    const r = resource(
      ENDPOINT,
      "ep",
      { tags: { workflow: "old-pilot", owner: "kim@example.com" } },
      { op: "delete" },
    );
    expect(evaluateResource(r, ctx)).toEqual([]);
  });
});

describe("ai-model-allowed", () => {
  const profile = (copyFrom: string) =>
    resource("aws:bedrock/inferenceProfile:InferenceProfile", "p", {
      tags: OWNED,
      modelSource: { copyFrom },
    });

  it.each([
    ["arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0"],
    ["arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-lite-v1:0"],
  ])("passes a model in the list: %s", (arn) => {
    expect(evaluateResource(profile(arn), ctx)).toEqual([]);
  });

  it("fails a model outside the list, naming the list", () => {
    const findings = evaluateResource(
      profile(
        "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-opus-4-1-20250805-v1:0",
      ),
      ctx,
    );
    expect(summary(findings)).toEqual(["ai-model-allowed/mandatory"]);
    expect(findings[0]!.message).toContain(
      'model "anthropic.claude-opus-4-1-20250805-v1:0" (modelSource.copyFrom) is not in the models of workflow "support-triage": anthropic.claude-haiku-*, amazon.nova-*',
    );
  });

  it.each([
    [
      "aws:bedrock/provisionedModelThroughput:ProvisionedModelThroughput",
      { modelArn: "arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-70b-instruct-v1:0" },
    ],
    [
      "aws:bedrock/customModel:CustomModel",
      { baseModelIdentifier: "meta.llama3-8b-instruct-v1:0" },
    ],
    ["aws:bedrock/agentAgent:AgentAgent", { foundationModel: "mistral.mistral-large-2402-v1:0" }],
    ["aws-native:bedrock:Agent", { foundationModel: "mistral.mistral-large-2402-v1:0" }],
  ])("checks the model of %s", (type, props) => {
    expect(summary(evaluateResource(resource(type, "m", { tags: OWNED, ...props }), ctx))).toEqual([
      "ai-model-allowed/mandatory",
    ]);
  });

  it("checks SageMaker endpoint configuration instance types", () => {
    const config = (instanceType: string) =>
      resource("aws:sagemaker/endpointConfiguration:EndpointConfiguration", "c", {
        tags: { workflow: "knowledge-search", owner: "alex@example.com" },
        productionVariants: [{ variantName: "a", instanceType }],
      });
    expect(evaluateResource(config("ml.g5.xlarge"), ctx)).toEqual([]);
    const findings = evaluateResource(config("ml.p4d.24xlarge"), ctx);
    expect(summary(findings)).toEqual(["ai-model-allowed/mandatory"]);
    expect(findings[0]!.message).toContain('instance type "ml.p4d.24xlarge"');
  });

  it("is not applicable when the workflow has no list", () => {
    const r = resource("aws-native:bedrock:Agent", "a", {
      tags: { workflow: "knowledge-search", owner: "alex@example.com" },
      foundationModel: "anything.at-all",
    });
    expect(evaluateResource(r, ctx)).toEqual([]);
  });

  it("gives an advisory when the model is unknown at preview", () => {
    expect(summary(evaluateResource(profile(UNKNOWN), ctx))).toEqual(["ai-model-allowed/advisory"]);
  });

  it("leaves application inference profile ARNs to the profile's own check", () => {
    expect(
      modelRef("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc"),
    ).toEqual({
      kind: "indirect",
      arn: "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc",
    });
  });
});

describe("exemptions", () => {
  const notebook = (name: string) =>
    resource("aws:sagemaker/notebookInstance:NotebookInstance", name, {});

  it("turns a matching mandatory finding into an advisory that names approver, reason and expiry", () => {
    const findings = evaluateResource(notebook("scratch-1"), ctx);
    expect(summary(findings)).toEqual(["ai-resource-tags/advisory"]);
    expect(findings[0]!.message).toMatch(
      /^Exempted \(approved by cto@example.com until 2027-01-31: Shared scratch notebook, charged to the platform team\)\./,
    );
  });

  it("does not apply an expired exemption, and says it expired", () => {
    const findings = evaluateResource(notebook("legacy-1"), ctx);
    expect(summary(findings)).toEqual(["ai-resource-tags/mandatory"]);
    expect(findings[0]!.message).toContain("expired on 2026-10-31: renew it if it still applies");
  });

  it("does not apply a malformed exemption (fail closed)", () => {
    const broken: Registry = {
      ...registry,
      exemptions: [{ ...registry.exemptions[0]!, expires: "2027-02-30" }],
    };
    const findings = evaluateResource(notebook("scratch-1"), { ...ctx, registry: broken });
    expect(summary(findings)).toEqual(["ai-resource-tags/mandatory"]);
    expect(findings[0]!.message).toContain("is malformed");
  });

  it("applies only to the policy it names", () => {
    const r = resource("aws:sagemaker/notebookInstance:NotebookInstance", "scratch-2", {
      tags: { workflow: "nope", owner: "x@example.com" },
    });
    expect(summary(evaluateResource(r, ctx))).toEqual(["ai-workflow-registered/mandatory"]);
  });
});

describe("ai-invoker-attributable", () => {
  const doc = (statement: object) =>
    JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
  const invoke = doc({
    Effect: "Allow",
    Action: ["bedrock:InvokeModel"],
    Resource: [
      "arn:aws:bedrock:us-east-1:1:application-inference-profile/x",
      "arn:aws:bedrock:*::foundation-model/*",
    ],
  });
  const role = (tags: Record<string, string> | undefined, extra: Record<string, unknown> = {}) =>
    resource("aws:iam/role:Role", "app", { name: "app-role", ...(tags ? { tags } : {}), ...extra });

  it("fails an untagged role with an inline invoke policy", () => {
    const findings = evaluateStack(
      [role(undefined, { inlinePolicies: [{ name: "bedrock", policy: invoke }] })],
      ctx,
    );
    expect(summary(findings)).toEqual(["ai-invoker-attributable/mandatory"]);
    expect(findings[0]!.message).toContain(
      "AWS attributes Bedrock spend to the tags of the IAM principal",
    );
  });

  it("passes a tagged role", () => {
    expect(
      evaluateStack([role(OWNED, { inlinePolicies: [{ name: "bedrock", policy: invoke }] })], ctx),
    ).toEqual([]);
  });

  it("links a RolePolicy by the role's name", () => {
    const findings = evaluateStack(
      [
        role(undefined),
        resource("aws:iam/rolePolicy:RolePolicy", "p", { role: "app-role", policy: invoke }),
      ],
      ctx,
    );
    expect(summary(findings)).toEqual(["ai-invoker-attributable/mandatory"]);
  });

  it("links a customer Policy and its attachment through dependencies when names are unknown", () => {
    const policy = resource("aws:iam/policy:Policy", "pol", { policy: invoke, arn: UNKNOWN });
    const r = resource("aws:iam/role:Role", "app", { name: UNKNOWN });
    const attach = resource(
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "att",
      { role: UNKNOWN, policyArn: UNKNOWN },
      { dependencies: [r.urn, policy.urn] },
    );
    expect(summary(evaluateStack([policy, r, attach], ctx))).toEqual([
      "ai-invoker-attributable/mandatory",
    ]);
  });

  it("counts the managed AmazonBedrockFullAccess, and advises on its base-model grant", () => {
    const attach = resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "att", {
      role: "app-role",
      policyArn: "arn:aws:iam::aws:policy/AmazonBedrockFullAccess",
    });
    expect(summary(evaluateStack([role(OWNED), attach], ctx))).toEqual([
      "ai-invoker-attributable/advisory",
    ]);
  });

  it("counts the managed AmazonBedrockLimitedAccess, which allows InvokeModel on every model", () => {
    const attach = resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "att", {
      role: "app-role",
      policyArn: "arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess",
    });
    const findings = evaluateStack([role(undefined), attach], ctx);
    expect(summary(findings)).toEqual([
      "ai-invoker-attributable/mandatory",
      "ai-invoker-attributable/advisory",
    ]);
    expect(findings[0]!.message).toContain("managed policy AmazonBedrockLimitedAccess");
  });

  it("advises on invoke grants on '*' rather than application inference profiles", () => {
    const star = doc({ Effect: "Allow", Action: "bedrock:*", Resource: "*" });
    const findings = evaluateStack(
      [role(OWNED, { inlinePolicies: [{ name: "all", policy: star }] })],
      ctx,
    );
    expect(summary(findings)).toEqual(["ai-invoker-attributable/advisory"]);
    expect(findings[0]!.message).toContain("application inference profiles");
  });

  it("fails an unregistered workflow tag on an invoking user", () => {
    const user = resource("aws-native:iam:User", "u", {
      userName: "ci",
      tags: [
        { key: "workflow", value: "unknown-flow" },
        { key: "owner", value: "dana@example.com" },
      ],
      policies: [{ policyName: "p", policyDocument: JSON.parse(invoke) as object }],
    });
    expect(summary(evaluateStack([user], ctx))).toEqual(["ai-invoker-attributable/mandatory"]);
  });

  it("ignores roles that cannot invoke models", () => {
    const s3 = doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" });
    expect(
      evaluateStack([role(undefined, { inlinePolicies: [{ name: "s3", policy: s3 }] })], ctx),
    ).toEqual([]);
  });

  it("gives an advisory, not a failure, when an untagged role's policy is unknown at preview", () => {
    const findings = evaluateStack(
      [
        role(undefined),
        resource("aws:iam/rolePolicy:RolePolicy", "p", { role: "app-role", policy: UNKNOWN }),
      ],
      ctx,
    );
    expect(summary(findings)).toEqual(["ai-invoker-attributable/advisory"]);
  });

  it.each([
    ["bedrock:InvokeModel*", true],
    ["*", true],
    ["sagemaker:InvokeEndpoint*", true],
    ["bedrock-agentcore:InvokeAgentRuntime", true],
    ["bedrock-mantle:*", true],
    ["bedrock:ListFoundationModels", false],
    ["bedrock:InvokeMode?", true],
    ["BEDROCK:invoke?odel", true],
    ["bedrock:InvokeModel?", false],
  ])("reads action %s as invoking: %s", (action, invokes) => {
    expect(
      analyzeDocument({ Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] }).kind ===
        "invokes",
    ).toBe(invokes);
  });

  it("subtracts what an unconditional Deny on every resource takes back in the same document", () => {
    const allowAll = { Effect: "Allow", Action: "*", Resource: "*" };
    const denyAi = {
      Effect: "Deny",
      Action: ["bedrock:*", "sagemaker:*", "bedrock-agentcore:*", "bedrock-mantle:*"],
      Resource: "*",
    };
    expect(analyzeDocument({ Statement: [allowAll, denyAi] }).kind).toBe("none");
    // Denying only part of it, or only under a condition or on some resources, leaves a grant.
    const partial = { ...denyAi, Action: ["bedrock:*"] };
    const conditional = {
      ...denyAi,
      Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } },
    };
    const scoped = { ...denyAi, Resource: "arn:aws:bedrock:*::foundation-model/*" };
    for (const deny of [partial, conditional, scoped]) {
      expect(analyzeDocument({ Statement: [allowAll, deny] }).kind).toBe("invokes");
    }
  });

  describe("users get the policies of their IAM groups", () => {
    const user = (tags?: Record<string, string>, extra: Partial<ResourceInput> = {}) =>
      resource("aws:iam/user:User", "u", { name: "ci", ...(tags ? { tags } : {}) }, extra);
    const group = resource("aws:iam/group:Group", "devs", { name: "ai-devs" });
    const groupPolicy = resource("aws:iam/groupPolicy:GroupPolicy", "gp", {
      group: "ai-devs",
      policy: invoke,
    });
    const membership = resource("aws:iam/userGroupMembership:UserGroupMembership", "m", {
      user: "ci",
      groups: ["ai-devs"],
    });

    it("fails an untagged user whose group has an invoke policy, naming the group and the policy", () => {
      const findings = evaluateStack([user(), group, groupPolicy, membership], ctx);
      expect(summary(findings)).toEqual(["ai-invoker-attributable/mandatory"]);
      expect(findings[0]!.urn).toBe(user().urn);
      expect(findings[0]!.message).toContain(
        'can invoke models (aws:iam/groupPolicy:GroupPolicy "gp" through its group "ai-devs" (aws:iam/group:Group "devs"))',
      );
      expect(findings[0]!.message).toContain("this user's spend would be unowned");
    });

    it("passes a tagged user, and never reports the group itself", () => {
      expect(evaluateStack([user(OWNED), group, groupPolicy, membership], ctx)).toEqual([]);
      expect(evaluateStack([group, groupPolicy], ctx)).toEqual([]);
    });

    it("reads GroupPolicyAttachment and GroupMembership", () => {
      const attach = resource("aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "ga", {
        group: "ai-devs",
        policyArn: "arn:aws:iam::aws:policy/AmazonBedrockFullAccess",
      });
      const members = resource("aws:iam/groupMembership:GroupMembership", "gm", {
        group: "ai-devs",
        users: ["someone-else", "ci"],
      });
      const findings = evaluateStack([user(), group, attach, members], ctx);
      expect(summary(findings)).toEqual([
        "ai-invoker-attributable/mandatory",
        "ai-invoker-attributable/advisory",
      ]);
      expect(findings[0]!.message).toContain(
        'managed policy AmazonBedrockFullAccess (attached by aws:iam/groupPolicyAttachment:GroupPolicyAttachment "ga") through its group "ai-devs"',
      );
    });

    it("reads a PolicyAttachment's groups", () => {
      const policy = resource("aws:iam/policy:Policy", "pol", {
        policy: invoke,
        arn: "arn:aws:iam::1:policy/invoke",
      });
      const attach = resource("aws:iam/policyAttachment:PolicyAttachment", "pa", {
        policyArn: "arn:aws:iam::1:policy/invoke",
        groups: ["ai-devs"],
      });
      expect(summary(evaluateStack([user(), group, policy, attach, membership], ctx))).toEqual([
        "ai-invoker-attributable/mandatory",
      ]);
    });

    it("reads aws-native groups: inline policies, managed policy ARNs, ManagedPolicy groups", () => {
      const nativeUser = resource("aws-native:iam:User", "nu", {
        userName: "ci",
        groups: ["ai-devs"],
      });
      const inline = resource("aws-native:iam:Group", "ng", {
        groupName: "ai-devs",
        policies: [{ policyName: "bedrock", policyDocument: JSON.parse(invoke) as object }],
      });
      const findings = evaluateStack([nativeUser, inline], ctx);
      expect(summary(findings)).toEqual(["ai-invoker-attributable/mandatory"]);
      expect(findings[0]!.message).toContain('inline policy "bedrock" through its group "ai-devs"');
      const managed = resource("aws-native:iam:Group", "ng", {
        groupName: "ai-devs",
        managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess"],
      });
      expect(summary(mandatory(evaluateStack([nativeUser, managed], ctx)))).toEqual([
        "ai-invoker-attributable/mandatory",
      ]);
      const bare = resource("aws-native:iam:Group", "ng", { groupName: "ai-devs" });
      const customer = resource("aws-native:iam:ManagedPolicy", "mp", {
        policyDocument: JSON.parse(invoke) as object,
        groups: ["ai-devs"],
      });
      expect(summary(evaluateStack([nativeUser, bare, customer], ctx))).toEqual([
        "ai-invoker-attributable/mandatory",
      ]);
    });

    it("links groups, their policies and memberships through dependencies when names are unknown", () => {
      const u = resource("aws:iam/user:User", "u", { name: UNKNOWN });
      const g = resource("aws:iam/group:Group", "devs", { name: UNKNOWN });
      const gp = resource(
        "aws:iam/groupPolicy:GroupPolicy",
        "gp",
        { group: UNKNOWN, policy: invoke },
        { dependencies: [g.urn] },
      );
      const m = resource(
        "aws:iam/userGroupMembership:UserGroupMembership",
        "m",
        { user: UNKNOWN, groups: [UNKNOWN] },
        { dependencies: [u.urn, g.urn] },
      );
      const findings = evaluateStack([u, g, gp, m], ctx);
      expect(summary(findings)).toEqual(["ai-invoker-attributable/mandatory"]);
      expect(findings[0]!.message).toContain('through its group aws:iam/group:Group "devs"');
    });

    it("gives an advisory, not a failure and not a pass, when the groups are unknown at preview", () => {
      const m = resource("aws:iam/userGroupMembership:UserGroupMembership", "m", {
        user: "ci",
        groups: UNKNOWN,
      });
      const findings = evaluateStack([user(), group, groupPolicy, m], ctx);
      expect(summary(findings)).toEqual(["ai-invoker-attributable/advisory"]);
      expect(findings[0]!.message).toContain(
        'group membership aws:iam/userGroupMembership:UserGroupMembership "m" is not known until the update',
      );
      expect(findings[0]!.message).toContain("will be required on the user then");
      const nativeUser = resource("aws-native:iam:User", "nu", {
        userName: "ci",
        groups: [UNKNOWN],
      });
      expect(summary(evaluateStack([nativeUser], ctx))).toEqual([
        "ai-invoker-attributable/advisory",
      ]);
      // A group policy not known yet: the same advisory, naming the group.
      const unknownPolicy = { ...groupPolicy, props: { group: "ai-devs", policy: UNKNOWN } };
      const later = evaluateStack([user(), group, unknownPolicy, membership], ctx);
      expect(summary(later)).toEqual(["ai-invoker-attributable/advisory"]);
      expect(later[0]!.message).toContain('through its group "ai-devs"');
    });

    it("ignores a group the user is not in, and a membership being deleted", () => {
      const other = resource("aws:iam/userGroupMembership:UserGroupMembership", "m", {
        user: "ci",
        groups: ["readers"],
      });
      expect(evaluateStack([user(), group, groupPolicy, other], ctx)).toEqual([]);
      const leaving = { ...membership, op: "delete" as const };
      expect(evaluateStack([user(), group, groupPolicy, leaving], ctx)).toEqual([]);
    });

    it("applies an outright deny in a group's policy to the user's own policies", () => {
      const own = resource("aws:iam/userPolicy:UserPolicy", "up", { user: "ci", policy: invoke });
      const deny = {
        ...groupPolicy,
        props: {
          group: "ai-devs",
          policy: doc({ Effect: "Deny", Action: "bedrock:*", Resource: "*" }),
        },
      };
      expect(evaluateStack([user(), own, group, deny, membership], ctx)).toEqual([]);
      expect(summary(evaluateStack([user(), own], ctx))).toEqual([
        "ai-invoker-attributable/mandatory",
      ]);
    });
  });

  describe("an outright Deny in one policy takes the actions back from the principal's others", () => {
    const denyAi = {
      Effect: "Deny",
      Action: ["bedrock:*", "sagemaker:InvokeEndpoint*", "bedrock-agentcore:*", "bedrock-mantle:*"],
      Resource: "*",
    };
    const admin = resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "admin", {
      role: "app-role",
      policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
    });

    it("an inline deny on a role with AdministratorAccess", () => {
      const r = role(undefined, { inlinePolicies: [{ name: "no-ai", policy: doc(denyAi) }] });
      expect(evaluateStack([r, admin], ctx)).toEqual([]);
    });

    it("a RolePolicy deny, and a deny in an attached customer policy", () => {
      const rolePolicy = resource("aws:iam/rolePolicy:RolePolicy", "no-ai", {
        role: "app-role",
        policy: doc(denyAi),
      });
      expect(evaluateStack([role(undefined), admin, rolePolicy], ctx)).toEqual([]);
      const customer = resource("aws:iam/policy:Policy", "no-ai", {
        policy: doc(denyAi),
        arn: "arn:aws:iam::1:policy/no-ai",
      });
      const attach = resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "att", {
        role: "app-role",
        policyArn: "arn:aws:iam::1:policy/no-ai",
      });
      expect(evaluateStack([role(undefined), admin, customer, attach], ctx)).toEqual([]);
    });

    it("a deny on a role with an inline grant in another document", () => {
      const rolePolicy = resource("aws:iam/rolePolicy:RolePolicy", "no-ai", {
        role: "app-role",
        policy: doc(denyAi),
      });
      const r = role(undefined, { inlinePolicies: [{ name: "bedrock", policy: invoke }] });
      expect(evaluateStack([r, rolePolicy], ctx)).toEqual([]);
    });

    it("keeps what the deny does not name, and names only the policies still granting", () => {
      const partial = resource("aws:iam/rolePolicy:RolePolicy", "no-bedrock", {
        role: "app-role",
        policy: doc({ ...denyAi, Action: "bedrock:*" }),
      });
      const r = role(undefined, { inlinePolicies: [{ name: "bedrock", policy: invoke }] });
      const findings = evaluateStack([r, partial, admin], ctx);
      // SageMaker, AgentCore and Mantle stay allowed; no Bedrock base-model advisory is left.
      expect(summary(findings)).toEqual(["ai-invoker-attributable/mandatory"]);
      expect(findings[0]!.message).toContain(
        "can invoke models (managed policy AdministratorAccess (",
      );
      expect(findings[0]!.message).not.toContain('inline policy "bedrock"');
    });

    it("leaves the grant when the deny is conditional or scoped to some resources", () => {
      const conditional = {
        ...denyAi,
        Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } },
      };
      const scoped = { ...denyAi, Resource: "arn:aws:bedrock:*::foundation-model/*" };
      for (const deny of [conditional, scoped]) {
        const r = role(undefined, { inlinePolicies: [{ name: "no-ai", policy: doc(deny) }] });
        expect(summary(mandatory(evaluateStack([r, admin], ctx)))).toEqual([
          "ai-invoker-attributable/mandatory",
        ]);
      }
    });
  });

  it("reads a NotAction list with an element unknown at preview as unknown, not as a grant", () => {
    const grant = analyzeDocument({
      Statement: [{ Effect: "Allow", NotAction: ["s3:*", UNKNOWN], Resource: "*" }],
    });
    expect(grant).toEqual({ kind: "unknown" });
  });
});

describe("ai-owner-from-registry (remediation)", () => {
  it("fills the owner from the registry into tags and tagsAll", () => {
    const r = resource(ENDPOINT, "ep", {
      tags: { workflow: "support-triage" },
      tagsAll: { workflow: "support-triage" },
    });
    expect(remediateOwnerFromRegistry(r, ctx)).toEqual({
      tags: OWNED,
      tagsAll: OWNED,
    });
  });

  it("appends to key/value arrays", () => {
    const r = resource("aws-native:bedrock:KnowledgeBase", "kb", {
      tags: [{ key: "workflow", value: "support-triage" }],
    });
    const tags = remediateOwnerFromRegistry(r, ctx)?.tags;
    // aws-native knowledge bases take a map; an array given by the program is extended as is
    expect(tags).toEqual([
      { key: "workflow", value: "support-triage" },
      { key: "owner", value: "dana@example.com" },
    ]);
  });

  it.each([
    ["no workflow tag", { tags: {} }],
    ["an unregistered workflow", { tags: { workflow: "nope" } }],
    ["the owner already set", { tags: OWNED }],
    ["unknown tags", { tags: UNKNOWN }],
  ])("does nothing with %s", (_case, props) => {
    expect(remediateOwnerFromRegistry(resource(ENDPOINT, "ep", props), ctx)).toBeUndefined();
  });
});

describe("policy table", () => {
  it("keeps the contract names and their enforcement", () => {
    // Names that exemptions may reference never change; a new policy may join them.
    expect(POLICY_ENFORCEMENT).toMatchObject({
      "ai-resource-tags": "mandatory",
      "ai-workflow-registered": "mandatory",
      "ai-workflow-review-date": "mandatory",
      "ai-model-allowed": "mandatory",
      "ai-invoker-attributable": "mandatory",
      "ai-owner-from-registry": "remediate",
    });
    expect(describePolicy("ai-owner-from-registry").enabledByDefault).toBe(false);
  });
});
