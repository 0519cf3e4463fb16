/**
 * Text from files (resource names, tag values, messages that quote them) made safe for a
 * terminal: every control character (C0 including newline and tab, DEL, C1, so ESC and CSI
 * sequences too) and every bidirectional control becomes a visible `\u{XXXX}` escape. A
 * crafted name can then neither move the cursor, recolour the output, fake a line such as
 * "passed: 0 mandatory", nor reorder what is shown. Machine outputs (JSON) keep exact values.
 */

// C0 controls, DEL and C1 controls; the bidi embeddings, overrides and isolates; LRM, RLM and
// the Arabic letter mark.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

export function printable(text: string): string {
  return text.replace(
    UNPRINTABLE,
    (char) => `\\u{${char.codePointAt(0)!.toString(16).toUpperCase()}}`,
  );
}
