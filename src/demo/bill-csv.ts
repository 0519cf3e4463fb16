/**
 * The file format of the demo's recorded bill (`examples/cost-and-usage.csv`): one line per day
 * x tag value x service, as Cost Explorer groups them, so a reader can open it in a spreadsheet
 * and check any figure of the report by hand.
 *
 *   date,workflow,service,amount
 *   2026-10-01,support-triage,Amazon Bedrock Service,13.481273
 *   2026-10-01,,Amazon Bedrock,11.893150          <- no workflow tag: untagged spend
 *
 * Deliberately narrow: no quoting, so a value holding a comma, a quote or a line break is
 * refused when writing rather than escaped, and any line that does not split into exactly four
 * fields is refused when reading, with its line number.
 */
import { isCalendarDate } from "../util/dates";
import type { DatasetRow } from "../local-aws/datasets";

export const BILL_HEADER = "date,workflow,service,amount";

const UNSAFE = /[",\r\n]/;
const AMOUNT = /^-?\d+(\.\d+)?$/;

export class BillFormatError extends Error {
  override readonly name = "BillFormatError";
}

/** The rows as the committed file (LF line ends, a final newline). */
export function formatBill(rows: readonly DatasetRow[]): string {
  const lines = [BILL_HEADER];
  for (const row of rows) {
    const fields = [row.date, row.tag ?? "", row.service, row.amount];
    const unsafe = fields.find((f) => UNSAFE.test(f));
    if (unsafe !== undefined) {
      throw new BillFormatError(`cannot write ${JSON.stringify(unsafe)}: no quoting in this file`);
    }
    lines.push(fields.join(","));
  }
  return `${lines.join("\n")}\n`;
}

/** Parse the file; `file` names it in errors. Every row gets `account`. */
export function parseBill(text: string, file: string, account: string): DatasetRow[] {
  const lines = text.split("\n");
  if (lines[0]?.trim() !== BILL_HEADER) {
    throw new BillFormatError(`${file}:1: expected the header "${BILL_HEADER}"`);
  }
  const rows: DatasetRow[] = [];
  lines.slice(1).forEach((line, index) => {
    if (line.trim() === "") return;
    const at = `${file}:${index + 2}`;
    const fields = line.replace(/\r$/, "").split(",");
    if (fields.length !== 4) {
      throw new BillFormatError(`${at}: expected 4 fields (${BILL_HEADER}), got ${fields.length}`);
    }
    const [date, tag, service, amount] = fields as [string, string, string, string];
    if (!isCalendarDate(date)) throw new BillFormatError(`${at}: "${date}" is not a date`);
    if (service === "") throw new BillFormatError(`${at}: the service is empty`);
    if (!AMOUNT.test(amount)) throw new BillFormatError(`${at}: "${amount}" is not an amount`);
    rows.push({ date, tag: tag === "" ? null : tag, service, account, amount });
  });
  return rows;
}
