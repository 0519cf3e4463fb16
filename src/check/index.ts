/**
 * Readers of Pulumi's JSON documents for the offline `check`: `pulumi preview --json`,
 * `pulumi stack export` and DIY checkpoints, normalised to the policy rules' `ResourceInput`.
 */
export { readPulumiDocument } from "./read";
export { checkDocument } from "./report";
export type { CheckFinding, CheckOptions, CheckReport, ResourceRef } from "./report";
export { decodeDocument, MAX_DOCUMENT_BYTES, MAX_DOCUMENT_LABEL, tooLarge } from "./decode";
export { readPreview } from "./preview";
export { readDeployment } from "./stack-export";
export { PulumiDocumentError, FORMAT_LABEL } from "./types";
export type { PulumiFormat, ReadResult, SecretProperty } from "./types";
export { normalizeValue, PREVIEW_SECRET, SIG_KEY, SIGNATURES } from "./values";
export { parseProviderReference, parseUrn } from "./urn";
export type { ParsedUrn, ProviderReference } from "./urn";
export { SARIF_SCHEMA, SARIF_VERSION, toMarkdown, toSarif } from "./formats";
export type { SarifLog, SarifOptions } from "./formats";
export { parseSourcePosition } from "./source-position";
export type { SourcePosition } from "./source-position";
