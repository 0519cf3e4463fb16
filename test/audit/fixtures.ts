/** Shared data for the audit and doctor suites: stack exports and discovered resources. */
import { readPulumiDocument } from "../../src/check";
import type { StackState } from "../../src/audit";

export const ACCOUNT = "111122223333";

export function arnOf(region: string, resource: string, service = "sagemaker"): string {
  return `arn:aws:${service}:${region}:${ACCOUNT}:${resource}`;
}

/** A `pulumi stack export` with these custom resources (type, logical name, outputs). */
export function stackExportText(
  resources: readonly { type: string; name: string; outputs: Record<string, unknown> }[],
): string {
  return JSON.stringify({
    version: 3,
    deployment: {
      manifest: { time: "2026-11-20T10:18:02Z", magic: "", version: "v3.248.0" },
      resources: [
        {
          urn: "urn:pulumi:prod::ai-platform::pulumi:pulumi:Stack::ai-platform-prod",
          custom: false,
          type: "pulumi:pulumi:Stack",
        },
        ...resources.map((r) => ({
          urn: `urn:pulumi:prod::ai-platform::${r.type}::${r.name}`,
          custom: true,
          type: r.type,
          id: r.outputs.name ?? r.name,
          inputs: {},
          outputs: r.outputs,
        })),
      ],
    },
  });
}

export function stackState(
  source: string,
  resources: Parameters<typeof stackExportText>[0],
): StackState {
  return { source, read: readPulumiDocument(Buffer.from(stackExportText(resources)), source) };
}
