import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { globMatch, iamActionMatch, wildcardMatch } from "../../src/util/glob";

/** The matcher this one replaced: a regular expression, correct but backtracking. */
function reference(pattern: string, value: string, iam = false): boolean {
  let body = pattern.replace(iam ? /[.+^${}()|[\]\\]/g : /[.+?^${}()|[\]\\]/g, "\\$&");
  body = body.replace(/\*/g, ".*");
  if (iam) body = body.replace(/\?/g, ".");
  return new RegExp(`^${body}$`, iam ? "is" : "s").test(value);
}

describe("glob matching", () => {
  it.each([
    ["*", "", true],
    ["*", "anything", true],
    ["a*", "a", true],
    ["*a", "ba", true],
    ["a*b*c", "abc", true],
    ["a*b*c", "acb", false],
    ["ab*ba", "aba", false],
    ["anthropic.claude-*", "anthropic.claude-haiku-4-5", true],
    ["amazon.nova-?", "amazon.nova-x", false], // ? is a literal in registry globs
    ["amazon.nova-?", "amazon.nova-?", true],
    ["x.y", "xzy", false], // . is a literal
  ])("%j against %j is %s", (pattern, value, expected) => {
    expect(globMatch(pattern, value)).toBe(expected);
  });

  it("IAM patterns: ? is one character, case does not matter", () => {
    expect(iamActionMatch("bedrock:Invoke?odel", "bedrock:invokemodel")).toBe(true);
    expect(iamActionMatch("bedrock:Invoke*", "BEDROCK:InvokeModelWithResponseStream")).toBe(true);
    expect(iamActionMatch("bedrock:?", "bedrock:")).toBe(false);
    expect(iamActionMatch("s3:*", "bedrock:InvokeModel")).toBe(false);
  });

  it("agrees with a regular expression on any pattern and value (registry globs)", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "b", "*", "?", "."), maxLength: 12 });
    fc.assert(
      fc.property(text, text, (pattern, value) => {
        const plain = value.replace(/\*/g, "a");
        expect(globMatch(pattern, plain)).toBe(reference(pattern, plain));
      }),
      { numRuns: 3000 },
    );
  });

  it("agrees with a regular expression on any pattern and value (IAM)", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "B", "b", "*", "?"), maxLength: 12 });
    fc.assert(
      fc.property(text, text, (pattern, value) => {
        const plain = value.replace(/[*?]/g, "a");
        expect(iamActionMatch(pattern, plain)).toBe(reference(pattern, plain, true));
      }),
      { numRuns: 3000 },
    );
  });

  it("takes linear steps on the worst case of a backtracking matcher (8 stars, 80 characters)", () => {
    // Against a regex this pair backtracks through ~80^8 placements before failing.
    const pattern = "urn:*a*a*a*a*a*a*a*a*b";
    const urn = `urn:${"a".repeat(76)}`;
    expect(urn).toHaveLength(80);
    const { matched, steps } = wildcardMatch(pattern, urn);
    expect(matched).toBe(false);
    // Each character of the value is compared a bounded number of times: at most twice per
    // character (KMP) plus the anchored first and last pieces.
    expect(steps).toBeLessThanOrEqual(2 * (urn.length + pattern.length));
  });

  it("takes linear steps when the ends match and the middle cannot (8 stars, 80 characters)", () => {
    // The anchored ends pass, so every middle piece is searched for: KMP reads the value once.
    const pattern = "urn:*ab*ab*ab*ab*ab*ab*ab*ab*z";
    const urn = `urn:${"a".repeat(75)}z`;
    expect(urn).toHaveLength(80);
    const { matched, steps } = wildcardMatch(pattern, urn);
    expect(matched).toBe(false);
    expect(steps).toBeLessThanOrEqual(2 * urn.length);
    // Eight single-character pieces on a value that holds six: found, found, ..., then not.
    const partial = wildcardMatch(
      "urn:*a*a*a*a*a*a*a*a*z",
      `urn:${"a".repeat(6)}${"b".repeat(69)}z`,
    );
    expect(partial.matched).toBe(false);
    expect(partial.steps).toBeLessThanOrEqual(2 * urn.length);
  });

  it("stays linear as the value grows: 10x the characters, at most 10x the steps", () => {
    const pattern = "*a*a*a*a*a*a*a*a*b";
    const short = wildcardMatch(pattern, "a".repeat(80)).steps;
    const long = wildcardMatch(pattern, "a".repeat(800)).steps;
    expect(long).toBeLessThanOrEqual(10 * short + pattern.length);
  });

  it("a worst case for KMP's fallbacks is still linear (overlapping pieces)", () => {
    const pattern = `*${"a".repeat(30)}b*`;
    const value = "a".repeat(2000);
    const { matched, steps } = wildcardMatch(pattern, value);
    expect(matched).toBe(false);
    expect(steps).toBeLessThanOrEqual(2 * value.length + pattern.length);
  });
});
