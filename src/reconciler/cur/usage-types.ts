/**
 * Bedrock usage types (CUR `line_item_usage_type`, Cost Explorer USAGE_TYPE) read as token
 * economics: which token class, which tier, regional or global, long context, cache window, and
 * for first-party models which model.
 *
 * Three families are seen on bills:
 * - Marketplace (third-party models), older: `USE1-MP:USE1_InputTokenCount-Units`,
 *   `USE2-MP:USE2_InputTokenCount_Global-Units`, `APN2-MP:APN2_CacheWrite1hInputTokenCount_Global`,
 *   long context `_LCtx`;
 * - Marketplace, newer: `USW2-MP:USW2_input_tokens_standard-Units`,
 *   `..._output_tokens_global_standard-Units`, `..._cache_write_tokens_1h_global_standard`,
 *   tiers `_batch`, `_priority`, `_flex` in place of `_standard`;
 * - first-party: `USE1-Nova2.0Lite-cache-read-input-token-count`, `USE1-Claude4.6Sonnet-input-tokens`.
 *
 * For Marketplace lines the model is not in the usage type: it is the product name
 * ("Claude Sonnet 4.5 (Amazon Bedrock Edition)"), so `model` is null here and the caller takes it
 * from `product['product_name']`.
 *
 * The rule is strict on purpose: every word of the usage type must be understood, or the result
 * is `unknown` with the reason. A new pattern is then counted and named in the report instead of
 * being booked to the wrong token class.
 */
import type { Amount } from "../../util/decimal";

export const TOKEN_CLASSES = ["input", "output", "cache-read", "cache-write"] as const;
export type TokenClass = (typeof TOKEN_CLASSES)[number];

export const TIERS = ["standard", "batch", "priority", "flex"] as const;
export type Tier = (typeof TIERS)[number];

export type Scope = "regional" | "global";

export interface TokenUsageType {
  readonly kind: "tokens";
  readonly family: "marketplace" | "first-party";
  /** The billing region code (`USE1`, `APS3`: a billing code, not the region name). */
  readonly region: string;
  /** First-party only: the model named in the usage type (`Nova2.0Lite`); null for Marketplace. */
  readonly model: string | null;
  readonly tokenClass: TokenClass;
  readonly tier: Tier;
  readonly scope: Scope;
  readonly longContext: boolean;
  /** Cache-write lines with a stated cache lifetime (`1h`); null when none is stated. */
  readonly cacheWindow: string | null;
}

export interface UnknownUsageType {
  readonly kind: "unknown";
  readonly usageType: string;
  /** Why it was not understood, naming the part that was not. */
  readonly reason: string;
}

export type ParsedUsageType = TokenUsageType | UnknownUsageType;

/** `USE1`, `APS3`, `EU`, `UGW1`: letters, then at most two digits. */
const REGION = /^[A-Z]{2,4}\d{0,2}$/;
/** `Nova2.0Lite`, `Claude4.6Sonnet`, `TitanTextEmbeddingsV2`. */
const MODEL = /^[A-Za-z][A-Za-z0-9.]*$/;
/** `1h`, `5m`: a cache lifetime. */
const WINDOW = /^\d+[mh]$/i;

/** Older Marketplace names, CamelCase. */
const CAMEL_CLASSES: readonly (readonly [RegExp, TokenClass])[] = [
  [/^CacheRead(\d+[mh])?InputTokenCount$/i, "cache-read"],
  [/^CacheWrite(\d+[mh])?InputTokenCount$/i, "cache-write"],
  [/^InputTokenCount$/i, "input"],
  [/^OutputTokenCount$/i, "output"],
];

/** Newer Marketplace names, snake_case: the words that name the class. */
const SNAKE_CLASSES: readonly (readonly [readonly string[], TokenClass])[] = [
  [["cache", "read", "tokens"], "cache-read"],
  [["cache", "write", "tokens"], "cache-write"],
  [["input", "tokens"], "input"],
  [["output", "tokens"], "output"],
];

/** First-party names, kebab-case: the words that name the class. */
const KEBAB_CLASSES: readonly (readonly [readonly string[], TokenClass])[] = [
  [["cache", "read", "input", "token", "count"], "cache-read"],
  [["cache", "read", "input", "tokens"], "cache-read"],
  [["cache", "write", "input", "token", "count"], "cache-write"],
  [["cache", "write", "input", "tokens"], "cache-write"],
  [["input", "token", "count"], "input"],
  [["input", "tokens"], "input"],
  [["output", "token", "count"], "output"],
  [["output", "tokens"], "output"],
];

