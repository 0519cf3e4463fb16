/**
 * The resource catalog: which Pulumi types are AI resources, whether and where they take tags,
 * which of their inputs name a model or an instance type, and how spend of the untaggable ones
 * can be attributed.
 *
 * The facts per type (taggable, tag property and shape) are generated from the installed
 * provider packages by `npm run catalog` into `catalog/*.json`; what they mean for AI spend
 * (model inputs, attribution advice, conditions) is reviewed by hand below.
 */
import aiTypes from "./catalog/ai-types.json";
import taggableTypes from "./catalog/taggable-types.json";
import { lookupTable } from "../util/records";

/** How a resource's tags are written in its inputs. */
export type TagShape =
  /** `{ key: value }` (every `aws:` type, and some `aws-native:` ones). */
  | "map"
  /** `[{ key, value }]` (most `aws-native:` types). */
  | "key-value-array"
  /** Free-form JSON (`any` in the SDK): either of the above, decided at run time. */
  | "json";

export interface TagLocation {
  /** The input property that holds the resource's own tags (`tags`, or e.g. Lex's `botTags`). */
  readonly property: string;
  readonly shape: TagShape;
  /** The provider merges `defaultTags` into a `tagsAll` output (terraform-bridged `aws:` types). */
  readonly tagsAll: boolean;
}

/** An input that names what a resource runs on, checked against the workflow's allow-lists. */
export interface ModelInput {
  /** Dotted path; `[]` walks every element of an array (`productionVariants[].instanceType`). */
  readonly path: string;
  /** `model`: a Bedrock model id or ARN; `instance-type`: a SageMaker instance type. */
  readonly kind: "model" | "instance-type";
}

interface CatalogCommon {
  readonly type: string;
  /** The service module, e.g. `bedrock`, `sagemaker`. */
  readonly service: string;
  readonly modelInputs: readonly ModelInput[];
}

/** A resource type counts only when this input has this value. */
export interface TypeCondition {
  readonly property: string;
  readonly equals: string;
}

export type CatalogEntry =
  | (CatalogCommon & { readonly taggable: true; readonly tags: TagLocation })
  | (CatalogCommon & {
      readonly taggable: false;
      /**
       * How the spend of an untaggable type can be attributed instead; absent for
       * configuration sub-resources whose spend (if any) is billed through their parent.
       */
      readonly attribution?: string;
    });

/** Inputs that name a model or instance type, per type (hand-reviewed against the SDK). */
export const MODEL_INPUTS: Readonly<Record<string, readonly ModelInput[]>> = lookupTable({
  "aws:bedrock/inferenceProfile:InferenceProfile": [
    { path: "modelSource.copyFrom", kind: "model" },
  ],
  "aws-native:bedrock:ApplicationInferenceProfile": [
    { path: "modelSource.copyFrom", kind: "model" },
  ],
  "aws:bedrock/provisionedModelThroughput:ProvisionedModelThroughput": [
    { path: "modelArn", kind: "model" },
  ],
  "aws:bedrock/customModel:CustomModel": [{ path: "baseModelIdentifier", kind: "model" }],
  "aws:bedrock/agentAgent:AgentAgent": [{ path: "foundationModel", kind: "model" }],
  "aws-native:bedrock:Agent": [{ path: "foundationModel", kind: "model" }],
  "aws:bedrock/agentKnowledgeBase:AgentKnowledgeBase": [
    {
      path: "knowledgeBaseConfiguration.vectorKnowledgeBaseConfiguration.embeddingModelArn",
      kind: "model",
    },
  ],
  "aws-native:bedrock:KnowledgeBase": [
    {
      path: "knowledgeBaseConfiguration.vectorKnowledgeBaseConfiguration.embeddingModelArn",
      kind: "model",
    },
  ],
  "aws:bedrockmodel/invocationJob:InvocationJob": [{ path: "modelId", kind: "model" }],
  "aws:sagemaker/endpointConfiguration:EndpointConfiguration": [
    { path: "productionVariants[].instanceType", kind: "instance-type" },
    { path: "shadowProductionVariants[].instanceType", kind: "instance-type" },
  ],
  "aws-native:sagemaker:EndpointConfig": [
    { path: "productionVariants[].instanceType", kind: "instance-type" },
    { path: "shadowProductionVariants[].instanceType", kind: "instance-type" },
  ],
  "aws:sagemaker/notebookInstance:NotebookInstance": [
    { path: "instanceType", kind: "instance-type" },
  ],
  "aws-native:sagemaker:NotebookInstance": [{ path: "instanceType", kind: "instance-type" }],
});

/**
 * Untaggable types that incur spend of their own, and how to attribute it. Other untaggable
 * AI types are configuration of a taggable parent (a Lex intent, an agent action group) and
 * need no advice.
 */
