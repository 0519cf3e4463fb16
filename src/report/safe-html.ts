/**
 * HTML built by a template tag that escapes every interpolated value unless it is already
 * `SafeHtml`. Forgetting to escape a tag value is then impossible by construction: raw strings
 * can only enter markup through `html` (escaped) or `trustedHtml` (for markup this module's
 * callers wrote themselves, never for data).
 */
import { escapeHtml } from "./escape";

export class SafeHtml {
  /** @internal use `html` or `trustedHtml` */
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

/** What may be interpolated: text and numbers are escaped; null and undefined render nothing. */
export type HtmlValue = SafeHtml | string | number | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

/**
 * @example
 * html`<td>${tagValue}</td>`; // tagValue "<b>" renders as "&lt;b&gt;"
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/** Markup written by this program (a stylesheet, a script it ships): never report data. */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