/**
 * Reads one usage type.
 *
 * @example
 * parseUsageType("USW2-MP:USW2_cache_write_tokens_1h_global_standard-Units")
 * // { kind: "tokens", family: "marketplace", region: "USW2", model: null, tokenClass: "cache-write",
 * //   tier: "standard", scope: "global", longContext: false, cacheWindow: "1h" }
 */
export function parseUsageType(usageType: string): ParsedUsageType {
  const unknown = (reason: string): UnknownUsageType => ({ kind: "unknown", usageType, reason });
  const marketplace = /^([^-:]+)-MP:(.+)$/.exec(usageType);
  if (marketplace !== null) {
    const [, region, rest] = marketplace as unknown as [string, string, string];
    if (!REGION.test(region))
      return unknown(`region code ${JSON.stringify(region)} not understood`);
    return parseMarketplace(region, rest, unknown);
  }
  // Marketplace usage types are also seen without the `<region>-MP:` envelope (`USE1_CacheReadInputTokenCount`).
  const bare = /^([A-Z]{2,4}\d{0,2})_(.+)$/.exec(usageType);
  if (bare !== null) return parseMarketplace(bare[1]!, usageType, unknown);
  return parseFirstParty(usageType, unknown);
}

type Unknown = (reason: string) => UnknownUsageType;

interface Modifiers {
  tier: Tier | null;
  scope: Scope;
  longContext: boolean;
  cacheWindow: string | null;
}

/**
 * Applies one modifier word (`Global`, `batch`, `LCtx`, `1h`, `standard`); false when the word is
 * not a modifier or repeats one already set (two tiers on one line is not a pattern we know).
 */
function applyModifier(word: string, into: Modifiers): boolean {
  const lower = word.toLowerCase();
  if (lower === "global") {
    if (into.scope === "global") return false;
    into.scope = "global";
    return true;
  }
  if (lower === "lctx") {
    if (into.longContext) return false;
    into.longContext = true;
    return true;
  }
  if ((TIERS as readonly string[]).includes(lower)) {
    if (into.tier !== null) return false;
    into.tier = lower as Tier;
    return true;
  }
  if (WINDOW.test(word)) {
    if (into.cacheWindow !== null) return false;
    into.cacheWindow = lower;
    return true;
  }
  return false;
}

function parseMarketplace(region: string, rest: string, unknown: Unknown): ParsedUsageType {
  // `USE1_InputTokenCount-Units`: the name repeats the region before `_`, and may end in `-Units`.
  const body = rest.replace(/-Units$/, "");
  const underscore = body.indexOf("_");
  if (underscore < 0)
    return unknown(`no "<region>_" before the token name in ${JSON.stringify(rest)}`);
  const innerRegion = body.slice(0, underscore);
  if (innerRegion !== region) {
    return unknown(
      `two region codes disagree: ${JSON.stringify(region)} and ${JSON.stringify(innerRegion)}`,
    );
  }
  const words = body.slice(underscore + 1).split("_");
  const modifiers: Modifiers = {
    tier: null,
    scope: "regional",
    longContext: false,
    cacheWindow: null,
  };
  let tokenClass: TokenClass | undefined;
  let at = 0;
  // CamelCase (older): the first word names the class, e.g. CacheWrite1hInputTokenCount.
  for (const [pattern, found] of CAMEL_CLASSES) {
    const match = pattern.exec(words[0] ?? "");
    if (match !== null) {
      tokenClass = found;
      if (match[1] !== undefined) modifiers.cacheWindow = match[1].toLowerCase();
      at = 1;
      break;
    }
  }
  if (tokenClass === undefined) {
    const lower = words.map((w) => w.toLowerCase());
    for (const [phrase, found] of SNAKE_CLASSES) {
      if (phrase.every((w, i) => lower[i] === w)) {
        tokenClass = found;
        at = phrase.length;
        break;
      }
    }
  }
  if (tokenClass === undefined) {
    return unknown(`token class not understood in ${JSON.stringify(words.join("_"))}`);
  }
  for (const word of words.slice(at)) {
    if (!applyModifier(word, modifiers)) {
      return unknown(`word ${JSON.stringify(word)} not understood`);
    }
  }
  return tokens("marketplace", region, null, tokenClass, modifiers, unknown);
}

