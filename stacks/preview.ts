/**
 * Run the stack program offline, under Pulumi's runtime mocks (no CLI, no AWS), and return every
 * resource it registers with its inputs: what `pulumi preview` would propose. The `demo` command
 * uses it to list the budgets, alarms and subscriptions a registry yields.
 */
import * as pulumi from "@pulumi/pulumi";
import { relative } from "node:path";
import { locateRegistry } from "../src/registry";
import { readRegistryText } from "../src/registry/load";
import { recordingMocks } from "./mocks";
import type { RegisteredResource } from "./mocks";
import { defineStack } from "./program";
import type { StackOutputs, StackSettings } from "./program";

export type { RegisteredResource } from "./mocks";

export interface PreviewOptions {
  /** Settings other than the registry (schedule, prefixes...), as stack config would set them. */
  readonly settings?: Partial<Omit<StackSettings, "registryText" | "registrySource">>;
  /**
   * Bundle the real handler (default true). False ships a placeholder instead: faster, and no
   * dependency on the handler's sources, for listings that do not need the code.
   */
  readonly bundle?: boolean;
  readonly project?: string;
  readonly stack?: string;
  /** Where a relative registry path is resolved (default: the current directory). */
  readonly cwd?: string;
}

export interface Preview {
  readonly resources: RegisteredResource[];
  readonly stack: StackOutputs;
}

/**
 * The registered resources of the stack program for the registry at `registryPath` (default:
 * the usual registry lookup). Throws the registry's own error when it is invalid, having
 * registered nothing.
 */
export async function previewStack(
  registryPath?: string,
  options: PreviewOptions = {},
): Promise<RegisteredResource[]> {
  return (await runStackPreview(registryPath, options)).resources;
}

/** `previewStack`, also returning the program's components (for tests that resolve outputs). */
export async function runStackPreview(
  registryPath?: string,
  options: PreviewOptions = {},
): Promise<Preview> {
  const cwd = options.cwd ?? process.cwd();
  const located = locateRegistry(registryPath, { cwd });
  const registryText = readRegistryText(located);
  const display = relative(cwd, located.path);

  const recorded: Omit<RegisteredResource, "urn">[] = [];
  await pulumi.runtime.setMocks(
    recordingMocks(recorded),
    options.project ?? "ai-spend-guard",
    options.stack ?? "preview",
    false,
  );
  const monitor = pulumi.runtime.getMonitor();
  const stack = defineStack({
    ...options.settings,
    registryText,
    registrySource: display === "" || display.startsWith("..") ? located.path : display,
    ...(options.bundle === false
      ? {
          code: new pulumi.asset.AssetArchive({
            "index.js": new pulumi.asset.StringAsset("// placeholder: not bundled in this preview"),
          }),
        }
      : {}),
  });
  await settle(stack);
  return { resources: withUrns(recorded, monitor), stack };
}

/**
 * Wait until every registration has completed. Awaiting the function's code first surfaces a
 * bundling failure as this call's error instead of a silently missing resource.
 */
async function settle(stack: StackOutputs): Promise<void> {
  await outputValue(stack.reconciler.function.code);
  await Promise.all(
    [stack.reconciler, stack.costAllocationTags, ...Object.values(stack.budgets)]
      .filter((c) => c !== undefined)
      .map((c) => outputValue(c.urn)),
  );
  await pulumi.runtime.disconnect();
}

/** The value of an output (mocks resolve every output). */
export function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/** Attach each recording's URN, read back from the mock monitor (which computed it). */
function withUrns(
  recorded: Omit<RegisteredResource, "urn">[],
  monitor: unknown,
): RegisteredResource[] {
  const urns = [...((monitor as { resources?: Map<string, unknown> }).resources?.keys() ?? [])];
  const used = new Set<string>();
  return recorded.map((r) => {
    const urn =
      urns.find(
        (u) =>
          !used.has(u) &&
          u.endsWith(`::${r.name}`) &&
          u.split("::")[2]?.split("$").pop() === r.type,
      ) ?? `urn:pulumi:unknown::unknown::${r.type}::${r.name}`;
    used.add(urn);
    return { urn, ...r };
  });
}
