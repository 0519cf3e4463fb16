/**
 * The resources the policy benchmarks feed the pack and the offline check: a deterministic mix of
 * 50% AI resources, 20% IAM (a role that may invoke models, and its role policy) and 30% ordinary
 * infrastructure, of which 20% violate a mandatory per-resource policy (an AI resource without its
 * owner tag, an inference profile on a model its workflow does not allow). Tagged with the example
 * registry's workflows (`workflows.yaml`).
 */

export interface BenchResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly props: Record<string, unknown>;
  /** Whether the pack must report a mandatory violation on it. */
  readonly violating: boolean;
}

const PROJECT = "urn:pulumi:prod::ai-platform";
const OWNED = { workflow: "support-triage", owner: "dana@example.com" };
const UNOWNED = { workflow: "support-triage" }; // the owner tag is missing
const HAIKU =
  "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0";
/** Not in the models of support-triage. */
const OPUS = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-opus-4-1-20250805-v1:0";
const INVOKE = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["bedrock:InvokeModel"], Resource: HAIKU }],
});
const ASSUME = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
  ],
});

type Make = (name: string) => { type: string; props: Record<string, unknown> };

/** One cycle of ten: five AI, two IAM, three ordinary; the 4th and 7th violate (20%). */
const CYCLE: readonly { make: Make; violating: boolean }[] = [
  {
    violating: false,
    make: (name) => ({
      type: "aws:bedrock/inferenceProfile:InferenceProfile",
      props: { name, modelSource: { copyFrom: HAIKU }, tags: OWNED },
    }),
  },
  {
    violating: false,
    make: (name) => ({
      type: "aws:sagemaker/endpoint:Endpoint",
      props: { name, endpointConfigName: `${name}-config`, tags: OWNED },
    }),
  },
  {
    violating: false,
    make: (name) => ({
      type: "aws:comprehend/documentClassifier:DocumentClassifier",
      props: { name, languageCode: "en", mode: "MULTI_CLASS", tags: OWNED },
    }),
  },
  {
    violating: true,
    make: (name) => ({
      type: "aws:bedrock/guardrail:Guardrail",
      props: { name, blockedInputMessaging: "no", blockedOutputsMessaging: "no", tags: UNOWNED },
    }),
  },
  {
    violating: false,
    make: (name) => ({
      type: "aws:iam/role:Role",
      props: {
        name,
        assumeRolePolicy: ASSUME,
        inlinePolicies: [{ name: "invoke", policy: INVOKE }],
        tags: OWNED,
      },
    }),
  },
  {
    violating: false,
    make: (name) => ({
      type: "aws:iam/rolePolicy:RolePolicy",
      // The role of the previous resource in the cycle (named r<index - 1>).
      props: {
        name,
        role: `r${String(Number(name.slice(1)) - 1).padStart(5, "0")}`,
        policy: INVOKE,
      },
    }),
  },
  {
    violating: true,
    make: (name) => ({
      type: "aws:bedrock/inferenceProfile:InferenceProfile",
      props: { name, modelSource: { copyFrom: OPUS }, tags: OWNED },
    }),
  },
  {
    violating: false,
    make: (name) => ({
      type: "aws:dynamodb/table:Table",
      props: {
        name,
        billingMode: "PAY_PER_REQUEST",
        hashKey: "id",
        attributes: [{ name: "id", type: "S" }],
      },
    }),
  },
  {
    violating: false,
    make: (name) => ({
      type: "aws:lambda/function:Function",
      props: { name, runtime: "nodejs24.x", handler: "index.handler", memorySize: 512 },
    }),
  },
  {
    violating: false,
    make: (name) => ({
      type: "aws:s3/bucket:Bucket",
      props: { bucket: name, forceDestroy: false },
    }),
  },
];

export function benchResources(count: number): BenchResource[] {
  return Array.from({ length: count }, (_, i) => {
    const { make, violating } = CYCLE[i % CYCLE.length]!;
    const name = `r${String(i).padStart(5, "0")}`;
    const { type, props } = make(name);
    return { type, name, urn: `${PROJECT}::${type}::${name}`, props, violating };
  });
}
