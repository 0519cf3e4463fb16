/**
 * The file format of the demo's recorded bill (`examples/cost-and-usage.csv`): one line per day
 * x resource tag value x caller's tag value x service, the lines the local Cost Explorer groups,
 * so a reader can open it in a spreadsheet and check any figure of the report by hand.
 *
 *   date,workflow,iamPrincipal/workflow,service,amount
 *   2026-10-01,support-triage,support-triage,Amazon Bedrock Service,13.481273   <- both tags
 *   2026-10-01,,invoice-matching,Amazon Bedrock,16.714769   <- the calling role's tag only
 *   2026-10-01,,,Amazon Bedrock,11.893150                   <- neither: unowned
 *
 * The second column is the resource's `workflow` tag, the third the `workflow` tag of the IAM
 * role or user that made the call (billed as `iamPrincipal/workflow`). A file in the earlier
 * four-column format (`date,workflow,service,amount`, resource tags only) is still read.
 *
 * Deliberately narrow: no quoting, so a value holding a comma, a quote or a line break is
 * refused when writing rather than escaped, and any line that does not split into exactly the
 * header's fields is refused when reading, with its line number.
 */
import { isCalendarDate } from "../util/dates";
import type { DatasetRow } from "../local-aws/datasets";

export const BILL_HEADER = "date,workflow,iamPrincipal/workflow,service,amount";
/** The format before the caller's tag was recorded: resource tags only. */
export const BILL_HEADER_RESOURCE_ONLY = "date,workflow,service,amount";

const UNSAFE = /[",\r\n]/;
const AMOUNT = /^-?\d+(\.\d+)?$/;

export class BillFormatError extends Error {
  override readonly name = "BillFormatError";
}

/** The rows as the committed file (LF line ends, a final newline). */
export function formatBill(rows: readonly DatasetRow[]): string {
  const lines = [BILL_HEADER];
  for (const row of rows) {
    const fields = [row.date, row.tag ?? "", row.principalTag ?? "", row.service, row.amount];
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
  const header = lines[0]?.trim();
  if (header !== BILL_HEADER && header !== BILL_HEADER_RESOURCE_ONLY) {
    throw new BillFormatError(`${file}:1: expected the header "${BILL_HEADER}"`);
  }
  const withPrincipal = header === BILL_HEADER;
  const width = withPrincipal ? 5 : 4;
  const rows: DatasetRow[] = [];
  lines.slice(1).forEach((line, index) => {
    if (line.trim() === "") return;
    const at = `${file}:${index + 2}`;
    const fields = line.replace(/\r$/, "").split(",");
    if (fields.length !== width) {
      throw new BillFormatError(
        `${at}: expected ${width} fields (${header}), got ${fields.length}`,
      );
    }
    const [date, tag, principal, service, amount] = (
      withPrincipal ? fields : [fields[0], fields[1], "", fields[2], fields[3]]
    ) as [string, string, string, string, string];
    if (!isCalendarDate(date)) throw new BillFormatError(`${at}: "${date}" is not a date`);
    if (service === "") throw new BillFormatError(`${at}: the service is empty`);
    if (!AMOUNT.test(amount)) throw new BillFormatError(`${at}: "${amount}" is not an amount`);
    rows.push({
      date,
      tag: tag === "" ? null : tag,
      ...(withPrincipal ? { principalTag: principal === "" ? null : principal } : {}),
      service,
      account,
      amount,
    });
  });
  return rows;
}
