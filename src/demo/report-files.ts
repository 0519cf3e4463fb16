/**
 * The demo's outputs on disk: the report contract (`report.json`, as the Lambda stores it), the
 * spreadsheet (`report.csv`) and the page people look at (`report.html`).
 */
import { accessSync, constants, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Report } from "../reconciler";
import { renderCsv, renderHtml } from "../report";
import { makeDirectory } from "../util/make-dir";

export const REPORT_FILES = ["report.json", "report.csv", "report.html"] as const;

/** A directory the demo cannot write to, with the reason in words. */
export class OutputDirError extends Error {
  override readonly name = "OutputDirError";
  constructor(
    readonly dir: string,
    cause: unknown,
  ) {
    super(`cannot write the report to ${dir}: ${describeFsError(cause)}`, { cause });
  }
}

/**
 * Create `dir` if needed and check it is writable, before any work is done: a bad --out must
 * fail in a second, not after the whole demo ran.
 */
export function prepareOutputDir(dir: string): void {
  try {
    makeDirectory(dir);
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new OutputDirError(dir, error);
  }
}

/** Write the three files into `dir`; returns their paths in `REPORT_FILES` order. */
export function writeReportFiles(
  dir: string,
  report: Report,
  unownedSpendContact: string,
): string[] {
  const contents = [
    `${JSON.stringify(report, null, 2)}\n`,
    renderCsv(report),
    renderHtml(report, { unownedSpendContact }),
  ];
  return REPORT_FILES.map((name, i) => {
    const path = join(dir, name);
    try {
      writeFileSync(path, contents[i]!);
    } catch (error) {
      throw new OutputDirError(dir, error);
    }
    return path;
  });
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOTDIR":
      return "a part of the path is a file, not a directory";
    case "EEXIST":
      return "a file of that name is in the way";
    case "EROFS":
      return "the file system is read-only";
    case "ENOSPC":
      return "no space left on the device";
    case "ENOENT":
      return "the file system will not create a directory there (a virtual file system such as /proc?)";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
