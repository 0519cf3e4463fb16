import { readFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import {
  AI_ADJACENT_SERVICES,
  AI_SERVICES,
  classifyService,
  describeService,
  isAiService,
} from "../../src/reconciler";

describe("isAiService", () => {
  it.each([
    "Amazon Bedrock",
    "Amazon Bedrock Service",
    "Amazon Bedrock AgentCore",
    "Amazon SageMaker",
    "Amazon Textract",
    "Amazon Personalize",
    // Third-party models billed through AWS Marketplace, each as its own service.
    "Claude 3 Haiku (Amazon Bedrock Edition)",
    "Claude Sonnet 4.5 (Amazon Bedrock Edition)",
    "Cohere Rerank v3.5 (Amazon Bedrock Edition)",
    "Jurassic-2 Ultra (Amazon Bedrock Edition)",
    // A model released after this list was written: the suffix rule still catches it.
    "Some Future Model 9 (Amazon Bedrock Edition)",
    "Lower Case Model (amazon bedrock edition)",
  ])("%s is AI spend", (service) => {
    expect(isAiService(service)).toBe(true);
  });

  it.each([
    "Amazon Elastic Compute Cloud - Compute",
    "AWS Lambda",
    "Amazon Simple Storage Service",
    // AI-adjacent: mixed with ordinary usage that one query cannot separate.
    "Amazon OpenSearch Service",
    "Amazon QuickSight",
    // Matching is exact: Cost Explorer writes these values one way.
    "amazon bedrock",
    "Amazon Bedrock ",
    "Amazon Bedrock Edition",
    "(Amazon Bedrock Edition)",
    "Claude (Amazon Bedrock Edition) extra",
    "",
    // Object prototype names are not entries of the table.
    "constructor",
    "toString",
  ])("%j is not AI spend", (service) => {
    expect(isAiService(service)).toBe(false);
  });
});

describe("classifyService says why", () => {
  it("for a listed service, with the confidence of its exact name", () => {
    expect(classifyService("Amazon Bedrock")).toEqual({
      kind: "ai",
      category: "bedrock-first-party",
      basis: "listed",
      confidence: "seen",
    });
    expect(classifyService("Amazon Polly")).toMatchObject({ kind: "ai", confidence: "inferred" });
  });

  it("for a Marketplace model, by its suffix", () => {
    expect(classifyService("Claude 3 Opus (Amazon Bedrock Edition)")).toEqual({
      kind: "ai",
      category: "bedrock-marketplace-model",
      basis: "bedrock-edition-suffix",
      confidence: "seen",
    });
    expect(describeService("Claude 3 Opus (Amazon Bedrock Edition)")).toBe(
      "AI spend (a third-party Bedrock model billed through AWS Marketplace)",
    );
  });

  it("for an AI-adjacent service, with the reason it is not counted", () => {
    expect(classifyService("Amazon OpenSearch Service").kind).toBe("ai-adjacent");
    expect(describeService("Amazon OpenSearch Service")).toMatch(
      /^not counted as AI spend: Serverless vector search for Bedrock knowledge bases/,
    );
    expect(describeService("AWS Lambda")).toBe("not AI spend");
    expect(describeService("Amazon Kendra")).toBe("AI spend (other-ai, name inferred)");
  });
});

describe("the reference list of SERVICE values", () => {
  // The research table every entry was taken from, kept with the test fixtures.
  const table = readFileSync(
    join(__dirname, "..", "fixtures", "cost-explorer", "ai-service-names.tsv"),
    "utf8",
  )
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split("\t"))
    .map(([service = "", , category = "", , confidence = ""]) => ({
      service,
      category,
      confidence,
    }));

  it.each(table)("$service ($category) is classified as the table says", (entry) => {
    const found = classifyService(entry.service);
    if (entry.category === "ai-adjacent") {
      expect(found.kind).toBe("ai-adjacent");
    } else {
      expect(found).toMatchObject({ kind: "ai", category: entry.category });
    }
  });

  it("lists nothing the table does not have", () => {
    const names = new Set(table.map((e) => e.service));
    for (const service of [...Object.keys(AI_SERVICES), ...Object.keys(AI_ADJACENT_SERVICES)]) {
      expect(names.has(service), service).toBe(true);
    }
  });
});
