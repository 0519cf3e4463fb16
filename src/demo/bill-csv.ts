/**
 * The file format of the demo's recorded bill (`examples/cost-and-usage.csv`): one line per day
 * x resource tag value x caller's tag value x service x usage type, the lines the local Cost
 * Explorer groups, so a reader can open it in a spreadsheet and check any figure of the report
 * by hand.
 *
 *   date,workflow,iamPrincipal/workflow,service,usageType,usageQuantity,amount
 *   2026-10-01,support-triage,support-triage,Amazon Bedrock Service,USE1-Nova2.0Lite-input-tokens,89874.820000,5.392489
 *   2026-10-01,,invoice-matching,Amazon Bedrock,USE1-Nova2.0Pro-input-tokens,...   <- the role's tag only
 *   2026-10-01,,,Amazon Bedrock,...                                                 <- neither: unowned
 *
 * The second column is the resource's `workflow` tag, the third the `workflow` tag of the IAM
 * role or user that made the call (billed as `iamPrincipal/workflow`), the fifth and sixth the
 * USAGE_TYPE and its UsageQuantity (what the unit-price trigger divides by). Files in the
 * earlier formats (without the usage columns; or `date,workflow,service,amount`, resource tags
 * only) are still read.
 *
 * Deliberately narrow: no quoting, so a value holding a comma, a quote or a line break is
 * refused when writing rather than escaped, and any line that does not split into exactly the
 * header's fields is refused when reading, with its line number.
 */
import { isCalendarDate } from "../util/dates";
import type { DatasetRow } from "../local-aws/datasets";

export const BILL_HEADER =
  "date,workflow,iamPrincipal/workflow,service,usageType,usageQuantity,amount";
/** The format before usage types were recorded: both tags, no usage. */
export const BILL_HEADER_NO_USAGE = "date,workflow,iamPrincipal/workflow,service,amount";
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
    const fields = [
      row.date,
      row.tag ?? "",
      row.principalTag ?? "",
      row.service,
      row.usageType ?? "",
      row.amounts?.UsageQuantity ?? "",
      row.amount,
    ];
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
  if (
    header !== BILL_HEADER &&
    header !== BILL_HEADER_NO_USAGE &&
    header !== BILL_HEADER_RESOURCE_ONLY
  ) {
    throw new BillFormatError(`${file}:1: expected the header "${BILL_HEADER}"`);
  }
  const withUsage = header === BILL_HEADER;
  const withPrincipal = header !== BILL_HEADER_RESOURCE_ONLY;
  const width = withUsage ? 7 : withPrincipal ? 5 : 4;
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
    const [date, tag, principal, service, usageType, quantity, amount] = (
      withUsage
        ? fields
        : withPrincipal
          ? [fields[0], fields[1], fields[2], fields[3], "", "", fields[4]]
          : [fields[0], fields[1], "", fields[2], "", "", fields[3]]
    ) as [string, string, string, string, string, string, string];
    if (!isCalendarDate(date)) throw new BillFormatError(`${at}: "${date}" is not a date`);
    if (service === "") throw new BillFormatError(`${at}: the service is empty`);
    if (!AMOUNT.test(amount)) throw new BillFormatError(`${at}: "${amount}" is not an amount`);
    if (quantity !== "" && !AMOUNT.test(quantity)) {
      throw new BillFormatError(`${at}: "${quantity}" is not a usage quantity`);
    }
    if (quantity !== "" && usageType === "") {
      throw new BillFormatError(`${at}: a usage quantity without a usage type`);
    }
    rows.push({
      date,
      tag: tag === "" ? null : tag,
      ...(withPrincipal ? { principalTag: principal === "" ? null : principal } : {}),
      service,
      account,
      ...(usageType === "" ? {} : { usageType }),
      ...(quantity === "" ? {} : { amounts: { UsageQuantity: quantity } }),
      amount,
    });
  });
  return rows;
}
