/**
 * The registry's bytes -> text. UTF-8 only (with or without a byte order mark): a byte that is
 * not UTF-8 is an error at its offset, never a silent U+FFFD in an owner's address.
 */
import { RegistryValidationError } from "./errors";

const BOM = [0xef, 0xbb, 0xbf];

export function decodeUtf8(bytes: Uint8Array, source: string): string {
  const start = bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2] ? 3 : 0;
  const body = bytes.subarray(start);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    const offset = firstInvalidUtf8(body);
    // Position it as an editor would: the valid text before the bad byte gives line and column.
    const before = new TextDecoder("utf-8").decode(body.subarray(0, offset));
    const lines = before.split("\n");
    const byte = body[offset]!.toString(16).toUpperCase().padStart(2, "0");
    throw new RegistryValidationError([
      {
        file: source,
        line: lines.length,
        col: lines[lines.length - 1]!.length + 1,
        path: "",
        message: `the file is not UTF-8 text: byte 0x${byte} at byte offset ${offset + start} is not valid UTF-8 (a Latin-1 or Windows-1252 file?): save it as UTF-8`,
      },
    ]);
  }
}

/** Offset of the first byte that does not begin or continue a well-formed UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    // Lead byte -> length and the allowed range of the second byte (no overlongs, no surrogates).
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      const [lo, hi] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (c < lo || c > hi) return i;
    }
    i += length;
  }
  return bytes.length;
}
