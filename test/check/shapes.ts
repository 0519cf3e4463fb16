/**
 * Pulumi documents in the shapes the CLI writes them (pkg/display/json.go, apitype), for
 * tests that edit a real-looking file: a preview step or an export resource with the fields
 * the engine sets, printed with the CLI's 4-space indent and HTML escaping.
 */
import { UNKNOWN } from "../../src/policy/types";
import { PROJECT } from "./fixtures";

export const STACK_URN = `${PROJECT}pulumi:pulumi:Stack::ai-platform-prod`;
export const DEFAULT_AWS = `${PROJECT}pulumi:providers:aws::default_7_48_0`;
export const DEFAULT_AWS_REF = `${DEFAULT_AWS}::6f1b2c9e-3a47-4d0b-9b8e-2f4c7a1d5e30`;

export interface StateOptions {
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
  readonly custom?: boolean;
  readonly provider?: string;
  readonly parent?: string;
  readonly external?: boolean;
  readonly id?: string;
  readonly dependencies?: readonly string[];
  readonly protect?: boolean;
  /** The qualified type chain of a component's child: `ai-platform:search:WikiSearch$`. */
  readonly typePrefix?: string;
}

export function urnOf(type: string, name: string, typePrefix = ""): string {
  return `${PROJECT}${typePrefix}${type}::${name}`;
}

/** A ResourceV3, as both the preview's step states and the export's resources hold it. */
export function state(type: string, name: string, options: StateOptions = {}) {
  const custom = options.custom ?? true;
  return {
    urn: urnOf(type, name, options.typePrefix),
    custom,
    ...(options.id === undefined ? {} : { id: options.id }),
    type,
    ...(options.inputs === undefined ? {} : { inputs: options.inputs }),
    ...(options.outputs === undefined ? {} : { outputs: options.outputs }),
    parent: options.parent ?? STACK_URN,
    ...(options.external === true ? { external: true } : {}),
    ...(options.protect === true ? { protect: true } : {}),
    ...(options.dependencies === undefined ? {} : { dependencies: options.dependencies }),
    ...(custom ? { provider: options.provider ?? DEFAULT_AWS_REF } : {}),
    created: "0001-01-01T00:00:00Z",
    modified: "0001-01-01T00:00:00Z",
  };
}

type State = {
  readonly urn: string;
  readonly custom: boolean;
  readonly provider?: string;
  readonly [key: string]: unknown;
};

/** One preview step: `newState` for everything but a deletion, which has only `oldState`. */
export function step(op: string, resource: State, old?: State) {
  const oldState = op === "delete" ? resource : old;
  const newState = op === "delete" ? undefined : resource;
  return {
    op,
    urn: resource.urn,
    ...(resource.custom && resource.provider !== undefined ? { provider: resource.provider } : {}),
    ...(oldState === undefined ? {} : { oldState }),
    ...(newState === undefined ? {} : { newState }),
    detailedDiff: null,
  };
}

export const stackSame = () =>
  step(
    "same",
    { ...state("pulumi:pulumi:Stack", "ai-platform-prod", { custom: false }), parent: "" },
    { ...state("pulumi:pulumi:Stack", "ai-platform-prod", { custom: false }), parent: "" },
  );

/** The default aws provider as a preview step (only listed when it changes or with --show-sames). */
export function defaultProvider(inputs: Record<string, unknown> = { region: "us-east-1" }) {
  return {
    urn: DEFAULT_AWS,
    custom: true,
    id: DEFAULT_AWS_REF.split("::").pop()!,
    type: "pulumi:providers:aws",
    inputs: { ...inputs, version: "7.48.0" },
    outputs: { ...inputs, version: "7.48.0" },
    created: "0001-01-01T00:00:00Z",
    modified: "0001-01-01T00:00:00Z",
  };
}

export interface PreviewDoc {
  readonly config?: Record<string, string>;
  readonly steps: readonly unknown[];
  readonly changeSummary: Record<string, number>;
}

export function preview(doc: PreviewDoc) {
  return { config: doc.config ?? { "aws:region": "us-east-1" }, ...doc, duration: 2_104_000_000 };
}

/** `{version: 3, deployment}`, as `pulumi stack export` writes it. */
export function stackExport(resources: readonly unknown[], version = 3, extra = {}) {
  return {
    version,
    ...extra,
    deployment: {
      manifest: { time: "2026-11-20T09:12:44.1Z", magic: "0a1b", version: "v3.248.0" },
      secrets_providers: { type: "passphrase", state: { salt: "v1:AAAA:BBBB" } },
      resources,
    },
  };
}

/** The CLI's own printing: 4-space indent, `&`, `<`, `>` escaped as Go's encoder does. */
export function cliJson(value: unknown): string {
  return JSON.stringify(value, null, 4)
    .replace(/&/g, "\\u0026")
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e");
}

export const TAGGED = { workflow: "support-triage", owner: "dana@example.com" };

export { UNKNOWN };
