/**
 * Runs the consumer's program under Pulumi's mocks, with the engine's transforms played by
 * ./engine-transforms, and prints every registered resource (type, name, inputs) as JSON.
 */
import * as pulumi from "@pulumi/pulumi";
import { withEngineTransforms } from "./engine-transforms";
import { program } from "./program";

const registered: { type: string; name: string; inputs: Record<string, unknown> }[] = [];

async function main(registryPath: string): Promise<void> {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => ({ ...args.inputs }),
    },
    "consumer",
    "dev",
    false,
  );
  const close = withEngineTransforms();
  const { endpoint, budget } = program(registryPath);
  await new Promise((resolve) => endpoint.urn.apply(resolve));
  await new Promise((resolve) => budget.urn.apply(resolve));
  // Every registration (the components' children too) is done once the RPC queue drains.
  await pulumi.runtime.disconnect();
  close();
  process.stdout.write(JSON.stringify(registered));
}

main(process.argv[2] ?? "workflows.yaml").catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exitCode = 1;
});
