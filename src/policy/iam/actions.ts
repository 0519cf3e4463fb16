/**
 * The IAM actions and AWS managed policies that run (and bill) a model. AWS attributes Bedrock
 * spend to the tags of the IAM principal that calls the model, so these decide who must be tagged.
 */

/** Actions that run (and bill) a model, an agent, an endpoint or an agent runtime. */
export const INVOKE_ACTIONS = [
  "bedrock:InvokeModel",
  "bedrock:InvokeModelWithResponseStream",
  "bedrock:InvokeAgent",
  "bedrock:InvokeInlineAgent",
  "bedrock:InvokeFlow",
  "bedrock:RetrieveAndGenerate",
  "sagemaker:InvokeEndpoint",
  "sagemaker:InvokeEndpointAsync",
  "sagemaker:InvokeEndpointWithResponseStream",
  "bedrock-agentcore:InvokeAgentRuntime",
] as const;

/** The whole `bedrock-mantle:` namespace serves models, so any of its actions is a grant. */
export const MANTLE_PREFIX = "bedrock-mantle:";

/**
 * AWS managed policies that allow invocation (on every resource), by name. Matched on the
 * policy ARN `arn:aws:iam::aws:policy/<path><name>`.
 */
export const INVOKING_MANAGED_POLICIES = [
  "AmazonBedrockFullAccess",
  // Allows bedrock:InvokeModel and InvokeModelWithResponseStream on "*".
  "AmazonBedrockLimitedAccess",
  "AmazonSageMakerFullAccess",
  "AdministratorAccess",
  "PowerUserAccess",
] as const;

/** Every invocation action, the Mantle namespace as one. */
export const CANDIDATE_ACTIONS: readonly string[] = [...INVOKE_ACTIONS, `${MANTLE_PREFIX}*`];

/** The AWS managed policy an ARN names, when it is one that allows invocation. */
export function invokingManagedPolicy(arn: string): string | undefined {
  const match = /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
  const name = match?.[1];
  return name !== undefined && (INVOKING_MANAGED_POLICIES as readonly string[]).includes(name)
    ? name
    : undefined;
}
