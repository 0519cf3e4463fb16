/**
 * Text into Markdown (GitHub's flavour) as literal text: nothing a value contains can open a
 * link, an image, emphasis, a heading, HTML or a table cell. Values that reach a job summary or
 * a PR comment (resource names, tag values, messages quoting them) are untrusted input.
 */

/**
 * The ASCII punctuation that means something in GitHub's Markdown (CommonMark lets a backslash
 * escape any of it): emphasis, code, links, images, headings, lists, tables, strikethrough,
 * math (`$`), mentions (`@`), emoji (`:`) and the `://` and `.` of autolinks.
 */
const ESCAPABLE = /[\\`*_{}[\]()#+\-.!|~$@:/]/g;

/** `text` as literal inline Markdown, on one line. */
export function escapeMarkdown(text: string): string {
  return (
    text
      .replace(ESCAPABLE, "\\$&")
      // HTML last, so the `;` and `&` of the entities are not escaped themselves.
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/\r\n?|\n/g, " ")
  );
}

/** `text` as inline code, with a fence longer than any run of backticks inside it. */
export function markdownCode(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const oneLine = text.replace(/\r\n?|\n/g, " ");
  // A space inside the fence when the text starts or ends with a backtick (CommonMark strips one).
  const pad = oneLine.startsWith("`") || oneLine.endsWith("`") ? " " : "";
  // A `|` ends a table cell even inside code spans in GitHub's tables.
  return `${fence}${pad}${oneLine.replace(/\|/g, "\\|")}${pad}${fence}`;
}
