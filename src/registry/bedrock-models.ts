/**
 * Bedrock model ids this version knows, for one purpose: a `models` glob in the registry that
 * matches none of them is probably misspelt (`anthropic.claud-*`), and `validate` says so. The
 * policy pack never uses this list to allow or refuse anything (it compares the resource's model
 * with the registry's globs), so a model newer than the list only earns a warning.
 *
 * The package has no catalog of Bedrock model ids (the Pulumi schema does not enumerate them),
 * so this list is written by hand from the Bedrock model catalog: the base model ids of the
 * providers, one or more versions each. Add ids here as Bedrock adds models.
 */
export const KNOWN_BEDROCK_MODEL_IDS: readonly string[] = [
  "amazon.nova-micro-v1:0",
  "amazon.nova-lite-v1:0",
  "amazon.nova-pro-v1:0",
  "amazon.nova-premier-v1:0",
  "amazon.nova-canvas-v1:0",
  "amazon.nova-reel-v1:1",
  "amazon.nova-sonic-v1:0",
  "amazon.titan-text-express-v1",
  "amazon.titan-text-lite-v1",
  "amazon.titan-embed-text-v2:0",
  "amazon.titan-embed-image-v1",
  "amazon.titan-image-generator-v2:0",
  "amazon.rerank-v1:0",
  "anthropic.claude-3-haiku-20240307-v1:0",
  "anthropic.claude-3-5-haiku-20241022-v1:0",
  "anthropic.claude-3-5-sonnet-20241022-v2:0",
  "anthropic.claude-3-7-sonnet-20250219-v1:0",
  "anthropic.claude-sonnet-4-20250514-v1:0",
  "anthropic.claude-sonnet-4-5-20250929-v1:0",
  "anthropic.claude-haiku-4-5-20251001-v1:0",
  "anthropic.claude-opus-4-20250514-v1:0",
  "anthropic.claude-opus-4-1-20250805-v1:0",
  "cohere.command-r-v1:0",
  "cohere.command-r-plus-v1:0",
  "cohere.embed-english-v3",
  "cohere.embed-multilingual-v3",
  "cohere.rerank-v3-5:0",
  "deepseek.r1-v1:0",
  "meta.llama3-8b-instruct-v1:0",
  "meta.llama3-70b-instruct-v1:0",
  "meta.llama3-1-8b-instruct-v1:0",
  "meta.llama3-1-70b-instruct-v1:0",
  "meta.llama3-1-405b-instruct-v1:0",
  "meta.llama3-2-11b-instruct-v1:0",
  "meta.llama3-2-90b-instruct-v1:0",
  "meta.llama3-3-70b-instruct-v1:0",
  "meta.llama4-maverick-17b-instruct-v1:0",
  "meta.llama4-scout-17b-instruct-v1:0",
  "mistral.mistral-7b-instruct-v0:2",
  "mistral.mixtral-8x7b-instruct-v0:1",
  "mistral.mistral-large-2402-v1:0",
  "mistral.mistral-large-2407-v1:0",
  "mistral.pixtral-large-2502-v1:0",
  "ai21.jamba-1-5-large-v1:0",
  "ai21.jamba-1-5-mini-v1:0",
  "openai.gpt-oss-20b-1:0",
  "openai.gpt-oss-120b-1:0",
  "qwen.qwen3-32b-v1:0",
  "stability.sd3-5-large-v1:0",
  "writer.palmyra-x5-v1:0",
];

/**
 * Geographic prefixes of system inference profiles (`us.anthropic...`): the model id of a
 * cross-region profile is the base id behind one of these.
 */
export const BEDROCK_GEO_PREFIXES: readonly string[] = [
  "us",
  "eu",
  "apac",
  "global",
  "us-gov",
  "jp",
  "au",
  "ca",
];
