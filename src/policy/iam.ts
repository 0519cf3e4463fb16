/**
 * Reading IAM policy documents for model-invocation grants. AWS attributes Bedrock spend to the
 * tags of the IAM principal that calls the model, so who can invoke matters as much as what.
 */
import { iamActionMatch } from "./glob";
import { UNKNOWN } from "./types";

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
const MANTLE_PREFIX = "bedrock-mantle:";

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

export interface GrantAnalysis {
  /** The document allows at least one invocation action. */
  readonly invokes: boolean;
  /** A Bedrock invocation is allowed on `*` or on base `foundation-model/` ARNs. */
  readonly baseModels: boolean;
  /** A Bedrock invocation is allowed on an application inference profile. */
  readonly profiles: boolean;
  /** The document (or a part that decides the above) is not known until the update. */
  readonly unknown: boolean;
}

const NONE: GrantAnalysis = { invokes: false, baseModels: false, profiles: false, unknown: false };
const UNKNOWN_GRANT: GrantAnalysis = { ...NONE, unknown: true };

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The invocation actions an action pattern (or NotAction list) allows. */
function allowedInvokeActions(statement: Record<string, unknown>): string[] | typeof UNKNOWN {
  const actions = statement.Action ?? statement.action;
  const notActions = statement.NotAction ?? statement.notAction;
  if (actions === UNKNOWN || notActions === UNKNOWN) return UNKNOWN;
  const candidates = [...INVOKE_ACTIONS, `${MANTLE_PREFIX}*`];
  if (notActions !== undefined) {
    if (asList(notActions).includes(UNKNOWN)) return UNKNOWN;
    const excluded = asList(notActions).filter((a): a is string => typeof a === "string");
    return candidates.filter((action) => !excluded.some((p) => iamActionMatch(p, action)));
  }
  const patterns = asList(actions).filter((a): a is string => typeof a === "string");
  if (asList(actions).includes(UNKNOWN)) return UNKNOWN;
  return candidates.filter((action) =>
    patterns.some(
      (p) =>
        iamActionMatch(p, action) ||
        (action.startsWith(MANTLE_PREFIX) && p.toLowerCase().startsWith(MANTLE_PREFIX)),
    ),
  );
}

/**
 * The action patterns a document denies outright: `Deny` statements with an `Action` list, on
 * every resource (`"*"`) and without a `Condition`. Only these certainly take an `Allow` back;
 * a conditional or resource-scoped deny leaves the grant standing.
 */
function unconditionalDenies(statements: readonly unknown[]): string[] {
  const patterns: string[] = [];
  for (const raw of statements) {
    if (typeof raw !== "object" || raw === null) continue;
    const statement = raw as Record<string, unknown>;
    if ((statement.Effect ?? statement.effect) !== "Deny") continue;
    if (statement.Condition !== undefined || statement.conditions !== undefined) continue;
    if (statement.NotResource !== undefined || statement.notResources !== undefined) continue;
    if (!asList(statement.Resource ?? statement.resources).includes("*")) continue;
    for (const action of asList(statement.Action ?? statement.actions)) {
      if (typeof action === "string" && action !== UNKNOWN) patterns.push(action);
    }
  }
  return patterns;
}

/** A policy document (JSON text or object) -> what it allows. */
export function analyzeDocument(document: unknown): GrantAnalysis {
  if (document === UNKNOWN) return UNKNOWN_GRANT;
  let doc = document;
  if (typeof doc === "string") {
    try {
      doc = JSON.parse(doc) as unknown;
    } catch {
      return NONE; // not a policy document; the provider will reject it
    }
  }
  if (typeof doc !== "object" || doc === null) return NONE;
  const statements =
    (doc as Record<string, unknown>).Statement ?? (doc as Record<string, unknown>).statements;
  if (statements === UNKNOWN) return UNKNOWN_GRANT;
  const denied = unconditionalDenies(asList(statements));
  let result = NONE;
  for (const raw of asList(statements)) {
    if (raw === UNKNOWN) {
      result = { ...result, unknown: true };
      continue;
    }
    if (typeof raw !== "object" || raw === null) continue;
    const statement = raw as Record<string, unknown>;
    const effect = statement.Effect ?? statement.effect;
    if (effect === UNKNOWN) {
      result = { ...result, unknown: true };
      continue;
    }
    if (effect !== "Allow") continue;
    const allowedByStatement = allowedInvokeActions(statement);
    if (allowedByStatement === UNKNOWN) {
      result = { ...result, unknown: true };
      continue;
    }
    const allowed = allowedByStatement.filter(
      (action) => !denied.some((pattern) => iamActionMatch(pattern, action)),
    );
    if (allowed.length === 0) continue;
    const bedrock = allowed.some((a) => a.startsWith("bedrock:"));
    const resources = asList(statement.Resource ?? statement.resources);
    const notResource = statement.NotResource !== undefined;
    const base =
      bedrock &&
      (notResource ||
        resources.length === 0 ||
        resources.some(
          (r) =>
            typeof r === "string" &&
            (r === "*" || /:foundation-model\/|^arn:[^:]*:bedrock:[^:]*:[^:]*:\*$/.test(r)),
        ));
    const profile =
      bedrock &&
      resources.some((r) => typeof r === "string" && r.includes(":application-inference-profile/"));
    result = {
      invokes: true,
      baseModels: result.baseModels || base,
      profiles: result.profiles || profile,
      unknown: result.unknown || resources.includes(UNKNOWN),
    };
  }
  return result;
}

/** The AWS managed policy an ARN names, when it is one that allows invocation. */
export function invokingManagedPolicy(arn: string): string | undefined {
  const match = /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
  const name = match?.[1];
  return name !== undefined && (INVOKING_MANAGED_POLICIES as readonly string[]).includes(name)
    ? name
    : undefined;
}

/** Combine the analyses of every grant a principal has. */
export function combine(a: GrantAnalysis, b: GrantAnalysis): GrantAnalysis {
  return {
    invokes: a.invokes || b.invokes,
    baseModels: a.baseModels || b.baseModels,
    profiles: a.profiles || b.profiles,
    unknown: a.unknown || b.unknown,
  };
}

export const MANAGED_GRANT: GrantAnalysis = {
  invokes: true,
  baseModels: true,
  profiles: false,
  unknown: false,
};
export { NONE as NO_GRANT, UNKNOWN_GRANT };
