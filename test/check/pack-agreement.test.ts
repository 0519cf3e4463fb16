/**
 * The offline `check` and the CrossGuard pack must agree: the same document, read by the
 * `check` readers, is given to the pack's policies the way the engine gives it (props behind
 * `unknownCheckingProxy`, unknowns as the engine's sentinel strings), and both must report the
 * same findings, mandatory and advisory.
 */
import { unknownCheckingProxy } from "@pulumi/policy";
import type {
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ADVISORY_SUFFIX, buildPolicies } from "../../policies/policies";
import { checkDocument, readPulumiDocument } from "../../src/check";
import type { ResourceInput } from "../../src/policy";
import { parseRegistry } from "../../src/registry";
import { examplePreview, fixture, PROJECT, ROOT } from "./fixtures";
import { cliJson, state, step, UNKNOWN } from "./shapes";

const REGISTRY = parseRegistry(
  readFileSync(join(ROOT, "workflows.yaml"), "utf8"),
  "workflows.yaml",
);
const TODAY = "2026-11-28";

const OPTS = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

function provider(resource: ResourceInput) {
  if (resource.provider === undefined) return undefined;
  return {
    type: resource.provider.type,
    props: unknownCheckingProxy({ ...resource.provider.props }),
    urn: `${resource.urn}::provider`,
    name: "provider",
  };
}

function resourceArgs(resource: ResourceInput): ResourceValidationArgs {
  return {
    type: resource.type,
    props: unknownCheckingProxy({ ...resource.props }),
    urn: resource.urn,
    name: resource.name,
    opts: OPTS,
    provider: provider(resource),
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T>() => ({}) as T,
    notApplicable: (reason?: string): never => {
      throw new Error(`notApplicable: ${reason}`);
    },
  } as ResourceValidationArgs;
}

function stackArgs(resources: readonly ResourceInput[]): StackValidationArgs {
  const byUrn = new Map<string, PolicyResource>();
  for (const resource of resources) {
    byUrn.set(resource.urn, {
      type: resource.type,
      props: unknownCheckingProxy({ ...resource.props }),
      urn: resource.urn,
      name: resource.name,
      opts: OPTS,
      provider: provider(resource),
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    } as unknown as PolicyResource);
  }
  for (const resource of resources) {
    byUrn.get(resource.urn)!.dependencies = (resource.dependencies ?? [])
      .map((urn) => byUrn.get(urn))
      .filter((r): r is PolicyResource => r !== undefined);
  }
  return {
    resources: [...byUrn.values()],
    stackTags: new Map(),
    getConfig: <T>() => ({}) as T,
    notApplicable: (reason?: string): never => {
      throw new Error(`notApplicable: ${reason}`);
    },
  } as StackValidationArgs;
}

type Row = string;
const row = (policy: string, enforcement: string, urn: string, message: string): Row =>
  `${enforcement} ${policy} ${urn}\n${message}`;

/** What the pack reports on the resources, as the engine would run it. */
async function packFindings(resources: readonly ResourceInput[]): Promise<Row[]> {
  const rows: Row[] = [];
  const policies = buildPolicies({ registry: REGISTRY, today: () => TODAY });
  // The engine analyzes the resources of the program: a deletion is not analyzed, and neither
  // is a read step (pkg/resource/deploy: read steps never reach the analyzers, and a read
  // resource has no goal, so AnalyzeStack does not see it either).
  const analyzed = resources.filter((r) => r.op !== "delete" && r.op !== "read");
  for (const policy of policies) {
    const level = policy.enforcementLevel;
    if (level !== "mandatory" && level !== "advisory") continue;
    const name = policy.name.endsWith(ADVISORY_SUFFIX)
      ? policy.name.slice(0, -ADVISORY_SUFFIX.length)
      : policy.name;
    const report =
      (urnFallback: string): ReportViolation =>
      (message, urn) =>
        rows.push(row(name, level, urn ?? urnFallback, message));
    if ("validateResource" in policy && policy.validateResource !== undefined) {
      const validate = (policy as ResourceValidationPolicy).validateResource!;
      for (const resource of analyzed) {
        for (const fn of Array.isArray(validate) ? validate : [validate]) {
          await fn(resourceArgs(resource), report(resource.urn));
        }
      }
    }
    if ("validateStack" in policy && policy.validateStack !== undefined) {
      await (policy as StackValidationPolicy).validateStack!(stackArgs(analyzed), report(""));
    }
  }
  return rows.sort();
}

function checkFindings(file: string): { rows: Row[]; resources: readonly ResourceInput[] } {
  const text =
    DOCUMENTS[file]?.() ?? (file === "examples/preview.json" ? examplePreview() : fixture(file));
  const read = readPulumiDocument(text, file);
  // The pack speaks of a preview; `check` words an audit of deployed state differently, so
  // the rules are compared in the pack's words.
  const report = checkDocument(file, read, { registry: REGISTRY, today: TODAY, stage: "preview" });
  return {
    resources: read.resources,
    rows: report.findings.map((f) => row(f.policy, f.enforcement, f.urn, f.message)).sort(),
  };
}

const ENDPOINT = "aws:sagemaker/endpoint:Endpoint";
/** An untagged endpoint the program only reads (`Endpoint.get`): a read step, `external`. */
const readEndpoint = state(ENDPOINT, "shared-endpoint", {
  id: "shared-endpoint",
  external: true,
  inputs: {},
  outputs: { name: "shared-endpoint", tags: {} },
});
/** A role the program reads, with a managed policy that invokes: still not the program's. */
const readRole = state("aws:iam/role:Role", "shared-invoker", {
  id: "shared-invoker",
  external: true,
  inputs: {},
  outputs: {
    name: "shared-invoker",
    managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonBedrockFullAccess"],
  },
});

/** Real documents with reads, external resources and a policy from outside the stack. */
const DOCUMENTS: Readonly<Record<string, () => string>> = {
  "preview with reads": () => {
    const doc = JSON.parse(examplePreview()) as { steps: unknown[] };
    doc.steps.push(step("read", readEndpoint), step("read", readRole));
    doc.steps.push(
      step(
        "create",
        state("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "triage-extra", {
          inputs: {
            role: UNKNOWN,
            policyArn: "arn:aws:iam::123456789012:policy/bedrock-invoke",
          },
          dependencies: [`${PROJECT}aws:iam/role:Role::triage-invoker`],
        }),
      ),
    );
    return cliJson(doc);
  },
  "export with external resources": () => {
    const doc = JSON.parse(fixture("stack-export-ai.json")) as {
      deployment: { resources: unknown[] };
    };
    doc.deployment.resources.push(readEndpoint, readRole);
    return cliJson(doc);
  },
};

describe("check and the policy pack agree", () => {
  it.each(["examples/preview.json", "stack-export-ai.json", ...Object.keys(DOCUMENTS)])(
    "on every finding of %s",
    async (file) => {
      const { rows, resources } = checkFindings(file);
      const pack = await packFindings(resources);
      expect(pack).toEqual(rows);
      // Nothing the program only reads is judged, by either.
      expect(rows.join("\n")).not.toMatch(/shared-endpoint|shared-invoker/);
      // The comparison is not vacuous: both block the showcase.
      expect(rows.filter((r) => r.startsWith("mandatory")).length).toBeGreaterThan(1);
    },
  );
});
