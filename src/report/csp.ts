/**
 * A strict Content-Security-Policy for the report page: nothing may load from anywhere, and
 * only the exact inline scripts and stylesheet this program wrote may run. An injected tag value
 * that somehow escaped escaping still could not execute, fetch or submit anything.
 */
import { createHash } from "node:crypto";

/** The CSP source expression for an inline element's exact text: `'sha256-<base64>'`. */
export function cspHash(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

export interface InlineContent {
  readonly scripts: readonly string[];
  readonly styles: readonly string[];
}

/**
 * The policy text. `default-src 'none'` also covers connect, img, font, frame and media, so the
 * page cannot reach the network. (`frame-ancestors` is ignored in a meta tag, so it is left out.)
 */
export function contentSecurityPolicy(inline: InlineContent): string {
  return [
    "default-src 'none'",
    `script-src ${inline.scripts.map(cspHash).join(" ")}`,
    `style-src ${inline.styles.map(cspHash).join(" ")}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}
