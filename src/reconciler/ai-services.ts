/**
 * Which Cost Explorer `SERVICE` values are AI spend.
 *
 * Tagged spend belongs to its workflow whatever the service (a workflow's Lambda and S3 are part
 * of its cost). This table matters for the spend nobody tagged: untagged spend on an AI service
 * is "unowned AI spend" and goes to the unowned-spend contact; untagged spend on EC2 is not ours
 * to chase.
 *
 * Matching is exact and case-sensitive, as Cost Explorer writes the values, plus one rule: AWS
 * Marketplace bills each third-party Bedrock model as its own service, named
 * "<model> (Amazon Bedrock Edition)", and new models appear every month, so the suffix is
 * matched instead of a list (`SERVICE = "Amazon Bedrock"` alone misses all of them).
 *
 * "AI-adjacent" services (OpenSearch, which mixes Bedrock knowledge-base vector search with
 * ordinary domains; QuickSight; DevOps Guru...) are NOT counted as AI: separating the AI part
 * needs USAGE_TYPE, which the one query cannot also group by. They are classified so a report
 * can name them.
 */

export const AI_SERVICE_CATEGORIES = [
  "bedrock-first-party",
  "bedrock-marketplace-model",
  "sagemaker",
  "other-ai",
] as const;
export type AiServiceCategory = (typeof AI_SERVICE_CATEGORIES)[number];

/**
 * How sure we are of the exact string: "seen" in real Cost Explorer output or CUR
 * `product_name`, or "inferred" from product codes and price lists (check those against
 * `aws ce get-dimension-values --dimension SERVICE` on a real account).
 */
export type Confidence = "seen" | "inferred";

export type ServiceClass =
  | {
      readonly kind: "ai";
      readonly category: AiServiceCategory;
      /** Why: the service is listed, or its name ends in "(Amazon Bedrock Edition)". */
      readonly basis: "listed" | "bedrock-edition-suffix";
      readonly confidence: Confidence;
    }
  | { readonly kind: "ai-adjacent"; readonly confidence: Confidence; readonly reason: string }
  | { readonly kind: "not-ai" };

/** AWS-billed AI services, by exact Cost Explorer SERVICE value. */
export const AI_SERVICES: Readonly<Record<string, readonly [AiServiceCategory, Confidence]>> = {
  "Amazon Bedrock": ["bedrock-first-party", "seen"],
  // Carries Claude 4.x usage types (USE1-Claude4.6Opus-input-tokens-...) since 2025.
  "Amazon Bedrock Service": ["bedrock-first-party", "seen"],
  "Amazon Bedrock AgentCore": ["bedrock-first-party", "seen"],
  "Amazon Bedrock Foundation Models": ["bedrock-first-party", "inferred"],
  "Amazon SageMaker": ["sagemaker", "seen"],
  "Amazon Augmented AI": ["sagemaker", "inferred"],
  "Amazon Personalize": ["other-ai", "seen"],
  "Amazon Comprehend": ["other-ai", "inferred"],
  "Amazon Comprehend Medical": ["other-ai", "inferred"],
  "Amazon Kendra": ["other-ai", "inferred"],
  "Amazon Lex": ["other-ai", "inferred"],
  "Amazon Polly": ["other-ai", "inferred"],
  "Amazon Rekognition": ["other-ai", "inferred"],
  "Amazon Textract": ["other-ai", "inferred"],
  "Amazon Transcribe": ["other-ai", "inferred"],
  "Amazon Translate": ["other-ai", "inferred"],
  "Amazon Forecast": ["other-ai", "inferred"],
  "Amazon Fraud Detector": ["other-ai", "inferred"],
  "Amazon Q": ["other-ai", "inferred"],
  "Amazon CodeWhisperer": ["other-ai", "inferred"],
  Kiro: ["other-ai", "inferred"],
  "Amazon Nova Act": ["other-ai", "inferred"],
  "Amazon Machine Learning": ["other-ai", "inferred"],
  "Amazon Elastic Inference": ["other-ai", "inferred"],
  "Amazon Lookout for Vision": ["other-ai", "inferred"],
  "Amazon Lookout for Equipment": ["other-ai", "inferred"],
  "Amazon Lookout for Metrics": ["other-ai", "inferred"],
  "Amazon Monitron": ["other-ai", "inferred"],
  "AWS Panorama": ["other-ai", "inferred"],
};

