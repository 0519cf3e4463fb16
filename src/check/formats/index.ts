/** `check`'s machine formats: SARIF for code scanning, Markdown for job summaries and PR comments. */
export { SARIF_SCHEMA, SARIF_VERSION, toSarif } from "./sarif";
export type { SarifLog, SarifOptions } from "./sarif";
export { toMarkdown } from "./markdown";
