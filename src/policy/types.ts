/**
 * The contract between the pure policy rules (src/policy) and their adapters: the CrossGuard
 * pack (policies/), the offline `check` command (pulumi preview --json / stack export) and the
 * stack tests. Adapters turn their own resource representation into `ResourceInput`.
 */
import type { PolicyName, Registry } from "../registry";

/** Pulumi's marker for a value not known until the update; see `unknown.ts`. */
export { UNKNOWN } from "./unknown";

export type Enforcement = "mandatory" | "advisory";

/** The engine's step for the resource; deletions are never blocked. */
export type Operation = "create" | "update" | "same" | "replace" | "delete" | "read" | "import";

/** The provider that manages a resource, as the engine gives it (defaultTags may be JSON text). */
export interface ProviderInput {
  /** e.g. `pulumi:providers:aws` */
  readonly type: string;
  readonly props: Readonly<Record<string, unknown>>;
}

export interface ResourceInput {
  readonly urn: string;
  /** Pulumi type token, e.g. `aws:sagemaker/endpoint:Endpoint`. */
  readonly type: string;
  readonly name: string;
  /** Inputs at preview (or outputs for deployed state); unknowns are `UNKNOWN`. */
  readonly props: Readonly<Record<string, unknown>>;
  readonly provider?: ProviderInput;
  /** Defaults to "create" when the source does not say. */
  readonly op?: Operation;
  /**
   * URNs this resource depends on (the engine's `dependencies`), when the source has them. The
   * stack policy uses them to link an IAM policy to its role or user when the role's name is
   * not known until the update.
   */
  readonly dependencies?: readonly string[];
}

/** One result of one policy on one resource (or on the stack). */
export interface Finding {
  readonly policy: PolicyName;
  readonly enforcement: Enforcement;
  /** The resource the finding is about. */
  readonly urn: string;
  /** What is wrong and exactly what to add or change. */
  readonly message: string;
}

export interface EvaluationContext {
  readonly registry: Registry;
  /** `YYYY-MM-DD`, injected so review-date rules are testable. */
  readonly today: string;
  /** Extra resource types to treat as taggable AI resources (pack configuration). */
  readonly extraAiTypes?: readonly string[];
  /**
   * What the resources are: a planned change (`preview`, the default: the engine's preview or
   * update) or deployed state read from a file (`deployed`, an audit). Only the wording about
   * values that cannot be read changes: not known until the update, or hidden by the file.
   */
  readonly stage?: "preview" | "deployed";
}
