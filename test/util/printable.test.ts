import { describe, expect, it } from "vitest";
import { printable } from "../../src/util/printable";

describe("printable", () => {
  it("keeps ordinary text, other scripts and emoji", () => {
    expect(printable("support-triage dana@example.com Zürich 東京 🚀")).toBe(
      "support-triage dana@example.com Zürich 東京 🚀",
    );
  });

  it("shows ESC, newlines and other C0/C1 controls as visible escapes", () => {
    expect(printable("\u001b[2Jpassed: 0 mandatory\nFAILED")).toBe(
      "\\u{1B}[2Jpassed: 0 mandatory\\u{A}FAILED",
    );
    expect(printable("a\tb\rc\u0000d\u007fe\u0085f\u009bg")).toBe(
      "a\\u{9}b\\u{D}c\\u{0}d\\u{7F}e\\u{85}f\\u{9B}g",
    );
  });

  it.each([
    0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c,
  ])("shows the bidi control U+%s as an escape", (code) => {
    const hex = code.toString(16).toUpperCase();
    expect(printable(`x${String.fromCodePoint(code)}y`)).toBe(`x\\u{${hex}}y`);
  });
});
