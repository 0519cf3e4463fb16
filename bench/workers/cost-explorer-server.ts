/**
 * The local Cost Explorer in a process of its own, so that generating and serialising the
 * synthetic bill is not counted as the reconciler's time or memory. Prints its endpoint as one
 * JSON line, serves until its stdin closes (the benchmark ended), then reports its request count.
 */
import { costExplorerHandler } from "../../src/local-aws/cost-explorer";
import { syntheticDataset } from "../../src/local-aws/datasets";
import type { SyntheticOptions } from "../../src/local-aws/datasets";
import { startLocalAws } from "../../src/local-aws/server";

interface Options {
  readonly bill: SyntheticOptions;
  readonly groupsPerPage: number;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? "{}") as Options;
  const dataset = syntheticDataset(options.bill);
  const aws = await startLocalAws([
    costExplorerHandler(dataset, { groupsPerPage: options.groupsPerPage }),
  ]);
  process.stdout.write(`${JSON.stringify({ endpoint: aws.endpoint })}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => {
    void aws.close().then(() => {
      process.stdout.write(`${JSON.stringify({ requests: aws.requests.length })}\n`);
    });
  });
}

void main();
