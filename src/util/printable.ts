/**
 * Text from files (registry strings, resource names, tag values) made safe for a terminal: C0
 * and C1 control characters (ESC included, so no escape sequence), DEL, and the bidirectional
 * controls that reorder what a reader sees are shown as visible `\u{XXXX}` escapes. Everything
 * else, other scripts and emoji included, is kept. JSON output keeps the exact value instead.
 */
// Matching control characters is the point here.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(
    UNSAFE,
    (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}}`,
  );
}
