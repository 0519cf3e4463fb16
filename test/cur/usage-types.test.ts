import { describe, expect, it } from "vitest";

import { parseUsageType, pricingUnit, tokensOf } from "../../src/reconciler/cur/usage-types";
import type { TokenUsageType } from "../../src/reconciler/cur/usage-types";
import { parseAmount, toString } from "../../src/util/decimal";

type Expected = Omit<
  TokenUsageType,
  "kind" | "family" | "model" | "scope" | "tier" | "longContext" | "cacheWindow"
> &
  Partial<TokenUsageType>;

const marketplace = (
  region: string,
  tokenClass: TokenUsageType["tokenClass"],
  extra: Partial<TokenUsageType> = {},
) => ({ family: "marketplace", model: null, region, tokenClass, ...extra }) satisfies Expected;

const firstParty = (
  region: string,
  model: string,
  tokenClass: TokenUsageType["tokenClass"],
  extra: Partial<TokenUsageType> = {},
) => ({ family: "first-party", model, region, tokenClass, ...extra }) satisfies Expected;

describe("parseUsageType: every pattern seen on bills", () => {
  it.each<[string, Expected]>([
    // Marketplace, older CamelCase names.
    ["USE1-MP:USE1_InputTokenCount-Units", marketplace("USE1", "input")],
    ["USE1-MP:USE1_OutputTokenCount-Units", marketplace("USE1", "output")],
    [
      "USE2-MP:USE2_InputTokenCount_Global-Units",
      marketplace("USE2", "input", { scope: "global" }),
    ],
    ["USE2-MP:USE2_CacheWriteInputTokenCount-Units", marketplace("USE2", "cache-write")],
    ["USE2_CacheWriteInputTokenCount", marketplace("USE2", "cache-write")],
    ["USE1_CacheReadInputTokenCount", marketplace("USE1", "cache-read")],
    ["USE1-MP:USE1_CacheReadInputTokenCount-Units", marketplace("USE1", "cache-read")],
    [
      "APN2_CacheWrite1hInputTokenCount_Global",
      marketplace("APN2", "cache-write", { scope: "global", cacheWindow: "1h" }),
    ],
    [
      "USE1-MP:USE1_InputTokenCount_LCtx-Units",
      marketplace("USE1", "input", { longContext: true }),
    ],
    [
      "USW2-MP:USW2_OutputTokenCount_LCtx_Global-Units",
      marketplace("USW2", "output", { longContext: true, scope: "global" }),
    ],
    // The region prefix is a billing code: ap-south-1 bills as APS3.
    ["APS3-MP:APS3_InputTokenCount-Units", marketplace("APS3", "input")],
    // Marketplace, newer snake_case names.
    [
      "USW2-MP:USW2_input_tokens_standard-Units",
      marketplace("USW2", "input", { tier: "standard" }),
    ],
    [
      "USW2-MP:USW2_output_tokens_global_standard-Units",
      marketplace("USW2", "output", { scope: "global", tier: "standard" }),
    ],
    ["USW2-MP:USW2_cache_read_tokens_standard", marketplace("USW2", "cache-read")],
    [
      "USW2-MP:USW2_cache_write_tokens_1h_global_standard",
      marketplace("USW2", "cache-write", { cacheWindow: "1h", scope: "global" }),
    ],
    ["USW2-MP:USW2_input_tokens_batch-Units", marketplace("USW2", "input", { tier: "batch" })],
    [
      "USW2-MP:USW2_output_tokens_priority-Units",
      marketplace("USW2", "output", { tier: "priority" }),
    ],
    ["USW2-MP:USW2_input_tokens_flex-Units", marketplace("USW2", "input", { tier: "flex" })],
    [
      "USW2-MP:USW2_input_tokens_global_batch-Units",
      marketplace("USW2", "input", { tier: "batch", scope: "global" }),
    ],
    [
      "USW2-MP:USW2_input_tokens_lctx_global_standard-Units",
      marketplace("USW2", "input", { longContext: true, scope: "global" }),
    ],
    // First-party.
    [
      "USE1-Nova2.0Lite-cache-read-input-token-count",
      firstParty("USE1", "Nova2.0Lite", "cache-read"),
    ],
    ["USE1-Nova2.0Lite-input-tokens", firstParty("USE1", "Nova2.0Lite", "input")],
    ["USE1-Nova2.0Lite-output-token-count", firstParty("USE1", "Nova2.0Lite", "output")],
    ["USE1-Claude4.6Sonnet-input-tokens", firstParty("USE1", "Claude4.6Sonnet", "input")],
    [
      "USE1-Claude4.6Opus-output-tokens-global",
      firstParty("USE1", "Claude4.6Opus", "output", { scope: "global" }),
    ],
    [
      "USE1-Claude4.6Opus-input-tokens-batch",
      firstParty("USE1", "Claude4.6Opus", "input", { tier: "batch" }),
    ],
    [
      "USE1-Claude4.6Sonnet-cache-write-input-tokens-1h",
      firstParty("USE1", "Claude4.6Sonnet", "cache-write", { cacheWindow: "1h" }),
    ],
    [
      "USE1-Claude4.6Sonnet-input-tokens-lctx",
      firstParty("USE1", "Claude4.6Sonnet", "input", { longContext: true }),
    ],
  ])("%s", (usageType, expected) => {
    expect(parseUsageType(usageType)).toEqual({
      kind: "tokens",
      tier: "standard",
      scope: "regional",
      longContext: false,
      cacheWindow: null,
      ...expected,
    });
  });
});

