/** The report people look at: HTML with charts, and CSV for spreadsheets. */
export { renderHtml, type HtmlOptions } from "./html";
export {
  renderCsv,
  csvCell,
  csvRow,
  csvDocument,
  neutraliseFormula,
  plainNumber,
  REPORT_CSV_COLUMNS,
  type CsvOptions,
  type CsvValue,
  type CsvRecordType,
} from "./csv";
export { escapeHtml, jsonForScript } from "./escape";
export { ReportRenderError } from "./validate";
