import { describe, expect, it } from "vitest";
import { printable } from "../../src/util/printable";

describe("printable", () => {
  it("leaves ordinary text alone, non-Latin scripts and emoji included", () => {
    for (const text of [
      "support-bot",
      "Zürich café",
      "東京 リージョン",
      "ملف",
      "bot 🤖 ok",
      "a\\x1b",
    ]) {
      expect(printable(text)).toBe(text);
    }
  });

  it.each([
    ["ESC sequence", "\u001b[2J\u001b[1;32mpassed", "\\x1b[2J\\x1b[1;32mpassed"],
    ["newline", "name\npassed: 0 mandatory", "name\\x0apassed: 0 mandatory"],
    ["carriage return", "ok\rFAILED", "ok\\x0dFAILED"],
    ["NUL, bell, backspace, tab", "a\u0000\u0007\u0008\tb", "a\\x00\\x07\\x08\\x09b"],
    ["DEL", "a\u007fb", "a\\x7fb"],
    ["C1 CSI", "a\u009b31mb", "a\\x9b31mb"],
    ["right-to-left override", "report\u202Etxt.exe", "report\\u{202E}txt.exe"],
    ["embeddings and pop", "\u202A\u202B\u202C\u202D", "\\u{202A}\\u{202B}\\u{202C}\\u{202D}"],
    ["isolates", "\u2066\u2067\u2068\u2069", "\\u{2066}\\u{2067}\\u{2068}\\u{2069}"],
    ["directional marks", "a\u200Eb\u200Fc\u061Cd", "a\\u{200E}b\\u{200F}c\\u{061C}d"],
    [
      "zero-width and BOM",
      "a\u200Bb\u200Dc\uFEFFd\u2060e",
      "a\\u{200B}b\\u{200D}c\\u{FEFF}d\\u{2060}e",
    ],
    ["line and paragraph separators", "a\u2028b\u2029c", "a\\u{2028}b\\u{2029}c"],
    ["Unicode tags", "a\u{E0041}\u{E007F}b", "a\\u{E0041}\\u{E007F}b"],
    ["lone surrogates", "a\uD800b\uDC00c", "a\\u{D800}b\\u{DC00}c"],
    ["soft hyphen", "in\u00ADvisible", "in\\xadvisible"],
  ])("escapes %s", (_kind, text, expected) => {
    expect(printable(text)).toBe(expected);
  });

  it("keeps a paired surrogate (an emoji) whole next to an escaped one", () => {
    expect(printable("🤖\uD800")).toBe("🤖\\u{D800}");
  });

  it("keeps newlines only when asked, and still escapes a carriage return", () => {
    expect(printable("a\nb\r\n", { keepNewlines: true })).toBe("a\nb\\x0d\n");
    expect(printable("a\nb")).toBe("a\\x0ab");
  });

  it("leaves nothing a terminal would interpret", () => {
    let every = "";
    for (let code = 0; code < 0x30000; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      every += String.fromCodePoint(code);
    }
    const left = [...printable(every)].map((char) => char.codePointAt(0) ?? 0);
    const interpreted = left.filter(
      (code) =>
        code < 0x20 ||
        (code >= 0x7f && code <= 0x9f) ||
        (code >= 0x202a && code <= 0x202e) ||
        (code >= 0x2066 && code <= 0x2069),
    );
    expect(interpreted).toEqual([]);
  });
});
