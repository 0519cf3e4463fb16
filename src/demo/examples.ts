/**
 * The files the demo runs on, all shipped in the repository: the example registry, the example
 * `pulumi preview --json`, and the recorded Cost Explorer bill.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { findProjectRoot } from "../registry";
import type { CostDataset } from "../local-aws/datasets";
import { datasetFromRows } from "../local-aws/datasets";
import { parseBill } from "./bill-csv";
import { ACCOUNT, ESTIMATED_FROM, TAG_KEY } from "./scenario";

export interface ExampleFiles {
  /** The project root the paths below are in. */
  readonly root: string;
  readonly registry: string;
  readonly preview: string;
  readonly bill: string;
  /** The CUR 2.0 export written from the same scenario (`scripts/demo-cur.ts`). */
  readonly curExport: string;
  /** A recorded account for the audit and the doctor, and the stack export it is compared with. */
  readonly auditAccount: string;
  readonly auditStackExport: string;
}

/** The shipped CUR export's name, and the S3 location its manifest names (illustrative). */
export const DEMO_CUR_EXPORT = "ai-spend-guard-cur";
export const DEMO_CUR_S3_PREFIX = "s3://ai-spend-guard-cur-example/cur2";

/** Where the examples are: the project holding this module (the source tree or the package). */
export function exampleFiles(root = findProjectRoot(__dirname)): ExampleFiles {
  if (root === undefined) {
    throw new Error("cannot find the ai-spend-guard project folder that holds examples/");
  }
  return {
    root,
    registry: join(root, "workflows.yaml"),
    preview: join(root, "examples", "preview.json"),
    bill: join(root, "examples", "cost-and-usage.csv"),
    curExport: join(root, "examples", "cur"),
    auditAccount: join(root, "examples", "audit", "account.json"),
    auditStackExport: join(root, "examples", "audit", "stack-export.json"),
  };
}

/** The recorded bill as a Cost Explorer dataset (November estimated, as the month is open). */
export function demoDataset(billFile: string, displayName = "examples/cost-and-usage.csv") {
  const rows = parseBill(readFileSync(billFile, "utf8"), displayName, ACCOUNT);
  const dataset: CostDataset = datasetFromRows({
    name: "demo",
    tagKey: TAG_KEY,
    unit: "USD",
    estimatedFrom: ESTIMATED_FROM,
    rows,
  });
  return { dataset, rows };
}
