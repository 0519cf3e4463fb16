/**
 * `check --format`: which rendering of the report goes to stdout. `text` is the table for
 * people (check.ts); the machine formats are the pure renderers of src/check; `--json` stays
 * as the alias of `--format json` it always was.
 */
import { toMarkdown, toSarif } from "../check";
import type { CheckReport } from "../check";
import { VERSION } from "./version";

export const CHECK_FORMATS = ["text", "json", "sarif", "markdown"] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

export type FormatChoice =
  | { readonly kind: "ok"; readonly format: CheckFormat }
  | { readonly kind: "invalid"; readonly message: string };

function isFormat(value: string): value is CheckFormat {
  return (CHECK_FORMATS as readonly string[]).includes(value);
}

/** The format from `--format` and `--json`; an unknown or contradictory choice is a usage error. */
export function chooseFormat(format: string | undefined, json: boolean): FormatChoice {
  const allowed = CHECK_FORMATS.join(", ");
  if (format === undefined) return { kind: "ok", format: json ? "json" : "text" };
  if (!isFormat(format)) {
    return { kind: "invalid", message: `unknown format "${format}": use one of ${allowed}` };
  }
  if (json && format !== "json") {
    return {
      kind: "invalid",
      message: `--json is --format json; it cannot go with --format ${format}`,
    };
  }
  return { kind: "ok", format };
}

/** The report in a machine format (`text` is drawn by the command itself, for a terminal). */
export function renderMachine(report: CheckReport, format: Exclude<CheckFormat, "text">): string {
  switch (format) {
    case "json":
      return JSON.stringify(report, null, 2);
    case "sarif":
      return JSON.stringify(toSarif(report, { toolVersion: VERSION }), null, 2);
    case "markdown":
      return toMarkdown(report);
  }
}