describe("parseUsageType: unknown patterns are reported, never guessed", () => {
  it.each<[string, RegExp]>([
    // Not token usage at all.
    ["USE1-DataTransfer-Out-Bytes", /no token class/],
    ["TimedStorage-ByteHrs", /not a <region>-<model>-<token class>/],
    ["", /not a <region>/],
    // Token-like, but a word nobody has seen: it must not be booked to a class.
    ["USW2-MP:USW2_input_tokens_turbo-Units", /"turbo"/],
    ["USW2-MP:USW2_reasoning_tokens_standard-Units", /token class not understood/],
    ["USE1-MP:USE1_ImageCount-Units", /token class not understood/],
    ["USE1-Nova2.0Lite-input-tokens-geo", /"geo"/],
    // Two tiers, two scopes: not a pattern we know.
    ["USW2-MP:USW2_input_tokens_batch_flex-Units", /"flex"/],
    ["USW2-MP:USW2_input_tokens_global_global-Units", /"global"/],
    // The envelope's region and the name's region disagree.
    ["USE1-MP:USW2_InputTokenCount-Units", /disagree/],
    ["us-east-1-MP:USE1_InputTokenCount-Units", /region code/],
    // A cache window on a class that has none.
    ["USW2-MP:USW2_input_tokens_1h_standard-Units", /cache window/],
    ["USE1-Nova 2-input-tokens", /model name/],
  ])("%s", (usageType, reason) => {
    const parsed = parseUsageType(usageType);
    expect(parsed.kind).toBe("unknown");
    if (parsed.kind === "unknown") {
      expect(parsed.usageType).toBe(usageType);
      expect(parsed.reason).toMatch(reason);
    }
  });
});

describe("pricingUnit", () => {
  it.each<[string, number]>([
    ["1K tokens", 1_000],
    ["1M tokens", 1_000_000],
    ["1k Tokens", 1_000],
    ["tokens", 1],
    ["Token", 1],
    ["1,000 tokens", 1_000],
    ["1000000 tokens", 1_000_000],
  ])("%s = %d tokens", (unit, tokensPerUnit) => {
    expect(pricingUnit(unit)).toEqual({ kind: "tokens", unit, tokensPerUnit });
  });

  it.each([["Units"], ["Hrs"], ["1B tokens"], ["Images"], [""], ["1K"]])(
    "%j is unknown, not guessed",
    (unit) => {
      const found = pricingUnit(unit);
      expect(found.kind).toBe("unknown");
    },
  );

  it("a missing pricing unit is unknown, and says so", () => {
    expect(pricingUnit(null)).toMatchObject({
      kind: "unknown",
      reason: "no pricing unit on the line",
    });
  });

  it("tokens = usage amount x unit, exactly", () => {
    const unit = pricingUnit("1K tokens");
    if (unit.kind !== "tokens") throw new Error("expected a token unit");
    expect(toString(tokensOf(parseAmount("12.3456789"), unit))).toBe("12345.6789");
    const millions = pricingUnit("1M tokens");
    if (millions.kind !== "tokens") throw new Error("expected a token unit");
    expect(toString(tokensOf(parseAmount("0.000001"), millions))).toBe("1");
  });
});
