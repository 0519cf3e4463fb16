/**
 * CUR 2.0 in the core: the query definition, its two dialects, the engine port, the row parser,
 * the usage-type parser and the cost source over an engine. The engines themselves are adapters
 * (`../duckdb`, `../aws/athena-engine.ts`).
 */
export { curCostSource, costRowOf, lineUsage, CUR_PAGE_ROWS } from "./source";
export type { CurSourceOptions } from "./source";
export { CurEngineError } from "./engine";
export type { CurEngine, CurEngineName, CurQueryStats, CurResult } from "./engine";
export { curQuery, CurQueryError, buildCurSql, queryColumns, RESULT_COLUMNS } from "./query";
export type { CurQuery } from "./query";
export { CUR_COLUMNS, missingColumnHint } from "./columns";
export type { CurColumn, CurColumnName } from "./columns";
export { parseUsageType, pricingUnit, TOKEN_CLASSES } from "./usage-types";
export type { ParsedUsageType, PricingUnit, TokenClass } from "./usage-types";
export { athenaQueryCost } from "./athena-cost";
