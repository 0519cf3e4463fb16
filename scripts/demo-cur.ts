/**
 * Writes the demo's CUR 2.0 export, `examples/cur/` (Parquet per billing period and its
 * manifest, laid out as AWS delivers it), from the scenario in `src/demo/scenario.ts`, through
 * `src/demo/cur-lines.ts`: the same spend per day, workflow and service as the recorded Cost
 * Explorer bill.
 *
 * Run after changing the scenario: `npx tsx scripts/demo-cur.ts`. `test/demo/cur-export.test.ts`
 * fails when the committed export and the scenario disagree.
 */
import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeDemoCurExport } from "../src/demo/cur-lines";

async function main(): Promise<void> {
  const dir = join(__dirname, "..", "examples", "cur");
  rmSync(dir, { recursive: true, force: true });
  const written = await writeDemoCurExport(dir);
  for (const period of written) {
    const bytes = period.files.reduce((n, f) => n + statSync(f).size, 0);
    console.info(
      `wrote ${period.lines} line items for ${period.period} (${bytes} bytes of Parquet)`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
