import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { catalogText, CATALOG_FILES, generateCatalog, tagShape } from "../../scripts/catalog";
import {
  aiResourceType,
  CATALOG_SOURCE,
  MODEL_INPUTS,
  taggableType,
  UNTAGGABLE_ATTRIBUTION,
} from "../../src/policy";

const generated = generateCatalog(join(__dirname, "..", "..", "node_modules"));

describe("resource catalog", () => {
  it.each(["taggable", "ai"] as const)(
    "the committed %s catalog matches the installed provider packages (run npm run catalog and review the diff)",
    (kind) => {
      expect(readFileSync(CATALOG_FILES[kind], "utf8")).toBe(catalogText(generated[kind]));
    },
  );

  it("records the provider versions it was generated from", () => {
    const manifest = JSON.parse(
      readFileSync(join(__dirname, "..", "..", "package.json"), "utf8"),
    ) as {
      devDependencies: Record<string, string>;
    };
    // The exact pins the repository installs (consumers bring @pulumi/aws as a peer; aws-native
    // only feeds the catalog generator).
    expect(CATALOG_SOURCE).toEqual({
      "@pulumi/aws": manifest.devDependencies["@pulumi/aws"],
      "@pulumi/aws-native": manifest.devDependencies["@pulumi/aws-native"],
    });
  });

  it.each([
    ["aws:bedrock/agentAgent:AgentAgent", "bedrock"],
    ["aws:bedrock/agentcoreAgentRuntime:AgentcoreAgentRuntime", "bedrock"],
    ["aws:bedrock/inferenceProfile:InferenceProfile", "bedrock"],
    ["aws:bedrock/provisionedModelThroughput:ProvisionedModelThroughput", "bedrock"],
    ["aws:bedrock/customModel:CustomModel", "bedrock"],
    ["aws:bedrock/guardrail:Guardrail", "bedrock"],
    ["aws:bedrock/agentKnowledgeBase:AgentKnowledgeBase", "bedrock"],
    ["aws-native:bedrockagentcore:Runtime", "bedrockagentcore"],
    ["aws:sagemaker/endpoint:Endpoint", "sagemaker"],
    ["aws:comprehend/entityRecognizer:EntityRecognizer", "comprehend"],
    ["aws:kendra/index:Index", "kendra"],
    ["aws:lex/v2modelsBot:V2modelsBot", "lex"],
    ["aws:rekognition/collection:Collection", "rekognition"],
    ["aws:transcribe/languageModel:LanguageModel", "transcribe"],
    ["aws:qbusiness/application:Application", "qbusiness"],
    ["aws:opensearch/serverlessCollection:ServerlessCollection", "opensearch"],
    ["aws-native:s3vectors:VectorBucket", "s3vectors"],
    ["aws-native:bedrockmantle:Project", "bedrockmantle"],
  ])("covers %s as a taggable AI resource", (type, service) => {
    expect(aiResourceType(type)).toMatchObject({ service, taggable: true });
  });

  it("records where tags live: maps with tagsAll, aws-native arrays and maps, Lex botTags", () => {
    expect(taggableType("aws:sagemaker/endpoint:Endpoint")).toEqual({
      property: "tags",
      shape: "map",
      tagsAll: true,
    });
    expect(taggableType("aws-native:sagemaker:Endpoint")).toEqual({
      property: "tags",
      shape: "key-value-array",
      tagsAll: false,
    });
    expect(taggableType("aws-native:bedrock:Agent")).toEqual({
      property: "tags",
      shape: "map",
      tagsAll: false,
    });
    expect(taggableType("aws-native:lex:Bot")).toEqual({
      property: "botTags",
      shape: "key-value-array",
      tagsAll: false,
    });
    expect(taggableType("aws:s3/bucket:Bucket")?.property).toBe("tags");
    expect(taggableType("aws:iam/rolePolicy:RolePolicy")).toBeUndefined();
    expect(taggableType("aws:backup/selection:Selection")).toBeUndefined();
  });

  it("marks batch inference jobs untaggable, with attribution advice", () => {
    expect(aiResourceType("aws:bedrockmodel/invocationJob:InvocationJob")).toMatchObject({
      taggable: false,
    });
  });

  it("hand-written entries name types that exist in the installed packages", () => {
    for (const type of [...Object.keys(MODEL_INPUTS), ...Object.keys(UNTAGGABLE_ATTRIBUTION)]) {
      expect(generated.ai.types[type], type).toBeDefined();
    }
    for (const type of Object.keys(UNTAGGABLE_ATTRIBUTION)) {
      expect(generated.ai.types[type]?.tags, type).toBeUndefined();
    }
  });

  it.each([
    ["pulumi.Input<{ [key: string]: pulumi.Input<string>; } | undefined>", "map"],
    ["pulumi.Input<pulumi.Input<inputs.TagArgs>[] | undefined>", "key-value-array"],
    ["any | undefined", "json"],
    ["pulumi.Input<string | undefined>", undefined],
  ])("reads the tag shape of %s", (text, shape) => {
    expect(tagShape(text)).toBe(shape);
  });
});