function parseFirstParty(usageType: string, unknown: Unknown): ParsedUsageType {
  const parts = usageType.split("-");
  if (parts.length < 4) return unknown("not a <region>-<model>-<token class> usage type");
  const [region, model, ...words] = parts as [string, string, ...string[]];
  if (!REGION.test(region)) return unknown(`region code ${JSON.stringify(region)} not understood`);
  if (!MODEL.test(model)) return unknown(`model name ${JSON.stringify(model)} not understood`);
  const lower = words.map((w) => w.toLowerCase());
  // The class phrase may come after modifiers (`batch-input-tokens`) or before (`input-tokens-batch`).
  for (let start = 0; start < lower.length; start++) {
    for (const [phrase, tokenClass] of KEBAB_CLASSES) {
      if (!phrase.every((w, i) => lower[start + i] === w)) continue;
      const modifiers: Modifiers = {
        tier: null,
        scope: "regional",
        longContext: false,
        cacheWindow: null,
      };
      const others = [...words.slice(0, start), ...words.slice(start + phrase.length)];
      for (const word of others) {
        if (!applyModifier(word, modifiers))
          return unknown(`word ${JSON.stringify(word)} not understood`);
      }
      return tokens("first-party", region, model, tokenClass, modifiers, unknown);
    }
  }
  return unknown(`no token class in ${JSON.stringify(words.join("-"))}`);
}

function tokens(
  family: TokenUsageType["family"],
  region: string,
  model: string | null,
  tokenClass: TokenClass,
  modifiers: Modifiers,
  unknown: Unknown,
): ParsedUsageType {
  if (modifiers.cacheWindow !== null && tokenClass !== "cache-write") {
    return unknown(`a cache window (${modifiers.cacheWindow}) on a ${tokenClass} line`);
  }
  return {
    kind: "tokens",
    family,
    region,
    model,
    tokenClass,
    tier: modifiers.tier ?? "standard",
    scope: modifiers.scope,
    longContext: modifiers.longContext,
    cacheWindow: modifiers.cacheWindow,
  };
}

// ---------------------------------------------------------------------------------------------
// Pricing units

export type PricingUnit =
  | { readonly kind: "tokens"; readonly unit: string; readonly tokensPerUnit: number }
  | { readonly kind: "unknown"; readonly unit: string; readonly reason: string };

/** "1K tokens", "1M tokens", "tokens", "1,000 Tokens": an optional count, an optional K/M, "token(s)". */
const TOKEN_UNIT = /^(?:(\d{1,3}(?:,\d{3})*|\d+)\s*([KM])?\s+)?tokens?$/i;
const SCALE: Readonly<Record<string, number>> = { K: 1_000, M: 1_000_000 };

/**
 * How many tokens one `line_item_usage_amount` stands for, read from `pricing_unit`.
 * Anything else (`Units`, `Hrs`, `Images`, an empty unit) is `unknown`: the amount is then not a
 * token count we can state.
 *
 * @example pricingUnit("1K tokens") // { kind: "tokens", unit: "1K tokens", tokensPerUnit: 1000 }
 */
export function pricingUnit(unit: string | null): PricingUnit {
  const text = (unit ?? "").trim();
  const match = TOKEN_UNIT.exec(text);
  if (match === null) {
    return {
      kind: "unknown",
      unit: unit ?? "",
      reason:
        text === ""
          ? "no pricing unit on the line"
          : `pricing unit ${JSON.stringify(text)} is not a token unit (expected "1K tokens", "1M tokens" or "tokens")`,
    };
  }
  const count = match[1] === undefined ? 1 : Number(match[1].replaceAll(",", ""));
  const scale = match[2] === undefined ? 1 : SCALE[match[2].toUpperCase()]!;
  return { kind: "tokens", unit: unit ?? "", tokensPerUnit: count * scale };
}

/** `usageAmount` x the unit's token count, exactly (the amount stays a decimal). */
export function tokensOf(
  usageAmount: Amount,
  unit: Extract<PricingUnit, { kind: "tokens" }>,
): Amount {
  return { units: usageAmount.units * BigInt(unit.tokensPerUnit), scale: usageAmount.scale };
}
