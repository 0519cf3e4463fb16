/**
 * Which deployed resources a Pulumi stack manages: the ARNs and ids in the states given with
 * `--stack-export` (read by `check`'s own reader), so that anything else the audit finds is
 * made outside IaC.
 */
import type { ReadResult } from "../check";
import type { ParsedArn } from "./arn";
import { resourceIdOf } from "./arn";

/** A stack export, read: where it came from and its resources. */
export interface StackState {
  readonly source: string;
  readonly read: ReadResult;
}

/** Finds the stack that manages a resource. */
export interface ManagedIndex {
  /** The source of the first export that manages it, or undefined. */
  stackOf(arn: string, parsed: ParsedArn, type: string): string | undefined;
  /** How many exports were read. */
  readonly exports: number;
}

/** The props that hold a resource's ARN or its physical id, across both providers. */
const ID_PROPS = ["arn", "id", "name", "endpointName", "notebookInstanceName", "modelName"];

export function managedIndex(states: readonly StackState[]): ManagedIndex {
  const byArn = new Map<string, string>();
  const byTypeAndId = new Map<string, string>();
  for (const { source, read } of states) {
    for (const resource of read.resources) {
      // A resource the stack only reads (`.get()`, `external`) is another's to manage.
      if (resource.op === "read" || resource.op === "delete") continue;
      for (const prop of ID_PROPS) {
        const value = resource.props[prop];
        if (typeof value !== "string" || value === "") continue;
        if (value.startsWith("arn:")) {
          if (!byArn.has(value)) byArn.set(value, source);
        } else {
          const key = `${resource.type}\u0000${value}`;
          if (!byTypeAndId.has(key)) byTypeAndId.set(key, source);
        }
      }
    }
  }
  return {
    exports: states.length,
    stackOf: (arn, parsed, type) =>
      byArn.get(arn) ?? byTypeAndId.get(`${type}\u0000${resourceIdOf(parsed)}`),
  };
}
