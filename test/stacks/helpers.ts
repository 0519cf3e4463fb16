import { join } from "node:path";
import type { RegisteredResource } from "../../stacks/preview";
import type { ResourceInput } from "../../src/policy/types";

export const FIXTURES = join(__dirname, "fixtures");
export const FIXTURE_HANDLER = join(FIXTURES, "handler.ts");
export const THREE_WORKFLOWS = join(FIXTURES, "three-workflows.yaml");

export function ofType(
  resources: readonly RegisteredResource[],
  type: string,
): RegisteredResource[] {
  return resources.filter((r) => r.type === type);
}

export function one(
  resources: readonly RegisteredResource[],
  type: string,
  name?: string,
): RegisteredResource {
  const found = ofType(resources, type).filter((r) => name === undefined || r.name === name);
  if (found.length !== 1) {
    throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
  }
  return found[0]!;
}

/** A JSON string input, parsed. */
export function json(value: unknown): unknown {
  if (typeof value !== "string") throw new Error(`expected JSON text, got ${typeof value}`);
  return JSON.parse(value);
}

/** A mock registration as the policy rules see a resource at preview. */
export function toResourceInput(r: RegisteredResource): ResourceInput {
  return { urn: r.urn, type: r.type, name: r.name, props: r.inputs, op: "create" };
}
