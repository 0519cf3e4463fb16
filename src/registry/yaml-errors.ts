/**
 * The YAML parser's errors -> one problem a newcomer can act on. One mistake (a line indented
 * one space too far, a quote never closed) makes the parser report several errors further
 * down; only the first is the cause, so only the first is reported, with its real position:
 * the line that is indented wrongly, the quote that opened the unterminated text.
 */
import { isCollection, isPair, visit } from "yaml";
import type { Document, Node as YamlNode, YAMLError } from "yaml";
import type { RegistryProblem } from "./errors";
import type { At } from "./yaml-positions";

/**
 * Deepest nesting accepted. A registry needs five levels (workflows.id.volume.metric.dimensions);
 * the bound keeps every later walk (ours, the schema's) far from the call-stack limit.
 */
export const MAX_DEPTH = 32;
/**
 * Most alias expansions accepted (the YAML parser's `maxAliasCount`, 100 by default, guards
 * against "billion laughs" documents). 100 refused real registries that reuse one anchor for
 * many workflows; 1,000 still bounds the expanded size to a small multiple of the file's.
 */
export const MAX_ALIAS_COUNT = 1000;

const TOO_DEEP = `nests deeper than ${MAX_DEPTH} levels; a registry needs at most 5 (workflows.<id>.volume.metric.dimensions): is this the right file?`;

/** The first parser error, explained; undefined when the parse succeeded. */
export function yamlProblem(doc: Document, text: string, at: At): RegistryProblem | undefined {
  const [first, ...rest] = doc.errors;
  if (first === undefined) return undefined;
  const more =
    rest.length > 0
      ? ` (the parser reported ${rest.length} more error(s) after this one, which it may have caused: fix this first)`
      : "";
  const { offset, message } = explain(first, doc, text);
  return at(offset, "", `${message}${more}`);
}

function explain(
  error: YAMLError,
  doc: Document,
  text: string,
): { offset: number; message: string } {
  const offset = error.pos[0];
  const parserSays = error.message.split("\n")[0]!.trim();
  switch (error.code) {
    case "MISSING_CHAR": {
      const opened = quoteOpenedBefore(doc, offset);
      if (opened !== undefined && /quote/.test(parserSays)) {
        const mark = text[opened] ?? '"';
        return {
          offset: opened,
          message: `invalid YAML: the text opened with ${mark} here is never closed: end it with a matching ${mark} (everything up to the end of the file was read as part of it)`,
        };
      }
      break;
    }
    case "BLOCK_AS_IMPLICIT_KEY":
    case "MULTILINE_IMPLICIT_KEY": {
      // The parser stops at the value the misindented line was folded into; point at that line.
      const next = nextLineStart(text, offset);
      if (next !== undefined) {
        return {
          offset: next,
          message:
            "invalid YAML: this line is indented more than the keys above it, so it reads as part of the previous line's value: line the keys of one mapping up in the same column (spaces, not tabs)",
        };
      }
      break;
    }
    case "TAB_AS_INDENT":
      return {
        offset,
        message: "invalid YAML: a tab indents this line; YAML indents with spaces only",
      };
    case "RESOURCE_EXHAUSTION":
      return { offset, message: `the document ${TOO_DEEP}` };
    default:
      break;
  }
  return { offset, message: `invalid YAML: ${parserSays}` };
}

/** Where the quoted scalar that runs into `offset` opened. */
function quoteOpenedBefore(doc: Document, offset: number): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Scalar(_key, node) {
      const range = node.range;
      if (
        range !== undefined &&
        range !== null &&
        (node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE") &&
        range[0] < offset &&
        range[1] >= offset
      ) {
        found = range[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** The offset of the first non-blank character on the first non-empty line after `offset`. */
function nextLineStart(text: string, offset: number): number | undefined {
  let i = text.indexOf("\n", offset);
  while (i !== -1 && i < text.length) {
    const lineStart = i + 1;
    const end = text.indexOf("\n", lineStart);
    const line = text.slice(lineStart, end === -1 ? undefined : end);
    if (line.trim() !== "" && !line.trim().startsWith("#")) {
      return lineStart + (line.length - line.trimStart().length);
    }
    i = end;
  }
  return undefined;
}

/**
 * The first node nested deeper than `MAX_DEPTH`, found without recursion (the point is to get
 * there before anything recursive does), as a problem; undefined when the nesting is fine.
 */
export function depthProblem(doc: Document, at: At): RegistryProblem | undefined {
  const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (isCollection(node)) {
      if (depth >= MAX_DEPTH) {
        return at((node as YamlNode).range?.[0] ?? 0, "", `the document ${TOO_DEEP}`);
      }
      for (const item of node.items as unknown[]) {
        if (isPair(item)) {
          stack.push({ node: item.key, depth: depth + 1 });
          stack.push({ node: item.value, depth: depth + 1 });
        } else {
          stack.push({ node: item, depth: depth + 1 });
        }
      }
    }
  }
  return undefined;
}

/** The alias-count problem, at the first alias, for a document that expands too far. */
export function aliasProblem(doc: Document, at: At): RegistryProblem {
  let first: number | undefined;
  let count = 0;
  visit(doc, {
    Alias(_key, node) {
      count++;
      first ??= node.range?.[0];
    },
  });
  return at(
    first ?? 0,
    "",
    `the document's ${count} alias(es) (*name) expand to more than ${MAX_ALIAS_COUNT} copies, the limit that guards against documents built to exhaust memory: write the repeated values out, or reuse fewer anchors`,
  );
}