/** Services with some AI spend inside that the one query cannot separate: named, not counted. */
export const AI_ADJACENT_SERVICES: Readonly<Record<string, readonly [Confidence, string]>> = {
  "Amazon OpenSearch Service": [
    "seen",
    "Serverless vector search for Bedrock knowledge bases (…-IndexingOCU, …-SearchOCU) is mixed with ordinary domains",
  ],
  "Amazon DevOps Guru": ["seen", "ML-based operations insights, not model usage"],
  "Amazon CodeGuru": ["inferred", "ML-based code review, not model usage"],
  "Amazon HealthLake": ["inferred", "a health data store with optional NLP"],
  "AWS DeepRacer": ["inferred", "a training environment"],
  "AWS Transform": ["inferred", "an agent-driven migration service"],
  "AWS DevOps Agent": ["inferred", "an operations agent billed as a product"],
  "AWS Security Agent": ["inferred", "a security agent billed as a product"],
  "Amazon Connect Wisdom": ["inferred", "part of a contact-centre product"],
  "Amazon QuickSight": ["inferred", "business intelligence with optional generative features"],
  "Amazon Quick": ["inferred", "business intelligence with optional generative features"],
};

/** The ending AWS Marketplace gives each third-party Bedrock model's service name. */
export const BEDROCK_EDITION_SUFFIX = " (Amazon Bedrock Edition)";

/** Marketplace third-party Bedrock models: "Claude 3 Haiku (Amazon Bedrock Edition)". */
const BEDROCK_EDITION = /\s\(Amazon Bedrock Edition\)$/i;

/**
 * Classifies one SERVICE value.
 *
 * @example
 * classifyService("Claude Sonnet 4.5 (Amazon Bedrock Edition)")
 * // { kind: "ai", category: "bedrock-marketplace-model", basis: "bedrock-edition-suffix", confidence: "seen" }
 */
export function classifyService(service: string): ServiceClass {
  const listed = AI_SERVICES[service];
  if (listed !== undefined && Object.hasOwn(AI_SERVICES, service)) {
    return { kind: "ai", category: listed[0], basis: "listed", confidence: listed[1] };
  }
  if (BEDROCK_EDITION.test(service)) {
    return {
      kind: "ai",
      category: "bedrock-marketplace-model",
      basis: "bedrock-edition-suffix",
      confidence: "seen",
    };
  }
  const adjacent = AI_ADJACENT_SERVICES[service];
  if (adjacent !== undefined && Object.hasOwn(AI_ADJACENT_SERVICES, service)) {
    return { kind: "ai-adjacent", confidence: adjacent[0], reason: adjacent[1] };
  }
  return { kind: "not-ai" };
}

/**
 * The model a Marketplace Bedrock SERVICE value names ("Claude 3 Haiku (Amazon Bedrock
 * Edition)" -> "Claude 3 Haiku"), or undefined for any other service: with Cost Explorer, the
 * only per-model spend there is.
 */
export function marketplaceModelName(service: string): string | undefined {
  if (!BEDROCK_EDITION.test(service)) return undefined;
  return service.replace(BEDROCK_EDITION, "").trim();
}

// A run sees a few dozen distinct services over a million rows: remember the answers. Bounded,
// because SERVICE values are data, and data can surprise.
const cache = new Map<string, boolean>();
const CACHE_LIMIT = 10_000;

/** True when spend on `service` counts as AI spend (see `classifyService` for why). */
export function isAiService(service: string): boolean {
  let answer = cache.get(service);
  if (answer === undefined) {
    answer = classifyService(service).kind === "ai";
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(service, answer);
  }
  return answer;
}

/** One phrase saying why a service is or is not AI spend, for reports and logs. */
export function describeService(service: string): string {
  const found = classifyService(service);
  switch (found.kind) {
    case "ai":
      return found.basis === "listed"
        ? `AI spend (${found.category}${found.confidence === "inferred" ? ", name inferred" : ""})`
        : "AI spend (a third-party Bedrock model billed through AWS Marketplace)";
    case "ai-adjacent":
      return `not counted as AI spend: ${found.reason}`;
    case "not-ai":
      return "not AI spend";
  }
}
