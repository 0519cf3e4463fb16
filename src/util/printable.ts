/**
 * The one neutralising of text for human-facing outputs (terminal, digest emails, CSV): a value
 * read from outside (a resource name, a tag value, a registry string, a Cost Explorer key) can
 * carry characters that do not print as themselves. An ESC sequence repaints a terminal (a
 * crafted name could print a fake "passed" line above the real FAILED), a newline starts a fake
 * line in a digest, and a bidi override (U+202E) makes "txt.exe" read as "exe.txt". JSON outputs
 * keep the exact value; only what a person reads goes through here.
 *
 * Each such character is replaced by a visible escape, so the reader sees that it was there:
 * - code points below U+0100 as `\xHH` (two lower-case hex digits): ESC is `\x1b`, a newline
 *   `\x0a`, DEL `\x7f`, a C1 control such as CSI `\x9b`;
 * - everything else as `\u{HHHH}` (upper-case hex, at least four digits): `\u{202E}`.
 *
 * A backslash is left as it is: the escape is for the reader's eyes, not a reversible encoding
 * (a value that literally contains the text `\x1b` prints the same, and is harmless).
 */

// Which characters do not print as themselves, and why each range is here:
// - C0 controls U+0000-001F and DEL U+007F: ESC sequences, newline, carriage return
//   (overprinting), backspace, bell;
// - C1 controls U+0080-009F: CSI (U+009B) starts an escape sequence on some terminals;
// - U+00AD soft hyphen and U+034F combining grapheme joiner: invisible;
// - U+061C Arabic letter mark, U+200E/U+200F left-to-right/right-to-left marks, U+202A-202E
//   embeddings and overrides, U+2066-2069 isolates: bidi controls that reorder what follows;
// - U+115F, U+1160, U+3164, U+FFA0 Hangul fillers and U+180E Mongolian vowel separator: blank;
// - U+200B-200D zero-width space/non-joiner/joiner, U+2060-2065 word joiner and invisible
//   operators, U+FEFF byte-order mark: invisible, used to make two different strings look alike;
// - U+2028/U+2029 line and paragraph separators: a line break in some renderers;
// - U+FFF9-FFFB interlinear annotations and U+E0000-E007F tags: invisible ("ASCII smuggling");
// - a lone surrogate: not a character at all (a broken UTF-16 string).
const NOT_PRINTABLE_RANGES: readonly (readonly [number, number])[] = [
  [0x0000, 0x001f],
  [0x007f, 0x009f],
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x061c, 0x061c],
  [0x115f, 0x1160],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x2069],
  [0x3164, 0x3164],
  [0xd800, 0xdfff],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff9, 0xfffb],
  [0xe0000, 0xe007f],
];

function isPrintable(code: number): boolean {
  return !NOT_PRINTABLE_RANGES.some(([low, high]) => code >= low && code <= high);
}

/** The visible escape of one code point (see the module comment). */
function escapeOf(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u{${code.toString(16).toUpperCase().padStart(4, "0")}}`;
}

export interface PrintableOptions {
  /**
   * Keep `\n` as a line break, for a caller neutralising a whole multi-line text it built
   * itself. The default escapes it too: a value inside one line (a name, a CSV cell, a bullet)
   * must not be able to start a line of its own.
   */
  readonly keepNewlines?: boolean;
}

/**
 * `text` with every character that does not print as itself (controls, ESC, bidi controls,
 * invisible characters; see above) replaced by a visible escape such as `\x1b` or `\u{202E}`.
 * Text without such characters comes back unchanged.
 */
export function printable(text: string, options: PrintableOptions = {}): string {
  let out = "";
  // Iterating a string yields code points: a paired surrogate (an emoji) is one character, a
  // lone surrogate is one of its own.
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    out +=
      isPrintable(code) || (options.keepNewlines === true && char === "\n") ? char : escapeOf(char);
  }
  return out;
}