export const UNTAGGABLE_ATTRIBUTION: Readonly<Record<string, string>> = lookupTable({
  "aws:bedrockmodel/invocationJob:InvocationJob":
    "Bedrock batch inference jobs cannot be tagged: set modelId to a tagged application inference profile (aws:bedrock/inferenceProfile:InferenceProfile) so the job's spend carries the profile's tags, and tag the IAM role in roleArn with the workflow and owner tags",
  "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration":
    "model invocation logging cannot be tagged: its spend is the CloudWatch log group and S3 bucket it writes to, so tag those with the workflow and owner tags",
  "aws:bedrockfoundation/modelAgreement:ModelAgreement":
    "a Marketplace model agreement cannot be tagged: usage of the model is billed to the IAM principal that invokes it, so tag that role or user (see ai-invoker-attributable)",
  "aws:lex/bot:Bot":
    "Lex V1 bots cannot be tagged through this provider: move to Lex V2 (aws:lex/v2modelsBot:V2modelsBot), which takes tags, or attribute the bot by its account",
  "aws:kendra/experience:Experience":
    "a Kendra experience cannot be tagged: its spend is billed with its index, so tag the index (aws:kendra/index:Index)",
});

/**
 * Conditions under which a catalog type is an AI resource at all (an OpenSearch Serverless
 * collection is one only when it is a vector collection). Data, not a gate: the policies that
 * apply to the AI catalog (`applicability.ts`) apply them.
 */
export const AI_TYPE_CONDITIONS: Readonly<Record<string, TypeCondition>> = lookupTable({
  "aws:opensearch/serverlessCollection:ServerlessCollection": {
    property: "type",
    equals: "VECTORSEARCH",
  },
  "aws-native:opensearchserverless:Collection": { property: "type", equals: "VECTORSEARCH" },
});

interface GeneratedAiType {
  readonly service: string;
  readonly tags?: TagLocation;
}

// Looked up by types read from files: `constructor` or `__proto__` must be no type at all.
const AI_TYPES = lookupTable(aiTypes.types as Readonly<Record<string, GeneratedAiType>>);
const TAGGABLE_TYPES = lookupTable(taggableTypes.types as Readonly<Record<string, TagLocation>>);

/** Provider package versions the committed catalog was generated from. */
export const CATALOG_SOURCE: Readonly<Record<string, string>> = aiTypes.generatedFrom;

const entries = new Map<string, CatalogEntry>();

function toEntry(type: string, generated: GeneratedAiType): CatalogEntry {
  const common: CatalogCommon = {
    type,
    service: generated.service,
    modelInputs: MODEL_INPUTS[type] ?? [],
  };
  if (generated.tags !== undefined) return { ...common, taggable: true, tags: generated.tags };
  const attribution = UNTAGGABLE_ATTRIBUTION[type];
  return attribution === undefined
    ? { ...common, taggable: false }
    : { ...common, taggable: false, attribution };
}

/**
 * The catalog entry of an AI resource type, or undefined for any other type. `extraAiTypes`
 * (pack configuration) adds types the catalog does not list; they are treated as taggable AI
 * resources with their tags where the provider keeps them (`tags` when unknown to us).
 *
 * @example aiResourceType("aws:sagemaker/endpoint:Endpoint")?.taggable // true
 */
export function aiResourceType(
  type: string,
  extraAiTypes: readonly string[] = [],
): CatalogEntry | undefined {
  const cached = entries.get(type);
  if (cached !== undefined) return cached;
  const generated = AI_TYPES[type];
  if (generated !== undefined) {
    const entry = toEntry(type, generated);
    entries.set(type, entry);
    return entry;
  }
  if (extraAiTypes.includes(type)) {
    return toEntry(type, {
      service: serviceOf(type),
      tags: taggableType(type) ?? { property: "tags", shape: "map", tagsAll: false },
    });
  }
  return undefined;
}

/**
 * The entry of any `aws:` or `aws-native:` type: its AI catalog entry when it has one, else
 * taggable where the provider keeps its tags, or untaggable. For policies that choose their own
 * types outside the AI catalog.
 */
export function resourceTypeEntry(type: string): CatalogEntry {
  const ai = aiResourceType(type);
  if (ai !== undefined) return ai;
  const tags = taggableType(type);
  const generated: GeneratedAiType =
    tags === undefined ? { service: serviceOf(type) } : { service: serviceOf(type), tags };
  return toEntry(type, generated);
}

/**
 * Where a taggable `aws:` or `aws-native:` type keeps its tags, or undefined when it takes
 * none. Covers every resource type of both providers (for the auto-tagging helper).
 *
 * @example taggableType("aws-native:lex:Bot") // { property: "botTags", shape: "key-value-array", tagsAll: false }
 */
export function taggableType(type: string): TagLocation | undefined {
  return TAGGABLE_TYPES[type];
}

/** Every type the catalog knows: the AI types and every taggable `aws:` / `aws-native:` type. */
export function catalogTypes(): string[] {
  return [...new Set([...Object.keys(AI_TYPES), ...Object.keys(TAGGABLE_TYPES)])].sort();
}

/** Every AI type in the catalog, sorted. */
export function aiResourceTypes(): string[] {
  return Object.keys(AI_TYPES);
}

/** `aws:bedrock/agentAgent:AgentAgent` -> `bedrock`; `aws-native:lex:Bot` -> `lex`. */
export function serviceOf(type: string): string {
  const middle = type.split(":")[1] ?? "";
  return middle.split("/")[0] ?? middle;
}

/** `aws:...` -> `aws`, `aws-native:...` -> `aws-native`. */
export function packageOf(type: string): string {
  return type.split(":")[0] ?? "";
}
