/**
 * Where a resource was declared, as Pulumi records it: a state's `sourcePosition` is a URI with
 * the line and column as its fragment, `project:///index.ts#12,5` for a file inside the project
 * (the path is relative to the project folder) or `file:///abs/path.ts#12,5` outside it.
 * Previews and exports carry it when the program ran on an SDK that reports positions.
 */
export interface SourcePosition {
  /** The path relative to the Pulumi project (`project:`), or the absolute file URI. */
  readonly path: string;
  readonly relativeToProject: boolean;
  /** 1-based. */
  readonly line: number;
  /** 1-based, when recorded. */
  readonly column?: number;
}

const POSITION = /^(project|file):\/\/\/?([^#]+)#(\d+)(?:,(\d+))?$/;

/** The position in `text`, or undefined when it is not one (never a guess). */
export function parseSourcePosition(text: unknown): SourcePosition | undefined {
  if (typeof text !== "string") return undefined;
  const match = POSITION.exec(text);
  if (match === null) return undefined;
  const [, scheme, rawPath, line, column] = match;
  const lineNumber = Number(line);
  if (!Number.isSafeInteger(lineNumber) || lineNumber < 1) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(rawPath!);
  } catch {
    return undefined;
  }
  const relativeToProject = scheme === "project";
  const columnNumber = column === undefined ? undefined : Number(column);
  return {
    path: relativeToProject ? path : `file:///${path}`,
    relativeToProject,
    line: lineNumber,
    ...(columnNumber === undefined || columnNumber < 1 ? {} : { column: columnNumber }),
  };
}
