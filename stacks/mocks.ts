/**
 * Pulumi runtime mocks that stand in for the engine and the AWS provider: every registration is
 * recorded with its real inputs, and each resource gets the outputs (ARN, name, URL) AWS would
 * give it, in a fixed fake account, so policy documents built from ARNs resolve offline.
 */
import type * as pulumi from "@pulumi/pulumi";

export const MOCK_ACCOUNT = "123456789012";
export const MOCK_REGION = "us-east-1";

/** One resource the program registered, with the inputs it passed. */
export interface RegisteredResource {
  readonly urn: string;
  /** Pulumi type token, e.g. `aws:budgets/budget:Budget`. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** False for component resources. */
  readonly custom: boolean;
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Provider reference, when the program named one. */
  readonly provider?: string;
}

type Recorded = Omit<RegisteredResource, "urn">;

/** Outputs a deployed resource of this type would have. */
export function mockOutputs(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): { id: string; state: Record<string, unknown> } {
  const physical = typeof inputs.name === "string" ? inputs.name : name;
  const region = typeof inputs.region === "string" ? inputs.region : MOCK_REGION;
  const at = (service: string, resource: string, regional = true) =>
    `arn:aws:${service}:${regional ? region : ""}:${MOCK_ACCOUNT}:${resource}`;
  const state: Record<string, unknown> = { ...inputs, name: physical };
  switch (type) {
    case "aws:s3/bucket:Bucket": {
      const bucket = typeof inputs.bucket === "string" ? inputs.bucket : name;
      return { id: bucket, state: { ...inputs, bucket, arn: `arn:aws:s3:::${bucket}`, region } };
    }
    case "aws:sns/topic:Topic":
      state.arn = at("sns", physical);
      return { id: state.arn as string, state };
    case "aws:sqs/queue:Queue":
      state.arn = at("sqs", physical);
      state.url = `https://sqs.${region}.amazonaws.com/${MOCK_ACCOUNT}/${physical}`;
      return { id: state.url as string, state };
    case "aws:cloudwatch/logGroup:LogGroup":
      state.arn = at("logs", `log-group:${physical}`);
      break;
    case "aws:iam/role:Role":
      state.arn = at("iam", `role/${physical}`, false);
      break;
    case "aws:lambda/function:Function":
      state.arn = at("lambda", `function:${physical}`);
      break;
    case "aws:costexplorer/anomalyMonitor:AnomalyMonitor":
      state.arn = `arn:aws:ce::${MOCK_ACCOUNT}:anomalymonitor/${physical}`;
      break;
    case "aws:bedrock/inferenceProfile:InferenceProfile":
      state.arn = at("bedrock", `application-inference-profile/${physical}`);
      break;
    default:
      state.arn = at(type.split(":")[1]?.split("/")[0] ?? "unknown", physical);
  }
  return { id: physical, state };
}

/** Mocks that record every registration into `into`, and fail on any provider function call. */
export function recordingMocks(into: Recorded[]): pulumi.runtime.Mocks {
  return {
    newResource(args) {
      into.push({
        type: args.type,
        name: args.name,
        custom: args.custom ?? true,
        inputs: args.inputs as Record<string, unknown>,
        ...(args.provider ? { provider: args.provider } : {}),
      });
      return mockOutputs(args.type, args.name, args.inputs as Record<string, unknown>);
    },
    call(args) {
      // The program derives account and partition from ARNs: it makes no provider calls.
      throw new Error(`unexpected provider function call ${args.token}`);
    },
  };
}
