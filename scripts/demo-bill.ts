/**
 * Writes the demo's recorded bill, `examples/cost-and-usage.csv`, from the scenario in
 * `src/demo/scenario.ts` (what each line of spend stands for and which trigger it raises), split
 * by usage type in `src/demo/usage-lines.ts` as the CUR export is.
 *
 * Run after changing the scenario: `npx tsx scripts/demo-bill.ts`. `test/demo/bill.test.ts`
 * fails when the committed file and the scenario disagree.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatBill } from "../src/demo/bill-csv";
import { scenarioBillRows } from "../src/demo/usage-lines";

const file = join(__dirname, "..", "examples", "cost-and-usage.csv");
const rows = scenarioBillRows();
writeFileSync(file, formatBill(rows));
console.info(`wrote ${rows.length} rows to examples/cost-and-usage.csv`);
