/**
 * Bytes to text for the readers: UTF-8 (with or without a BOM) and UTF-16 with a BOM, which
 * is what Windows PowerShell's `>` writes. Bytes that are not valid text are refused with
 * where they start, never replaced silently with U+FFFD.
 */
import { PulumiDocumentError } from "./types";

/**
 * The largest document `check` reads: far above the largest real stack exports (tens of MB),
 * far below what would exhaust memory while parsing (JSON.parse needs several times the size).
 */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;

export const MAX_DOCUMENT_LABEL = "256 MiB";

export function tooLarge(source: string): PulumiDocumentError {
  return new PulumiDocumentError(
    source,
    `is larger than ${MAX_DOCUMENT_LABEL}, more than any Pulumi document this tool reads; ` +
      `check that it is the output of \`pulumi preview --json\` or \`pulumi stack export\``,
  );
}

type Encoding = "utf-8" | "utf-16le" | "utf-16be";

function encodingOf(bytes: Uint8Array): { encoding: Encoding; bom: number } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { encoding: "utf-8", bom: 3 };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: "utf-16le", bom: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: "utf-16be", bom: 2 };
  // UTF-16 without a BOM still shows itself in JSON: `{` or `[` next to a zero byte.
  if (bytes.length >= 2 && bytes[1] === 0 && bytes[0] !== 0 && isOpening(bytes[0]!)) {
    return { encoding: "utf-16le", bom: 0 };
  }
  if (bytes.length >= 2 && bytes[0] === 0 && bytes[1] !== 0 && isOpening(bytes[1]!)) {
    return { encoding: "utf-16be", bom: 0 };
  }
  return { encoding: "utf-8", bom: 0 };
}

const isOpening = (byte: number) => byte === 0x7b || byte === 0x5b || byte === 0x20;

/** The document's text, decoded as its BOM (or its first bytes) say. */
export function decodeDocument(bytes: Uint8Array, source: string): string {
  if (bytes.length > MAX_DOCUMENT_BYTES) throw tooLarge(source);
  const { encoding, bom } = encodingOf(bytes);
  const body = bytes.subarray(bom);
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body);
  } catch (error) {
    if (encoding !== "utf-8") {
      throw new PulumiDocumentError(
        source,
        `is not valid ${encoding.toUpperCase()} text (it starts like ${encoding.toUpperCase()}); ` +
          `save it again as UTF-8 (PowerShell: \`| Out-File -Encoding utf8\`)`,
        { cause: error },
      );
    }
    const at = firstInvalidUtf8(body);
    throw new PulumiDocumentError(
      source,
      `is not UTF-8 text (byte 0x${body[at]!.toString(16).padStart(2, "0")} at offset ${at + bom}); ` +
        `Pulumi writes UTF-8: write the output of \`pulumi preview --json\` or \`pulumi stack export\` to the file again`,
      { cause: error },
    );
  }
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    // The second byte's range excludes overlong forms and surrogates (RFC 3629, section 4).
    const [length, low, high] =
      lead >= 0xc2 && lead <= 0xdf
        ? [2, 0x80, 0xbf]
        : lead === 0xe0
          ? [3, 0xa0, 0xbf]
          : lead === 0xed
            ? [3, 0x80, 0x9f]
            : lead >= 0xe1 && lead <= 0xef
              ? [3, 0x80, 0xbf]
              : lead === 0xf0
                ? [4, 0x90, 0xbf]
                : lead === 0xf4
                  ? [4, 0x80, 0x8f]
                  : lead >= 0xf1 && lead <= 0xf3
                    ? [4, 0x80, 0xbf]
                    : [0, 0, 0];
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (next === undefined || next < min || next > max) return i;
    }
    i += length;
  }
  return 0;
}
