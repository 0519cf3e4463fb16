/** What the readers of Pulumi's JSON documents return. */
import type { ResourceInput } from "../policy/types";
import type { SourcePosition } from "./source-position";

export type PulumiFormat =
  /** `pulumi preview --json` */
  | "preview"
  /** `pulumi stack export` */
  | "stack-export"
  /** a DIY backend's checkpoint file, `{version, checkpoint: {latest}}` */
  | "checkpoint";

export const FORMAT_LABEL: Readonly<Record<PulumiFormat, string>> = {
  preview: "pulumi preview --json",
  "stack-export": "pulumi stack export",
  checkpoint: "state checkpoint",
};

export interface ReadResult {
  readonly format: PulumiFormat;
  /** The cloud resources to check (no stack, providers or components), in document order. */
  readonly resources: readonly ResourceInput[];
  /** What the document could not show (hidden secrets, omitted providers...), for people. */
  readonly notes: readonly string[];
  /** Where each resource was declared, by URN, for those the document records it for. */
  readonly positions?: ReadonlyMap<string, SourcePosition>;
  /**
   * Every secret met on a resource or on the provider settings it uses: what `check` must
   * explain (a secret that hides tags) and must not print (a decrypted value).
   */
  readonly secrets: readonly SecretProperty[];
}

/** A secret property of one resource, or of the provider whose settings it takes. */
export interface SecretProperty {
  /** The resource it concerns. */
  readonly urn: string;
  /** Dotted path in the resource's properties (`tags.owner`), or in its provider's settings. */
  readonly path: string;
  /** Set when the property is the provider's (`defaultTags`): the provider's name. */
  readonly provider?: string;
  /** `hidden`: the file does not show it; `revealed`: decrypted (`--show-secrets`). */
  readonly kind: "hidden" | "revealed";
  /** The strings a revealed secret holds, for redaction; never printed. */
  readonly values: readonly string[];
}

/**
 * The document is not something `check` can read: not JSON, truncated, or neither format.
 * The message is one line, starts with the file name and says what to do.
 */
export class PulumiDocumentError extends Error {
  override readonly name = "PulumiDocumentError";
  constructor(
    readonly source: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${source}: ${problem}`, options);
  }
}
