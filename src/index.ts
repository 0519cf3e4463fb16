/** ai-spend-guard's public API: the registry and the rules built on it. */
export * from "./registry";
export { reviewCost, reviewHours } from "./rules/review-cost";
export { renderHtml, renderCsv, ReportRenderError } from "./report";
export type { HtmlOptions, CsvOptions } from "./report";
