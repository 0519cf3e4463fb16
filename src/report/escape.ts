/**
 * Escaping for the two places report data enters HTML: element text / attribute values, and a
 * JSON data block inside `<script type="application/json">`.
 *
 * Every string in a report may be attacker-controlled: a workflow tag value is typed by whoever
 * can tag a resource, and it reaches the bill verbatim.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Text safe as HTML element content and as a quoted attribute value.
 *
 * @example
 * escapeHtml("<img src=x onerror=alert(1)>"); // "&lt;img src=x onerror=alert(1)&gt;"
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

const JSON_SCRIPT_ESCAPES: Readonly<Record<string, string>> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/**
 * JSON that can sit inside a `<script type="application/json">` element and still parses to
 * `value` with `JSON.parse(element.textContent)`.
 *
 * Why each escape: `<` stops `</script>` (and `<!--`, which changes how the HTML parser scans
 * script text) from ending the element early; `>` and `&` close the remaining HTML-parser
 * corner cases; U+2028/2029 are legal in JSON but were line terminators in JavaScript before
 * ES2019, so older engines that evaluate the block as script would break. Inside JSON strings
 * `\u003c` and friends decode to the same characters, so the data is unchanged.
 *
 * @example
 * jsonForScript({ v: "</script>" }); // '{"v":"\\u003c/script\\u003e"}'
 */
export function jsonForScript(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError("jsonForScript: the value has no JSON form");
  return json.replace(/[<>&\u2028\u2029]/g, (c) => JSON_SCRIPT_ESCAPES[c]!);
}
