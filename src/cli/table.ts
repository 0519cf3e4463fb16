/** Plain-text tables for terminals: fixed-width columns, numbers right-aligned. */
import { formatAmount, formatMoney } from "../util/money";

export interface Column {
  readonly header: string;
  readonly align?: "left" | "right";
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const visibleLength = (text: string) => text.replace(ANSI, "").length;

export function renderTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
): string {
  const widths = columns.map((column, i) =>
    Math.max(visibleLength(column.header), ...rows.map((row) => visibleLength(row[i] ?? ""))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => {
        const pad = " ".repeat(widths[i]! - visibleLength(cell));
        return columns[i]?.align === "right" ? pad + cell : cell + pad;
      })
      .join("  ")
      .trimEnd();
  return [
    line(columns.map((c) => c.header)),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
  ].join("\n");
}

/** 1234.5 -> "1,234.50" (the currency in the column header), or "1,234.50 USD" */
export function money(amount: number, currency = ""): string {
  return currency === "" ? formatAmount(amount) : formatMoney(amount, currency);
}
