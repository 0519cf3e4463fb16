/**
 * Splits text into lines of at most `width` characters, at spaces: the one line-wrapping of
 * plain-text outputs (digest bullets, the terminal's finding column).
 *
 * @param indent  put before every line after the first (a hanging indent), counted in `width`
 * @param breakWords  cut a word longer than a line (the default: a table column cannot hold
 *   it); `false` lets it stand alone on its line (an email keeps an address or a quoted tag
 *   value whole)
 */
export function wrap(
  text: string,
  width: number,
  options: { readonly indent?: string; readonly breakWords?: boolean } = {},
): string[] {
  const indent = options.indent ?? "";
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    if (line === "") line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = `${indent}${word}`;
    }
    while (options.breakWords !== false && width > indent.length && line.length > width) {
      lines.push(line.slice(0, width));
      line = `${indent}${line.slice(width)}`;
    }
  }
  if (line !== "" || lines.length === 0) lines.push(line);
  return lines;
}
